-- The face map (README "Face map"): 2-D coordinates of every face, one map per model and
-- method (NULL model: PCA of the pixels, computed before any model exists). A map is written
-- in one statement, so a reader sees the old map or the new one, never half of one.
CREATE TABLE face_maps (
  id           INTEGER PRIMARY KEY,
  model_id     INTEGER REFERENCES models(id) ON DELETE CASCADE,
  -- 'pca-pixels' (model_id NULL) or 'umap-features' (the model's penultimate layer).
  method       TEXT    NOT NULL CHECK (method IN ('pca-pixels', 'umap-features')),
  seed         INTEGER NOT NULL,
  -- Settings the map was computed with (neighbours, epochs, PCA dimensions, ...), and timings.
  params       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
  face_count   INTEGER NOT NULL CHECK (face_count >= 0),
  -- face_count int32 sample ids, ascending, and face_count (x, y) float32 pairs in the same order.
  sample_ids   BLOB    NOT NULL CHECK (length(sample_ids) = 4 * face_count),
  coords       BLOB    NOT NULL CHECK (length(coords) = 8 * face_count),
  seconds      REAL    NOT NULL,
  created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
-- One map per (model, method); a recomputation replaces it.
CREATE UNIQUE INDEX face_maps_key ON face_maps (ifnull(model_id, 0), method);
