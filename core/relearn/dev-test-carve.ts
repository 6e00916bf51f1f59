/**
 * The seeded dev-test draw: round(fraction * n_c) faces of every label stratum c (class codes
 * and the non-class codes alike), so the dev-test has the train split's label mix. The draw is
 * a seeded shuffle per stratum; the chosen rows are returned ascending. Same labels, fraction
 * and seed, same rows.
 */
import { Rng } from '../util/rng.ts';

export function drawDevTestRows(labels: ArrayLike<number>, fraction: number, seed: number): Int32Array {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`dev-test: fraction must be between 0 and 1 exclusive (got ${fraction})`);
  if (!Number.isInteger(seed)) throw new Error(`dev-test: seed must be an integer (got ${seed})`);
  const strata = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const s = strata.get(labels[i]);
    if (s) s.push(i);
    else strata.set(labels[i], [i]);
  }
  const rng = new Rng(seed ^ 0xde7e57);
  const chosen: number[] = [];
  // Strata in label order so the draw does not depend on the order faces were met.
  for (const key of [...strata.keys()].sort((a, b) => a - b)) {
    const rows = Int32Array.from(strata.get(key)!);
    const take = Math.round(fraction * rows.length);
    const order = rng.shuffle(rows) as Int32Array;
    for (let i = 0; i < take; i++) chosen.push(order[i]);
  }
  return Int32Array.from(chosen).sort();
}
