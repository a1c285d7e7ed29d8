-- Web chat pre-chat and offline forms: the phone a visitor typed (E.164), kept beside their name and email
-- until their first message creates the contact (as unverified details, never matched to a known contact).
alter table webchat_visitors add column phone text;
