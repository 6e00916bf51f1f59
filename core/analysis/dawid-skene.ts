/**
 * Dawid-Skene consensus (Dawid & Skene 1979) by EM: each face has a latent true class z with
 * prior pi_j; annotator a, shown a face of class j, answers l with probability theta_a[j][l]
 * (his confusion matrix). Input is sparse counts n_{i,a,l} (one entry per label given, or a
 * count), so repeated labels and a single pooled "crowd" annotator over vote counts (FER+,
 * see crowd-statistics.ts) are handled by the same code.
 *
 * Initialisation: posteriors T_i = the face's normalised vote proportions (the soft majority
 * vote, as in Dawid & Skene's paper); this keeps class indices aligned with the labels (no
 * label switching). Smoothing: `smoothing` pseudo-counts are added to every confusion cell
 * and `priorSmoothing` to every class count, i.e. MAP-EM under Dirichlet priors, so that an
 * annotator who never saw class j gets a uniform row instead of 0/0. EM then increases the
 * penalised log-likelihood log p(labels | params) + smoothing * sum log theta
 * + priorSmoothing * sum log pi monotonically: that is the `objective` trace (non-decreasing);
 * the plain data log-likelihood is reported alongside. Stops when the objective's change is at
 * most `tolerance` x max(1, |objective|), or after `maxIterations`. Faces without labels get
 * the prior as posterior and are left out of the prior's estimate.
 * Cost per iteration: O(entries x K + faces x K + annotators x K^2).
 */

export interface DawidSkeneInput {
  item: Int32Array;
  annotator: Int32Array;
  /** Category 0..K-1 per entry; entries outside are ignored. */
  label: Int32Array;
  /** How many times the entry's annotator gave that label to that face; default 1 each. */
  count?: ArrayLike<number>;
  numItems: number;
  numAnnotators: number;
  numCategories: number;
}

export interface DawidSkeneOptions {
  smoothing?: number;
  priorSmoothing?: number;
  tolerance?: number;
  maxIterations?: number;
}

export const DAWID_SKENE_DEFAULTS: Required<DawidSkeneOptions> = {
  smoothing: 0.01,
  priorSmoothing: 0.01,
  tolerance: 1e-7,
  maxIterations: 100,
};

export interface DawidSkeneResult {
  k: number;
  /** P(z_i = j | labels), numItems x K. */
  posteriors: Float64Array;
  /** argmax of each posterior row (-1 for a face without labels). */
  consensus: Int32Array;
  priors: Float64Array;
  /** numAnnotators x K x K; [a][j][l] = P(annotator a says l | true class j). */
  confusion: Float64Array;
  /** Per annotator: sum_j prior_j * theta_a[j][j], the chance he is right on a random face. */
  reliability: Float64Array;
  /** Penalised log-likelihood after each iteration (non-decreasing). */
  objective: number[];
  /** Plain log-likelihood of the labels after each iteration. */
  logLikelihood: number[];
  iterations: number;
  converged: boolean;
}

export function dawidSkene(input: DawidSkeneInput, options: DawidSkeneOptions = {}): DawidSkeneResult {
  const opt = { ...DAWID_SKENE_DEFAULTS, ...options };
  if (!(opt.smoothing >= 0) || !(opt.priorSmoothing >= 0)) throw new Error('dawidSkene: smoothing must be >= 0');
  if (!(opt.maxIterations >= 1)) throw new Error(`dawidSkene: maxIterations must be >= 1 (got ${opt.maxIterations})`);
  const { item, annotator, label, numItems: n, numAnnotators: na, numCategories: k } = input;
  const m = item.length;
  if (annotator.length !== m || label.length !== m || (input.count && input.count.length !== m)) {
    throw new Error('dawidSkene: item, annotator, label and count columns differ in length');
  }
  for (let e = 0; e < m; e++) {
    if (!(item[e] >= 0 && item[e] < n)) throw new Error(`dawidSkene: item[${e}] = ${item[e]} is outside 0..${n - 1}`);
    if (!(annotator[e] >= 0 && annotator[e] < na)) throw new Error(`dawidSkene: annotator[${e}] = ${annotator[e]} is outside 0..${na - 1}`);
  }
  // Compact the usable entries once, so the EM loops run over plain typed arrays.
  let used = 0;
  for (let e = 0; e < m; e++) if (label[e] >= 0 && label[e] < k && (input.count ? input.count[e] > 0 : true)) used++;
  const eItem = new Int32Array(used);
  /** Offset of theta[annotator][0][label]; class j adds j * k. */
  const eCell = new Int32Array(used);
  const eCount = new Float64Array(used);
  for (let e = 0, u = 0; e < m; e++) {
    const c = input.count ? input.count[e] : 1;
    if (!(label[e] >= 0 && label[e] < k && c > 0)) continue;
    eItem[u] = item[e];
    eCell[u] = annotator[e] * k * k + label[e];
    eCount[u++] = c;
  }

  // Initial posteriors: normalised vote proportions.
  const T = new Float64Array(n * k);
  const labelled = new Uint8Array(n);
  for (let u = 0; u < used; u++) {
    T[eItem[u] * k + (eCell[u] % k)] += eCount[u];
    labelled[eItem[u]] = 1;
  }
  let numLabelled = 0;
  for (let i = 0; i < n; i++) {
    if (!labelled[i]) continue;
    numLabelled++;
    let s = 0;
    for (let j = 0; j < k; j++) s += T[i * k + j];
    for (let j = 0; j < k; j++) T[i * k + j] /= s;
  }

  const theta = new Float64Array(na * k * k);
  const logTheta = new Float64Array(na * k * k);
  const priors = new Float64Array(k);
  const logPriors = new Float64Array(k);
  const objective: number[] = [];
  const logLikelihood: number[] = [];
  let converged = false;
  let it = 0;
  while (it < opt.maxIterations) {
    it++;
    // M-step from the current posteriors.
    theta.fill(0);
    priors.fill(0);
    for (let u = 0; u < used; u++) {
      const base = eCell[u];
      const row = eItem[u] * k;
      const c = eCount[u];
      for (let j = 0; j < k; j++) theta[base + j * k] += T[row + j] * c;
    }
    for (let i = 0; i < n; i++) if (labelled[i]) for (let j = 0; j < k; j++) priors[j] += T[i * k + j];
    let penalty = 0;
    for (let r = 0; r < na * k; r++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += theta[r * k + l] + opt.smoothing;
      for (let l = 0; l < k; l++) {
        const v = s > 0 ? (theta[r * k + l] + opt.smoothing) / s : 1 / k;
        theta[r * k + l] = v;
        logTheta[r * k + l] = Math.log(v);
        if (opt.smoothing > 0) penalty += opt.smoothing * logTheta[r * k + l];
      }
    }
    const priorTotal = numLabelled + k * opt.priorSmoothing;
    for (let j = 0; j < k; j++) {
      priors[j] = priorTotal > 0 ? (priors[j] + opt.priorSmoothing) / priorTotal : 1 / k;
      logPriors[j] = Math.log(priors[j]);
      if (opt.priorSmoothing > 0) penalty += opt.priorSmoothing * logPriors[j];
    }

    // E-step: log posteriors, normalised per face; the normalisers sum to the log-likelihood.
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) T[i * k + j] = logPriors[j];
    for (let u = 0; u < used; u++) {
      const base = eCell[u];
      const row = eItem[u] * k;
      const c = eCount[u];
      for (let j = 0; j < k; j++) T[row + j] += c * logTheta[base + j * k];
    }
    let ll = 0;
    for (let i = 0; i < n; i++) {
      let mx = -Infinity;
      for (let j = 0; j < k; j++) mx = Math.max(mx, T[i * k + j]);
      let s = 0;
      for (let j = 0; j < k; j++) s += Math.exp(T[i * k + j] - mx);
      const lse = mx + Math.log(s);
      for (let j = 0; j < k; j++) T[i * k + j] = Math.exp(T[i * k + j] - lse);
      if (labelled[i]) ll += lse;
    }
    const obj = ll + penalty;
    const prev = objective.length > 0 ? objective[objective.length - 1] : Number.NaN;
    objective.push(obj);
    logLikelihood.push(ll);
    if (objective.length > 1 && Math.abs(obj - prev) <= opt.tolerance * Math.max(1, Math.abs(prev))) {
      converged = true;
      break;
    }
  }

  const consensus = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (!labelled[i]) {
      consensus[i] = -1;
      continue;
    }
    let best = 0;
    for (let j = 1; j < k; j++) if (T[i * k + j] > T[i * k + best]) best = j;
    consensus[i] = best;
  }
  const reliability = new Float64Array(na);
  for (let a = 0; a < na; a++) {
    let r = 0;
    for (let j = 0; j < k; j++) r += priors[j] * theta[a * k * k + j * k + j];
    reliability[a] = r;
  }
  return { k, posteriors: T, consensus, priors, confusion: theta, reliability, objective, logLikelihood, iterations: it, converged };
}
