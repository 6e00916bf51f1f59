/**
 * Class weighting against imbalance (METHOD 3.5: "Class weighting for imbalance is an option"),
 * one rule for every model kind. 'balanced' gives class c the weight n / (K n_c), with n_c its
 * count among the hard labels and K the number of classes present (scikit-learn's 'balanced').
 * Counting only present classes makes the weights average exactly 1 over the rows, so turning
 * weighting on re-balances the classes without silently scaling the loss (and so the step size)
 * on a project that lacks a class; with all 8 classes present it is n / (8 n_c). A row's weight
 * is its target's mix of class weights, sum_c target_c w_c, so a soft target is weighted by the
 * classes its annotators chose.
 *
 * 'sqrt' is the softer rule: the square root of the balanced weights, rescaled so that the rows'
 * weights again average exactly 1 (sum_c n_c w_c = n). It moves a rare class's weight half way
 * (in log terms) from 1 to its balanced weight, for when 'balanced' costs the common classes
 * more accuracy than the rare ones gain.
 */

export type ClassWeighting = 'none' | 'balanced' | 'sqrt';
export const CLASS_WEIGHTINGS: readonly ClassWeighting[] = ['none', 'balanced', 'sqrt'];

/** How many rows of `y` hold each class; a label outside 0..classes-1 is refused naming its row. */
function classCounts(y: ArrayLike<number>, classes: number): Float64Array {
  const counts = new Float64Array(classes);
  for (let r = 0; r < y.length; r++) {
    const c = y[r];
    if (!(c >= 0 && c < classes)) throw new Error(`class weights: row ${r} has label ${c}, expected 0..${classes - 1}`);
    counts[c]++;
  }
  return counts;
}

function balancedFromCounts(counts: Float64Array, n: number): Float64Array {
  let present = 0;
  for (const c of counts) if (c > 0) present++;
  return counts.map((c) => (c > 0 ? n / (present * c) : 0));
}

/** w_c = n / (K n_c) over the K classes present in `y`; 0 for a class with no rows. */
export function balancedClassWeights(y: ArrayLike<number>, classes: number): Float64Array {
  return balancedFromCounts(classCounts(y, classes), y.length);
}

/** w_c proportional to sqrt(n / (K n_c)), scaled so that sum_c n_c w_c = n; 0 for a class with no rows. */
export function sqrtClassWeights(y: ArrayLike<number>, classes: number): Float64Array {
  const counts = classCounts(y, classes);
  const root = balancedFromCounts(counts, y.length).map(Math.sqrt);
  let mass = 0;
  for (let c = 0; c < classes; c++) mass += counts[c] * root[c];
  return root.map((w) => (w * y.length) / mass);
}

/** Per-row weights sum_c target_c w_c for row-major targets (rows x classes). */
export function rowWeightsFor(targets: Float32Array, classWeights: ArrayLike<number>, classes: number): Float32Array {
  if (classWeights.length !== classes) throw new Error(`class weights: ${classWeights.length} weights for ${classes} classes`);
  const rows = targets.length / classes;
  const w = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < classes; c++) s += targets[r * classes + c] * classWeights[c];
    w[r] = s;
  }
  return w;
}

/** Row weights of a weighting option (or explicit per-class weights); null for 'none'. */
export function classRowWeights(option: ClassWeighting | readonly number[], y: ArrayLike<number>, targets: Float32Array, classes: number): Float32Array | null {
  if (option === 'none') return null;
  if (typeof option === 'string' && !CLASS_WEIGHTINGS.includes(option)) throw new Error(`class weights: unknown weighting ${JSON.stringify(option)}, expected ${CLASS_WEIGHTINGS.join(', ')}`);
  const w = option === 'balanced' ? balancedClassWeights(y, classes) : option === 'sqrt' ? sqrtClassWeights(y, classes) : option;
  return rowWeightsFor(targets, w, classes);
}
