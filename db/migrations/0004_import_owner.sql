-- Which process runs an import, so that opening a project can tell an import left 'running' by
-- a crash (its process is gone, or it stopped writing long ago) from one that is alive in
-- another process (a CLI import beside the app), and mark only the first as interrupted.
ALTER TABLE import_jobs ADD COLUMN owner_pid INTEGER;
ALTER TABLE import_jobs ADD COLUMN owner_host TEXT;
-- Set when the job starts and with every committed batch.
ALTER TABLE import_jobs ADD COLUMN heartbeat_at TEXT;
