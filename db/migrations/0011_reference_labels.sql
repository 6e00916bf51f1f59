-- Reference labels and two more ranking scores (measuring whether review pays off).

-- The full vote counts of a face imported with fewer votes than its dataset has (FER+ with
-- --votes-per-face K): the truth that detection metrics and the simulated reviewer measure
-- against. Kept apart from sample_votes so that nothing that trains, scores or chooses a
-- threshold can read them by accident (db/reference-votes.ts is their only reader).
CREATE TABLE reference_votes (
  sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
  -- Counts indexed by LabelCode (api/domain.ts), 12 entries.
  counts    TEXT    NOT NULL CHECK (json_valid(counts) AND json_array_length(counts) = 12)
);

-- CROWDLAB consensus quality and normalised margin of the given label (core/analysis/crowdlab.ts).
ALTER TABLE scores ADD COLUMN crowdlab REAL;
ALTER TABLE scores ADD COLUMN normalized_margin REAL;
CREATE INDEX scores_by_crowdlab ON scores(model_id, crowdlab);
CREATE INDEX scores_by_normalized_margin ON scores(model_id, normalized_margin);
