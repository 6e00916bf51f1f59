/**
 * The one place a Matrix's rows are read as float32: trainers gather a minibatch (or a block
 * of rows to predict) into a buffer of their own, converting bytes to [0, 1] and applying the
 * matrix's column scaling on the way. The float values equal what a float32 copy of the whole
 * matrix would hold (b / 255 rounded to float32, then (v - mean) / std rounded to float32), so
 * a run on bytes is bit-identical to one on a materialised float copy, without that copy.
 */
import type { ColumnScale, Matrix } from './types.ts';

/** b / 255 as float32, the value a byte pixel stands for. */
export const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/** Rows converted per block when a caller reads many rows (prediction, statistics): 512 rows of 48x48 = 4.7 MB of float32. */
export const BLOCK_ROWS = 512;

function checkRow(x: Matrix, row: number): void {
  if (row < 0 || row >= x.rows || !Number.isInteger(row)) throw new RangeError(`matrix row ${row} is outside 0..${x.rows - 1}`);
}

/** Writes row `row` of x (as float32, scaled) into `out` at `offset`. */
export function readRow(x: Matrix, row: number, out: Float32Array, offset: number): void {
  checkRow(x, row);
  const I = x.cols;
  const base = (x.index ? x.index[row] : row) * I;
  const d = x.data;
  const sc = x.scale;
  if (d instanceof Uint8Array) {
    if (sc) {
      const { mean, std } = sc;
      for (let i = 0; i < I; i++) out[offset + i] = (BYTE_TO_UNIT[d[base + i]] - mean[i]) / std[i];
    } else {
      for (let i = 0; i < I; i++) out[offset + i] = BYTE_TO_UNIT[d[base + i]];
    }
  } else if (sc) {
    const { mean, std } = sc;
    for (let i = 0; i < I; i++) out[offset + i] = (d[base + i] - mean[i]) / std[i];
  } else {
    out.set(d.subarray(base, base + I), offset);
  }
}

/** Gathers the given rows into `out` (rows.length x cols); returns the filled part of `out`. */
export function gatherRows(x: Matrix, rows: ArrayLike<number>, out: Float32Array): Float32Array {
  const I = x.cols;
  if (out.length < rows.length * I) throw new RangeError(`gather buffer holds ${out.length / I} rows, ${rows.length} asked`);
  for (let r = 0; r < rows.length; r++) readRow(x, rows[r], out, r * I);
  return out.subarray(0, rows.length * I);
}

/** True when rows of x are float32 in place (no conversion, no selection), so a block can be a view. */
export function isPlainFloat(x: Matrix): x is Matrix & { data: Float32Array } {
  return x.data instanceof Float32Array && !x.index && !x.scale;
}

/**
 * Rows [start, start + n) as float32: a view of `data` when x is plain float (no copy, as
 * before), otherwise converted into `buf` (grown when too small). Pass the returned buffer back
 * as `buf` to reuse it.
 */
export function rowBlock(x: Matrix, start: number, n: number, buf?: Float32Array): Float32Array {
  const I = x.cols;
  if (n <= 0) return new Float32Array(0);
  checkRow(x, start);
  checkRow(x, start + n - 1);
  if (isPlainFloat(x)) return x.data.subarray(start * I, (start + n) * I);
  const out = buf && buf.length >= n * I ? buf : new Float32Array(n * I);
  for (let r = 0; r < n; r++) readRow(x, start + r, out, r * I);
  return out.subarray(0, n * I);
}

/** Calls `f` with consecutive float32 blocks of at most `blockRows` rows (one reused buffer). */
export function forEachBlock(x: Matrix, f: (block: Float32Array, start: number, n: number) => void, blockRows = BLOCK_ROWS): void {
  const buf = isPlainFloat(x) ? undefined : new Float32Array(Math.min(blockRows, x.rows) * x.cols);
  for (let start = 0; start < x.rows; start += blockRows) {
    const n = Math.min(blockRows, x.rows - start);
    f(rowBlock(x, start, n, buf), start, n);
  }
}

/** The same rows read through a column scaling (a standardised view; nothing is copied). */
export function scaled(x: Matrix, scale: ColumnScale): Matrix {
  if (x.scale) throw new Error('matrix is already scaled; scaling twice is not supported');
  if (scale.mean.length !== x.cols || scale.std.length !== x.cols) throw new Error(`column scaling has ${scale.mean.length} columns, the matrix ${x.cols}`);
  return { ...x, scale };
}

/** Rows `rows` of x as a matrix (composing any existing selection; nothing is copied). */
export function selectRows(x: Matrix, rows: ArrayLike<number>): Matrix {
  const index = Int32Array.from(rows, (r) => {
    checkRow(x, r);
    return x.index ? x.index[r] : r;
  });
  return { ...x, rows: index.length, index };
}

/** A float32 copy of every row (for small matrices and tests; O(rows x cols)). */
export function toFloat32(x: Matrix): Float32Array {
  if (isPlainFloat(x)) return x.data.slice(0, x.rows * x.cols);
  return rowBlock(x, 0, x.rows, new Float32Array(x.rows * x.cols));
}
