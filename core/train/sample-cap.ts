/**
 * The seeded cap on training faces (the `maxSamples` option): a quick run, a fold model and a
 * resumed run must draw the same faces from the same seed, so there is exactly one way to draw
 * them. The draw is a seeded shuffle of the rows; the kept rows are returned ascending so the
 * subset keeps the pool's order.
 */
import { Rng } from '../util/rng.ts';

/** At most `max` of `rows`, chosen by `seed`, ascending; all rows when `max` is absent or not smaller. */
export function capRows(rows: Int32Array, max: number | undefined, seed: number): Int32Array {
  if (!max || rows.length <= max) return rows;
  const order = new Rng(seed ^ 0x5eed).shuffle(Int32Array.from(rows)) as Int32Array;
  return order.slice(0, max).sort();
}
