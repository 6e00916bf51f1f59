-- Dataset health (issue 13): per-face hashes and image statistics, computed once per face on
-- demand (so projects imported before this migration work too) and cached here, and the
-- stored health reports.

-- Pixels are never rewritten after import, so a row stays valid for the life of its sample.
CREATE TABLE sample_hashes (
  sample_id  INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
  -- 64-bit hash of the stored pixels (16 hex digits); duplicates are confirmed byte by byte.
  pixel_hash TEXT    NOT NULL CHECK (length(pixel_hash) = 16),
  -- 64-bit DCT perceptual hash (16 hex digits), core/health/phash.ts.
  phash      TEXT    NOT NULL CHECK (length(phash) = 16),
  mean       REAL    NOT NULL,
  std        REAL    NOT NULL
);
CREATE INDEX sample_hashes_by_pixel_hash ON sample_hashes(pixel_hash);

CREATE TABLE health_reports (
  id             INTEGER PRIMARY KEY,
  created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  near_threshold INTEGER NOT NULL CHECK (near_threshold >= 0),
  faces          INTEGER NOT NULL CHECK (faces >= 0),
  -- The counts the CLI and the Project view show (api/contract/health.ts HealthSummary).
  summary        TEXT    NOT NULL CHECK (json_valid(summary)),
  -- The faces behind each count (duplicate groups, near pairs, flagged and top outlier ids), for Review.
  findings       TEXT    NOT NULL CHECK (json_valid(findings))
);

-- A review decision "duplicate of face N": an 'ambiguous' decision (so the face leaves training
-- and current-label evaluation by the same path, undoable like any decision) that names the
-- face kept in its place.
ALTER TABLE relabels ADD COLUMN duplicate_of INTEGER REFERENCES samples(id);
