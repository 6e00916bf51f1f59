-- Named review queues: the filter a person chose and where they stopped, so the review UI
-- resumes there.
CREATE TABLE review_queues (
  key            TEXT    PRIMARY KEY,
  filter         TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(filter)),
  last_sample_id INTEGER REFERENCES samples(id) ON DELETE SET NULL,
  last_index     INTEGER NOT NULL DEFAULT 0 CHECK (last_index >= 0),
  updated_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
