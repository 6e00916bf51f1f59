-- Review tools: decisions taken together (a bulk accept of suggested labels) are one batch of
-- the audit trail, undone as one step; and free tags on faces.

-- One row per bulk action. Each decision it wrote names it in relabels.batch_id, and so does
-- each undo row written when the batch is undone (the undo is a batch of its own).
CREATE TABLE relabel_batches (
  id          INTEGER PRIMARY KEY,
  kind        TEXT    NOT NULL CHECK (kind IN ('accept_suggestions', 'undo')),
  reviewer_id INTEGER NOT NULL REFERENCES annotators(id),
  -- For an undo batch: the batch it reverts.
  reverts_id  INTEGER REFERENCES relabel_batches(id),
  note        TEXT,
  created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK ((kind = 'undo') = (reverts_id IS NOT NULL))
);
CREATE UNIQUE INDEX relabel_batches_one_undo ON relabel_batches(reverts_id) WHERE reverts_id IS NOT NULL;

-- Adding a column is not an UPDATE: the append-only triggers of relabels stay in force.
ALTER TABLE relabels ADD COLUMN batch_id INTEGER REFERENCES relabel_batches(id);
CREATE INDEX relabels_by_batch ON relabels(batch_id) WHERE batch_id IS NOT NULL;

-- Free tags a reviewer puts on faces ("glasses", "check later"); the review queue filters by them.
CREATE TABLE face_tags (
  sample_id  INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  tag        TEXT    NOT NULL CHECK (length(tag) BETWEEN 1 AND 100 AND tag = trim(tag)),
  created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (sample_id, tag)
) WITHOUT ROWID;
CREATE INDEX face_tags_by_tag ON face_tags(tag, sample_id);
