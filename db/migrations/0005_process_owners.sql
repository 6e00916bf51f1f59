-- Which process runs an import or a training run, so that opening a project can tell work
-- left 'running' by a crash (its process is gone, or it stopped writing long ago) from work
-- alive in another process (a CLI import or `train --resume` beside the app, a second app
-- instance), and so that one training run has one owner at a time (db/run-lease.ts).
ALTER TABLE import_jobs ADD COLUMN owner_pid INTEGER;
ALTER TABLE import_jobs ADD COLUMN owner_host TEXT;
-- Set when the job starts and with every committed batch.
ALTER TABLE import_jobs ADD COLUMN heartbeat_at TEXT;

ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
ALTER TABLE runs ADD COLUMN owner_host TEXT;
-- Renewed every few seconds while the owner trains.
ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
