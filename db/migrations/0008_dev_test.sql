-- A seeded dev-test carve of the train split, for measurements only: the faces listed here
-- stay in split 'train' (so the imported splits are untouched) but db/training-matrix.ts
-- never loads them for train, so no trainer (parent, fold models, children), no confusion
-- group, tau choice or gate fitting reads them; evaluation reads them by id
-- (db/dev-test-store.ts). One carve per project, made before any model is trained.
CREATE TABLE dev_test_carves (
  id         INTEGER PRIMARY KEY,
  fraction   REAL    NOT NULL CHECK (fraction > 0 AND fraction < 1),
  seed       INTEGER NOT NULL,
  faces      INTEGER NOT NULL,
  created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE dev_test_samples (
  sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
  carve_id  INTEGER NOT NULL REFERENCES dev_test_carves(id)
);
