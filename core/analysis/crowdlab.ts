/**
 * CROWDLAB (Goh, Gupta, Mueller 2022, "CROWDLAB: Supervised learning to infer consensus labels
 * and quality scores for data with multiple annotators"; cleanlab.multiannotator): a face's
 * label quality is its probability under a posterior that averages the model's out-of-fold
 * probabilities with the annotators' votes, each weighted by how reliable it is estimated to be
 * against a majority-class baseline. Definitions as in the paper, with C = 8 classes:
 *
 *   consensus c_i        plurality of the face's class votes (ties: the class the model prefers)
 *   M                    faces with >= 2 class votes (where agreement can be measured)
 *   CL                   mean over M of the share of a face's votes that equal c_i; NCL = (1-CL)/(C-1)
 *   E0                   error of always answering the most frequent consensus class on M
 *   A                    annotator agreement with the other annotators of the same faces
 *   w_A = max(1 - (1-A)/E0, eps),   w_M = max(1 - e_M/E0, eps) * sqrt(mean votes per face)
 *                        with e_M the model's disagreement with the consensus on M
 *   post_ik = (w_M p_ik + w_A sum_votes [vote = k ? CL : NCL]) / (w_M + w_A n_i)
 *
 * Score = post_i[given label]: low = the given label is probably wrong. Anonymous votes (FER+'s
 * taggers) cannot be told apart, so all votes share one reliability (the paper's per-annotator
 * A_j pooled over annotators: the mean, over votes, of the share of the face's other votes that
 * agree). With one vote per face (M empty) agreement cannot be measured; CL and A are then the
 * votes' agreement with the model and E0 is taken over all voted faces: with n_i = 1 everywhere
 * the posterior is a rising function of p_i[given], so the ranking is self-confidence's
 * whatever the weights, as the paper's single-annotator case reduces to.
 */
import { NUM_CLASSES } from '../../api/domain.ts';
import { VOTE_STRIDE } from './kl.ts';

const EPS = 1e-6;

export interface CrowdlabResult {
  /** post_i[given label], NaN without class votes or without a class label. */
  score: Float64Array;
  /** The posterior, n x 8 (NaN rows for faces without class votes). */
  posterior: Float64Array;
  consensus: Int32Array;
  modelWeight: number;
  annotatorWeight: number;
  consensusLikelihood: number;
}

export function crowdlab(probs: ArrayLike<number>, votes: ArrayLike<number>, givenLabels: ArrayLike<number>): CrowdlabResult {
  const C = NUM_CLASSES;
  const n = probs.length / C;
  if (!Number.isInteger(n) || votes.length !== n * VOTE_STRIDE || givenLabels.length !== n) {
    throw new Error(`crowdlab: ${probs.length / C} probability rows, ${votes.length / VOTE_STRIDE} vote rows, ${givenLabels.length} labels`);
  }
  const total = new Float64Array(n);
  const consensus = new Int32Array(n).fill(-1);
  const argmax = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -1;
    for (let c = 0; c < C; c++) {
      const v = votes[i * VOTE_STRIDE + c];
      total[i] += v;
      if (v > 0 && (best < 0 || v > votes[i * VOTE_STRIDE + best] || (v === votes[i * VOTE_STRIDE + best] && probs[i * C + c] > probs[i * C + best]))) best = c;
    }
    consensus[i] = best;
    let a = 0;
    for (let c = 1; c < C; c++) if (probs[i * C + c] > probs[i * C + a]) a = c;
    argmax[i] = a;
  }
  const multi = (i: number) => total[i] >= 2;
  let nMulti = 0;
  for (let i = 0; i < n; i++) if (multi(i)) nMulti++;
  // Faces the statistics are taken over: M, or every voted face when M is empty (see above).
  const inStats = nMulti > 0 ? multi : (i: number) => total[i] >= 1;
  let count = 0;
  let agree = 0;
  let modelWrong = 0;
  let voteSum = 0;
  let votedFaces = 0;
  const consensusCount = new Float64Array(C);
  let pairAgree = 0;
  let pairVotes = 0;
  for (let i = 0; i < n; i++) {
    if (total[i] >= 1) {
      voteSum += total[i];
      votedFaces++;
    }
    if (!inStats(i)) continue;
    count++;
    consensusCount[consensus[i]]++;
    if (argmax[i] !== consensus[i]) modelWrong++;
    if (nMulti > 0) {
      agree += votes[i * VOTE_STRIDE + consensus[i]] / total[i];
      for (let c = 0; c < C; c++) {
        const v = votes[i * VOTE_STRIDE + c];
        pairAgree += (v * (v - 1)) / (total[i] - 1);
      }
      pairVotes += total[i];
    } else agree += votes[i * VOTE_STRIDE + argmax[i]] / total[i];
  }
  const out: CrowdlabResult = { score: new Float64Array(n).fill(Number.NaN), posterior: new Float64Array(n * C).fill(Number.NaN), consensus, modelWeight: Number.NaN, annotatorWeight: Number.NaN, consensusLikelihood: Number.NaN };
  if (count === 0) return out;
  const cl = agree / count;
  const ncl = (1 - cl) / (C - 1);
  let top = 0;
  for (let c = 0; c < C; c++) top = Math.max(top, consensusCount[c]);
  const e0 = Math.max(1 - top / count, EPS);
  const annotatorAgreement = nMulti > 0 ? pairAgree / pairVotes : cl;
  const wA = Math.max(1 - (1 - annotatorAgreement) / e0, EPS);
  const wM = Math.max(1 - modelWrong / count / e0, EPS) * Math.sqrt(voteSum / votedFaces);
  for (let i = 0; i < n; i++) {
    if (total[i] < 1) continue;
    const denom = wM + wA * total[i];
    for (let k = 0; k < C; k++) {
      const vk = votes[i * VOTE_STRIDE + k];
      out.posterior[i * C + k] = (wM * probs[i * C + k] + wA * (vk * cl + (total[i] - vk) * ncl)) / denom;
    }
    const y = givenLabels[i];
    if (Number.isInteger(y) && y >= 0 && y < C) out.score[i] = out.posterior[i * C + y];
  }
  return Object.assign(out, { modelWeight: wM, annotatorWeight: wA, consensusLikelihood: cl });
}

/**
 * Normalised margin of the given label (cleanlab's `normalized_margin`): (p_y - max_{k != y} p_k + 1) / 2,
 * in [0, 1]; below 1/2 the model prefers another class. NaN without a class label.
 */
export function normalizedMargin(probs: ArrayLike<number>, givenLabels: ArrayLike<number>): Float64Array {
  const n = givenLabels.length;
  if (probs.length !== n * NUM_CLASSES) throw new Error(`normalizedMargin: ${probs.length / NUM_CLASSES} probability rows but ${n} labels`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = givenLabels[i];
    if (!(Number.isInteger(y) && y >= 0 && y < NUM_CLASSES)) {
      out[i] = Number.NaN;
      continue;
    }
    let other = -Infinity;
    for (let k = 0; k < NUM_CLASSES; k++) if (k !== y) other = Math.max(other, probs[i * NUM_CLASSES + k]);
    out[i] = (probs[i * NUM_CLASSES + y] - other + 1) / 2;
  }
  return out;
}
