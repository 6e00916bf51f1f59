/**
 * Reading a Matrix's rows (matrix-rows.ts) against an independent float reference: bytes give
 * b / 255 as float32, a row selection gives the selected rows, a column scaling gives
 * (v - mean) / std rounded to float32, exactly what a materialised copy would hold.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng.ts';
import { forEachBlock, gatherRows, rowBlock, scaled, selectRows, toFloat32 } from './matrix-rows.ts';
import type { Matrix } from './types.ts';

const rng = new Rng(11);
const rows = 37, cols = 13;
const bytes = Uint8Array.from({ length: rows * cols }, () => rng.int(256));
// The reference a float32 copy of the pixels would hold, computed here, not by the module.
const floats = new Float32Array(rows * cols);
for (let k = 0; k < bytes.length; k++) floats[k] = bytes[k] / 255;
const mean = Float32Array.from({ length: cols }, () => rng.next());
const std = Float32Array.from({ length: cols }, () => 0.1 + rng.next());

test('bytes read as b / 255 in float32, through every reader', () => {
  const x: Matrix = { data: bytes, rows, cols };
  assert.deepEqual(toFloat32(x), floats);
  const pick = [5, 0, 36, 5];
  const out = gatherRows(x, pick, new Float32Array(pick.length * cols));
  pick.forEach((r, i) => assert.deepEqual(out.subarray(i * cols, (i + 1) * cols), floats.subarray(r * cols, (r + 1) * cols)));
  assert.deepEqual(rowBlock(x, 30, 7), floats.subarray(30 * cols));
  const seen: number[] = [];
  forEachBlock(x, (block, start, n) => {
    assert.ok(n <= 8);
    assert.deepEqual(block, floats.subarray(start * cols, (start + n) * cols));
    seen.push(start);
  }, 8);
  assert.deepEqual(seen, [0, 8, 16, 24, 32]);
});

test('a plain float matrix is read as a view, without a copy', () => {
  const x: Matrix = { data: floats, rows, cols };
  const b = rowBlock(x, 3, 4);
  assert.equal(b.buffer, floats.buffer);
  assert.equal(b.byteOffset, 3 * cols * 4);
});

test('a scaled, row-selected view equals standardising a copy of the selected rows', () => {
  const sel = [9, 2, 2, 30];
  const view = scaled(selectRows({ data: bytes, rows, cols }, sel), { mean, std });
  const want = new Float32Array(sel.length * cols);
  sel.forEach((r, i) => {
    for (let c = 0; c < cols; c++) want[i * cols + c] = (floats[r * cols + c] - mean[c]) / std[c];
  });
  assert.deepEqual(toFloat32(view), want);
  // A selection of a selection composes (rows 1 and 3 of the view are rows 2 and 30).
  const again = selectRows(view, [3, 1]);
  assert.deepEqual(toFloat32(again), Float32Array.from([...want.subarray(3 * cols), ...want.subarray(cols, 2 * cols)]));
  // Float data through the same view gives the same values as bytes.
  assert.deepEqual(toFloat32(scaled(selectRows({ data: floats, rows, cols }, sel), { mean, std })), want);
});

test('rows outside the matrix and double scaling are refused with the row named', () => {
  const x: Matrix = { data: bytes, rows, cols };
  assert.throws(() => rowBlock(x, 35, 3), /row 37 is outside 0\.\.36/);
  assert.throws(() => selectRows(x, [40]), /row 40/);
  assert.throws(() => scaled(scaled(x, { mean, std }), { mean, std }), /already scaled/);
  assert.throws(() => scaled(x, { mean: mean.subarray(1), std }), /12 columns, the matrix 13/);
});
