-- Why a file that came as a provider's reference could not be fetched (a host that is not the provider's, a file over the
-- size cap, the provider's 404, retries given up). Without it such an attachment read "still being fetched" forever.
alter table attachments add column if not exists fetch_error text;
