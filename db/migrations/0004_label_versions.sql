-- Which labels a computation saw. The label version of a project is the id of its latest
-- audit-trail row (relabels is append-only, so the number only grows and any decision or undo
-- moves it; 0 before the first one).

-- An out-of-fold model row is stamped with the label version its fold models trained on, as
-- the last step after all of its predictions are written: NULL means the predictions are
-- incomplete (a crash between the row and its predictions) or were computed before stamping,
-- and such a row is never used.
ALTER TABLE models ADD COLUMN label_version INTEGER CHECK (label_version IS NULL OR label_version >= 0);

-- The label version (and out-of-fold set) a model's per-face scores were computed from.
CREATE TABLE score_versions (
  model_id      INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
  label_version INTEGER NOT NULL CHECK (label_version >= 0),
  oof_model_id  INTEGER REFERENCES models(id) ON DELETE SET NULL,
  computed_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
