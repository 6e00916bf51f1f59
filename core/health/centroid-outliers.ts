/**
 * Outlier scores as distances in a feature space: to the centroid of all faces (global) and to
 * the centroid of the face's own class (the faces given the same label). Built in two passes
 * so that 300,000 faces never sit in memory at once: `add` every face, then `score` each.
 * The features are whatever the caller has: a model's penultimate layer, or (before any model
 * exists) the face's pixels standardised to zero mean and unit variance (`standardisedPixels`),
 * which takes brightness and contrast out, so what is left is the shape of the image.
 */

/** Per-image z-scored pixels; a flat image (std below 1 grey level) becomes all zeros instead of dividing by ~0. */
export function standardisedPixels(pixels: Uint8Array, out = new Float64Array(pixels.length)): Float64Array {
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) sum += pixels[i];
  const mean = sum / pixels.length;
  let sq = 0;
  for (let i = 0; i < pixels.length; i++) sq += (pixels[i] - mean) ** 2;
  const std = Math.sqrt(sq / pixels.length);
  const inv = std < 1 ? 0 : 1 / std;
  for (let i = 0; i < pixels.length; i++) out[i] = (pixels[i] - mean) * inv;
  return out;
}

export class CentroidScorer {
  private readonly globalSum: Float64Array;
  private globalCount = 0;
  private readonly classSums = new Map<number, { sum: Float64Array; count: number }>();
  private finished: { global: Float64Array; classes: Map<number, Float64Array> } | null = null;

  constructor(readonly dim: number) {
    this.globalSum = new Float64Array(dim);
  }

  /** First pass: one face's features and its class (null: no class, counted in the global centroid only). */
  add(features: ArrayLike<number>, cls: number | null): void {
    if (this.finished) throw new Error('CentroidScorer: add() after score()');
    if (features.length !== this.dim) throw new Error(`CentroidScorer: expected ${this.dim} features, got ${features.length}`);
    for (let i = 0; i < this.dim; i++) this.globalSum[i] += features[i];
    this.globalCount++;
    if (cls === null) return;
    let c = this.classSums.get(cls);
    if (!c) this.classSums.set(cls, (c = { sum: new Float64Array(this.dim), count: 0 }));
    for (let i = 0; i < this.dim; i++) c.sum[i] += features[i];
    c.count++;
  }

  private centroids() {
    if (!this.finished) {
      if (this.globalCount === 0) throw new Error('CentroidScorer: no faces were added');
      const mean = (s: Float64Array, n: number) => s.map((x) => x / n);
      const classes = new Map<number, Float64Array>();
      for (const [cls, c] of this.classSums) classes.set(cls, mean(c.sum, c.count));
      this.finished = { global: mean(this.globalSum, this.globalCount), classes };
    }
    return this.finished;
  }

  /** Second pass: Euclidean distances to the global centroid and to the face's class centroid (NaN without a class). */
  score(features: ArrayLike<number>, cls: number | null): { global: number; cls: number } {
    const { global, classes } = this.centroids();
    const own = cls === null ? undefined : classes.get(cls);
    let g = 0;
    let c = 0;
    for (let i = 0; i < this.dim; i++) {
      g += (features[i] - global[i]) ** 2;
      if (own) c += (features[i] - own[i]) ** 2;
    }
    return { global: Math.sqrt(g), cls: own ? Math.sqrt(c) : Number.NaN };
  }
}
