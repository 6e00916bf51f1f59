/** Annotator statistics (METHOD.md 5): agreement with the consensus, Dawid-Skene, and the faces behind a cell. */
import * as v from 'valibot';
import { NoParamsSchema, classId, numbers, obj, sampleId, str } from './fields.ts';

const matrix = () => v.array(numbers());

/** One identified annotator: leave-one-out agreement with the consensus and Dawid-Skene figures. */
export const IdentifiedAnnotatorStatsSchema = v.object({
  name: v.string(),
  labelled: v.number(),
  /** Labels compared with a consensus of the other annotators. */
  compared: v.number(),
  /** Share of compared labels equal to the consensus, in [0, 1]. */
  agreement: v.number(),
  /** 8x8 counts, rows = consensus of the other annotators, columns = this annotator's label. */
  confusion: matrix(),
  /** Dawid-Skene P(label | true class), rows = true class. */
  dawidSkeneConfusion: matrix(),
  /** Dawid-Skene probability that this annotator's label is right, in [0, 1]. */
  dawidSkeneReliability: v.number(),
});
export type IdentifiedAnnotatorStats = v.InferOutput<typeof IdentifiedAnnotatorStatsSchema>;

/** Annotator statistics of the open project; `identified` for named annotators, `crowd` for anonymous vote counts (FER+). */
export const AnnotatorStatsResultSchema = v.object({
  faces: v.number(),
  identified: v.nullable(
    v.object({
      faces: v.number(),
      annotations: v.number(),
      overallAgreement: v.number(),
      fleissKappa: v.number(),
      annotators: v.array(IdentifiedAnnotatorStatsSchema),
      dawidSkene: v.object({ iterations: v.number(), converged: v.boolean(), priors: numbers() }),
    }),
  ),
  crowd: v.nullable(
    v.object({
      faces: v.number(),
      facesWithVotes: v.number(),
      fleissKappa: v.number(),
      majorityAgreement: v.number(),
      majorityShare: v.number(),
      meanVoteEntropy: v.number(),
      dawidSkeneConfusion: matrix(),
      dawidSkeneReliability: v.number(),
      priors: numbers(),
    }),
  ),
});
export type AnnotatorStatsResult = v.InferOutput<typeof AnnotatorStatsResultSchema>;

/** The faces behind one cell of an annotator's confusion matrix. */
export const AnnotatorFacesParamsSchema = obj({
  annotator: str({ minLength: 1, maxLength: 200 }),
  /** Consensus class of the other annotators (the matrix row). */
  consensus: classId(),
  /** This annotator's label (the matrix column). */
  label: classId(),
});
export type AnnotatorFacesParams = v.InferOutput<typeof AnnotatorFacesParamsSchema>;

export const annotatorRequests = {
  'annotators.stats': { params: NoParamsSchema, result: AnnotatorStatsResultSchema },
  'annotators.faces': { params: AnnotatorFacesParamsSchema, result: v.object({ sampleIds: v.array(sampleId()) }) },
};
