-- Training, analysis and re-learning: runs with their per-epoch record, the models they
-- produce (weights in files beside the DB), per-sample predictions and scores, evaluations
-- and the child groups of a re-learning run.

CREATE TABLE runs (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('train', 'analyze', 'relearn')),
  model_kind      TEXT CHECK (model_kind IS NULL OR model_kind IN ('cnn', 'adbn', 'dbn')),
  config          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  backend         TEXT,
  status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  error           TEXT,
  -- Relative to the project's models directory.
  checkpoint_path TEXT,
  created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  started_at      TEXT,
  finished_at     TEXT
);
CREATE INDEX runs_by_status ON runs(status, id);

-- One row per epoch; a resumed run may rewrite the epoch it was in when it stopped.
CREATE TABLE run_epochs (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  epoch      INTEGER NOT NULL CHECK (epoch >= 1),
  phase      TEXT    NOT NULL,
  metrics    TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(metrics)),
  units      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(units)),
  seconds    REAL    NOT NULL DEFAULT 0,
  samples    INTEGER NOT NULL DEFAULT 0,
  created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;

CREATE TABLE structure_events (
  id           INTEGER PRIMARY KEY,
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  epoch        INTEGER NOT NULL,
  layer        INTEGER NOT NULL CHECK (layer >= 0),
  kind         TEXT    NOT NULL CHECK (kind IN ('generation', 'annihilation', 'layer')),
  units_before INTEGER NOT NULL CHECK (units_before >= 0),
  units_after  INTEGER NOT NULL CHECK (units_after >= 0),
  -- A resumed run replays the epoch: the same event must not be counted twice.
  UNIQUE (run_id, epoch, layer, kind)
);

CREATE TABLE models (
  id              INTEGER PRIMARY KEY,
  run_id          INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  kind            TEXT    NOT NULL CHECK (kind IN ('cnn', 'adbn', 'dbn')),
  name            TEXT    NOT NULL,
  -- Relative to the project's models directory (modelsDirFor).
  file_path       TEXT    NOT NULL,
  input_height    INTEGER NOT NULL CHECK (input_height > 0),
  input_width     INTEGER NOT NULL CHECK (input_width > 0),
  structure       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(structure)),
  parent_model_id INTEGER REFERENCES models(id),
  child_group_id  INTEGER REFERENCES child_groups(id),
  status          TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'adopted', 'discarded')),
  created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX models_by_parent ON models(parent_model_id);

CREATE TABLE child_groups (
  id               INTEGER PRIMARY KEY,
  relearn_run_id   INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  parent_model_id  INTEGER NOT NULL REFERENCES models(id),
  given_label      INTEGER NOT NULL CHECK (given_label BETWEEN 0 AND 7),
  predicted_label  INTEGER NOT NULL CHECK (predicted_label BETWEEN 0 AND 7),
  n_cases          INTEGER NOT NULL CHECK (n_cases >= 0),
  child_model_id   INTEGER REFERENCES models(id),
  tau              REAL,
  status           TEXT    NOT NULL DEFAULT 'candidate'
                   CHECK (status IN ('candidate', 'selected', 'training', 'trained', 'failed', 'adopted', 'discarded')),
  created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX child_groups_by_parent ON child_groups(parent_model_id);

-- Softmax outputs, 8 little-endian float32 (32 bytes); fold is the k-fold index of an
-- out-of-sample prediction, NULL for a plain prediction.
CREATE TABLE predictions (
  model_id  INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  probs     BLOB    NOT NULL CHECK (length(probs) = 32),
  fold      INTEGER CHECK (fold IS NULL OR fold >= 0),
  PRIMARY KEY (model_id, sample_id)
) WITHOUT ROWID;

-- Per-sample scores of one model (METHOD.md 5). WITHOUT ROWID so that every index below ends
-- in (model_id, sample_id): the review queue sorts by (score, sample_id) straight off an index
-- and pages with a keyset cursor.
CREATE TABLE scores (
  model_id                 INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  sample_id                INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  predicted_label          INTEGER CHECK (predicted_label IS NULL OR predicted_label BETWEEN 0 AND 7),
  kl_annotator             REAL,
  kl_parent_child          REAL,
  vote_entropy             REAL,
  margin                   REAL,
  max_softmax              REAL,
  self_confidence          REAL,
  misclassified            INTEGER CHECK (misclassified IS NULL OR misclassified IN (0, 1)),
  confident_learning_issue INTEGER CHECK (confident_learning_issue IS NULL OR confident_learning_issue IN (0, 1)),
  extra                    TEXT CHECK (extra IS NULL OR json_valid(extra)),
  PRIMARY KEY (model_id, sample_id)
) WITHOUT ROWID;
CREATE INDEX scores_by_kl_annotator ON scores(model_id, kl_annotator);
CREATE INDEX scores_by_kl_parent_child ON scores(model_id, kl_parent_child);
CREATE INDEX scores_by_vote_entropy ON scores(model_id, vote_entropy);
CREATE INDEX scores_by_margin ON scores(model_id, margin);
CREATE INDEX scores_by_max_softmax ON scores(model_id, max_softmax);
CREATE INDEX scores_by_self_confidence ON scores(model_id, self_confidence);
CREATE INDEX scores_by_sample ON scores(sample_id);

CREATE TABLE evaluations (
  id         INTEGER PRIMARY KEY,
  model_id   INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  split      TEXT    NOT NULL CHECK (split IN ('train', 'valid', 'test')),
  -- e.g. 'parent', 'parent+children'.
  label      TEXT    NOT NULL,
  result     TEXT    NOT NULL CHECK (json_valid(result)),
  created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX evaluations_by_model ON evaluations(model_id, split, id);
