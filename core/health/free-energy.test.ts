import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freeEnergyGraph } from '../models/rbm/rbm-graphs.ts';
import { compiled } from '../runtime/select-runtime.ts';
import type { ModelSnapshot } from '../train/types.ts';
import { Rng } from '../util/rng.ts';
import { firstRbmOf, freeEnergies, rbmInput, type FirstRbm } from './free-energy.ts';

const softplus = (z: number) => (z > 30 ? z : Math.log1p(Math.exp(z)));

/** Float64 free energy of one row straight from the formula. */
function oracle(r: FirstRbm, v: ArrayLike<number>): number {
  let hidden = 0;
  for (let j = 0; j < r.hidden; j++) {
    let z = r.c[j];
    for (let i = 0; i < r.visible; i++) z += v[i] * r.w[i * r.hidden + j];
    hidden += softplus(z);
  }
  let visible = 0;
  for (let i = 0; i < r.visible; i++) visible += r.gaussian ? 0.5 * (v[i] - r.b[i]) ** 2 : -v[i] * r.b[i];
  return visible - hidden;
}

test('per-face free energies match the formula in float64, and sum to the training graph free energy', () => {
  const rng = new Rng(4);
  for (const gaussian of [false, true]) {
    const I = 20;
    const J = 7;
    const rand = (n: number, s: number) => Float32Array.from({ length: n }, () => s * rng.normal());
    const rbm: FirstRbm = { visible: I, hidden: J, w: rand(I * J, 0.5), b: rand(I, 0.3), c: rand(J, 0.3), gaussian, standardiser: null };
    const rows = 9;
    const v = Float32Array.from({ length: rows * I }, () => (gaussian ? rng.normal() : rng.next()));
    const f = freeEnergies(rbm, v, rows);
    assert.equal(f.length, rows);
    for (let r = 0; r < rows; r++) {
      const want = oracle(rbm, v.subarray(r * I, (r + 1) * I));
      assert.ok(Math.abs(f[r] - want) < 1e-4 * (1 + Math.abs(want)), `${gaussian ? 'gaussian' : 'bernoulli'} row ${r}: ${f[r]} vs ${want}`);
    }
    const total = compiled(`test_fe_${gaussian}`, () => freeEnergyGraph(gaussian)).run({
      v: { data: v, dims: [rows, I] }, w: { data: rbm.w, dims: [I, J] }, b: { data: rbm.b, dims: [I] }, c: { data: rbm.c, dims: [J] },
    }).f.data[0];
    assert.ok(Math.abs(f.reduce((s, x) => s + x, 0) - total) < 1e-3 * (1 + Math.abs(total)));
  }
});

test('firstRbmOf reads rbm0 of a DBN snapshot; inputs are pixels / 255, standardised for a Gaussian layer', () => {
  const tensor = (shape: number[], fill: number) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(fill) });
  const snap: ModelSnapshot = {
    kind: 'adbn',
    meta: { config: { gaussianFirstLayer: true } },
    tensors: { 'rbm0.w': tensor([4, 3], 0.1), 'rbm0.b': tensor([4], 0), 'rbm0.c': tensor([3], 0), 'input.mean': tensor([4], 0.5), 'input.std': tensor([4], 0.25) },
  };
  const r = firstRbmOf(snap);
  assert.deepEqual([r.visible, r.hidden, r.gaussian], [4, 3, true]);
  const out = new Float32Array(4);
  rbmInput(r, Uint8Array.from([0, 255, 51, 204]), out);
  // (0 - .5)/.25 = -2, (1 - .5)/.25 = 2, (.2 - .5)/.25 = -1.2, (.8 - .5)/.25 = 1.2
  assert.deepEqual(Array.from(out).map((x) => Math.round(x * 1e5) / 1e5), [-2, 2, -1.2, 1.2]);
  assert.throws(() => rbmInput(r, new Uint8Array(5), out), /a face of 5 pixels for an RBM of 4 visible units/);
  assert.throws(() => firstRbmOf({ ...snap, kind: 'cnn' }, 'model 3'), /model 3: free energy needs a DBN model, this is a cnn/);
  const { 'rbm0.c': _c, ...rest } = snap.tensors;
  void _c;
  assert.throws(() => firstRbmOf({ ...snap, tensors: rest }, 'model 3'), /model 3: the snapshot has no tensor rbm0.c/);
});
