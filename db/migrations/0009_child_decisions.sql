-- Adopting or discarding the children of a re-learning run is a person's decision: kept
-- append-only with its time (the models' status holds only the latest one), so the report
-- and the Re-learn view can say what was decided and when, and whether children that did
-- worse than the parent alone were adopted knowingly.
CREATE TABLE child_decisions (
  id             INTEGER PRIMARY KEY,
  relearn_run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  decision       TEXT    NOT NULL CHECK (decision IN ('adopted', 'discarded')),
  -- 1 when the children were adopted although parent + children did worse than the parent
  -- alone on valid or test, after the person confirmed it.
  worse_accepted INTEGER NOT NULL DEFAULT 0 CHECK (worse_accepted IN (0, 1)),
  decided_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX child_decisions_by_run ON child_decisions(relearn_run_id, id);
