-- migrate: foreign_keys off
-- A model may be another tool's predictions imported from a CSV (kind 'imported'): it has
-- predictions, scores and evaluations like a trained model, but no weights (file_path is '').
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt the way its
-- documentation prescribes (create, copy, drop, rename) with foreign keys off for this one
-- migration: dropping `models` with them on would cascade into predictions, scores and
-- evaluations. db/migrate.ts runs PRAGMA foreign_key_check before committing.
CREATE TABLE models_new (
  id              INTEGER PRIMARY KEY,
  run_id          INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  kind            TEXT    NOT NULL CHECK (kind IN ('cnn', 'adbn', 'dbn', 'imported')),
  name            TEXT    NOT NULL,
  -- Relative to the project's models directory (modelsDirFor); '' for imported predictions.
  file_path       TEXT    NOT NULL CHECK ((kind = 'imported') = (file_path = '')),
  input_height    INTEGER NOT NULL CHECK (input_height > 0),
  input_width     INTEGER NOT NULL CHECK (input_width > 0),
  structure       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(structure)),
  parent_model_id INTEGER REFERENCES models(id),
  child_group_id  INTEGER REFERENCES child_groups(id),
  status          TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'adopted', 'discarded')),
  created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  label_version   INTEGER CHECK (label_version IS NULL OR label_version >= 0)
);
INSERT INTO models_new (id, run_id, kind, name, file_path, input_height, input_width, structure, parent_model_id, child_group_id, status, created_at, label_version)
  SELECT id, run_id, kind, name, file_path, input_height, input_width, structure, parent_model_id, child_group_id, status, created_at, label_version FROM models;
DROP TABLE models;
ALTER TABLE models_new RENAME TO models;
CREATE INDEX models_by_parent ON models(parent_model_id);
