-- Large projects (AffectNet's ~300,000 faces): the review options ask whether any face has two
-- or more votes, and the project summary counts and sums the votes. Without an index on the
-- vote total the first scans every vote row when none qualifies (an AffectNet project), and the
-- second reads the whole 13-column table; with it, a seek and a scan of a narrow index.
CREATE INDEX sample_votes_by_total ON sample_votes(n_total);
