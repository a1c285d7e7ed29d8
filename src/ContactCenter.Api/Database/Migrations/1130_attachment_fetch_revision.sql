-- A file fetched from the provider after its message was stored (Telegram, MMS, WhatsApp media) changes what the message
-- shows: its revision grows too (1128), so a push of the message with its file is never taken for an older copy.
create function touch_message_of_attachment() returns trigger language plpgsql as $$
begin
    update messages set updated_at = now() where id = new.message_id;
    return null;
end;
$$;

create trigger attachments_fetched after update of storage_path on attachments
    for each row when (old.storage_path is null and new.storage_path is not null and new.message_id is not null)
    execute function touch_message_of_attachment();
