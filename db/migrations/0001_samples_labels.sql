-- Samples, who labelled them and how, the relabel audit trail, and the import jobs that
-- brought them in. Everything a project needs before any model exists.

-- One row: the project itself. `app` marks the file as ours beside PRAGMA application_id.
CREATE TABLE project (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  app           TEXT    NOT NULL CHECK (app = 'affect-relearn'),
  name          TEXT    NOT NULL,
  input_height  INTEGER NOT NULL CHECK (input_height > 0),
  input_width   INTEGER NOT NULL CHECK (input_width > 0),
  created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  schema_notes  TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE import_jobs (
  id                 INTEGER PRIMARY KEY,
  kind               TEXT    NOT NULL,
  path               TEXT    NOT NULL,
  options            TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(options)),
  status             TEXT    NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed', 'aborted')),
  n_accepted         INTEGER NOT NULL DEFAULT 0,
  n_skipped_existing INTEGER NOT NULL DEFAULT 0,
  n_rejected         INTEGER NOT NULL DEFAULT 0,
  n_total            INTEGER,
  error              TEXT,
  started_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  finished_at        TEXT
);

CREATE TABLE import_issues (
  id       INTEGER PRIMARY KEY,
  job_id   INTEGER NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
  file     TEXT    NOT NULL,
  line     INTEGER,
  field    TEXT,
  message  TEXT    NOT NULL
);
CREATE INDEX import_issues_by_job ON import_issues(job_id, id);

CREATE TABLE samples (
  id            INTEGER PRIMARY KEY,
  -- Stable across runs of the same import: the resume key.
  source_ref    TEXT    NOT NULL UNIQUE,
  dataset       TEXT    NOT NULL CHECK (dataset IN ('affectnet', 'fer2013', 'ferplus', 'folder', 'multi', 'demo')),
  split         TEXT    NOT NULL CHECK (split IN ('train', 'valid', 'test')),
  width         INTEGER NOT NULL CHECK (width > 0),
  height        INTEGER NOT NULL CHECK (height > 0),
  -- Preprocessed grey pixels, row-major, one byte each.
  pixels        BLOB    NOT NULL CHECK (length(pixels) = width * height),
  original_path TEXT,
  face_x        REAL,
  face_y        REAL,
  face_w        REAL,
  face_h        REAL,
  -- LabelCode 0..11 (api/domain.ts) or NULL when the dataset gives none.
  given_label   INTEGER CHECK (given_label IS NULL OR given_label BETWEEN 0 AND 11),
  valence       REAL,
  arousal       REAL,
  extra         TEXT    CHECK (extra IS NULL OR json_valid(extra)),
  import_job_id INTEGER REFERENCES import_jobs(id) ON DELETE SET NULL,
  CHECK ((face_x IS NULL) = (face_w IS NULL) AND (face_y IS NULL) = (face_h IS NULL) AND (face_x IS NULL) = (face_y IS NULL))
);
CREATE INDEX samples_by_split_label ON samples(split, given_label);
CREATE INDEX samples_by_label ON samples(given_label);
CREATE INDEX samples_by_dataset ON samples(dataset);

CREATE TABLE annotators (
  id    INTEGER PRIMARY KEY,
  name  TEXT NOT NULL UNIQUE,
  kind  TEXT NOT NULL CHECK (kind IN ('person', 'dataset', 'simulated', 'reviewer'))
);

-- Identified annotators' labels; non-class codes 8..11 are kept, never trained on.
CREATE TABLE annotations (
  sample_id    INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  annotator_id INTEGER NOT NULL REFERENCES annotators(id),
  label        INTEGER NOT NULL CHECK (label BETWEEN 0 AND 11),
  PRIMARY KEY (sample_id, annotator_id)
) WITHOUT ROWID;
CREATE INDEX annotations_by_annotator ON annotations(annotator_id, label);

-- Anonymous vote counts (FER+'s taggers), one column per LabelCode in api/domain.ts order,
-- so that majority and entropy can be computed in SQL or from a row.
CREATE TABLE sample_votes (
  sample_id   INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
  n_neutral   INTEGER NOT NULL DEFAULT 0 CHECK (n_neutral >= 0),
  n_happy     INTEGER NOT NULL DEFAULT 0 CHECK (n_happy >= 0),
  n_sad       INTEGER NOT NULL DEFAULT 0 CHECK (n_sad >= 0),
  n_surprise  INTEGER NOT NULL DEFAULT 0 CHECK (n_surprise >= 0),
  n_fear      INTEGER NOT NULL DEFAULT 0 CHECK (n_fear >= 0),
  n_disgust   INTEGER NOT NULL DEFAULT 0 CHECK (n_disgust >= 0),
  n_anger     INTEGER NOT NULL DEFAULT 0 CHECK (n_anger >= 0),
  n_contempt  INTEGER NOT NULL DEFAULT 0 CHECK (n_contempt >= 0),
  n_none      INTEGER NOT NULL DEFAULT 0 CHECK (n_none >= 0),
  n_uncertain INTEGER NOT NULL DEFAULT 0 CHECK (n_uncertain >= 0),
  n_not_face  INTEGER NOT NULL DEFAULT 0 CHECK (n_not_face >= 0),
  n_unknown   INTEGER NOT NULL DEFAULT 0 CHECK (n_unknown >= 0),
  n_total     INTEGER GENERATED ALWAYS AS (n_neutral + n_happy + n_sad + n_surprise + n_fear + n_disgust
                + n_anger + n_contempt + n_none + n_uncertain + n_not_face + n_unknown) STORED
);

-- The review audit trail. Append-only (triggers below); the current label is derived.
-- `previous_label` is the current label just before the row; for an undo, `label` is the
-- current label it restores.
CREATE TABLE relabels (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  sample_id      INTEGER NOT NULL REFERENCES samples(id),
  action         TEXT    NOT NULL CHECK (action IN ('relabel', 'confirm', 'ambiguous', 'not_face', 'undo')),
  label          INTEGER CHECK (label IS NULL OR label BETWEEN 0 AND 11),
  previous_label INTEGER CHECK (previous_label IS NULL OR previous_label BETWEEN 0 AND 11),
  reverts_id     INTEGER REFERENCES relabels(id),
  reviewer_id    INTEGER NOT NULL REFERENCES annotators(id),
  note           TEXT,
  created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK ((action = 'undo') = (reverts_id IS NOT NULL)),
  CHECK (action NOT IN ('relabel', 'not_face') OR label IS NOT NULL)
);
CREATE INDEX relabels_by_sample ON relabels(sample_id, id);
CREATE INDEX relabels_by_reviewer ON relabels(reviewer_id, id);
-- A decision can be undone once.
CREATE UNIQUE INDEX relabels_one_undo ON relabels(reverts_id) WHERE reverts_id IS NOT NULL;

CREATE TRIGGER relabels_no_update BEFORE UPDATE ON relabels
BEGIN
  SELECT RAISE(ABORT, 'relabels is an append-only audit trail: UPDATE is not allowed');
END;
CREATE TRIGGER relabels_no_delete BEFORE DELETE ON relabels
BEGIN
  SELECT RAISE(ABORT, 'relabels is an append-only audit trail: DELETE is not allowed');
END;
CREATE TRIGGER relabels_undo_target BEFORE INSERT ON relabels WHEN NEW.action = 'undo'
BEGIN
  SELECT RAISE(ABORT, 'an undo must revert an earlier non-undo decision of the same sample')
  WHERE NOT EXISTS (SELECT 1 FROM relabels t WHERE t.id = NEW.reverts_id AND t.sample_id = NEW.sample_id AND t.action <> 'undo');
END;

-- Decisions that still count: not undos and not undone.
CREATE VIEW effective_decisions AS
SELECT r.* FROM relabels r
WHERE r.action <> 'undo' AND NOT EXISTS (SELECT 1 FROM relabels u WHERE u.reverts_id = r.id);

-- The derived label state of every sample: the given label overridden by the latest effective
-- relabel / not_face decision; `last_action` is the latest effective decision (NULL: unreviewed).
CREATE VIEW sample_labels AS
SELECT
  s.id AS sample_id,
  s.split AS split,
  s.given_label AS given_label,
  COALESCE((SELECT d.label FROM effective_decisions d
            WHERE d.sample_id = s.id AND d.action IN ('relabel', 'not_face')
            ORDER BY d.id DESC LIMIT 1), s.given_label) AS current_label,
  (SELECT d.action FROM effective_decisions d WHERE d.sample_id = s.id ORDER BY d.id DESC LIMIT 1) AS last_action
FROM samples s;
