-- The orphan-file sweep (Storage/OrphanFileSweeper) asks, for each stored file, whether a row refers to it.
create index attachments_storage_path_idx on attachments (storage_path) where storage_path is not null;
create index canned_response_files_storage_path_idx on canned_response_files (storage_path);
