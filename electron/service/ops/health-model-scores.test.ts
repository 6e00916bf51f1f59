// Outliers by a DBN's own free energy in a real project: a model file on disk, registered in the
// project, is picked by default (the latest Adaptive DBN), ranks the faces by the first RBM
// layer's free energy as a float64 oracle computes it, and a CNN is refused by name.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { saveSnapshot } from '../../../core/train/snapshot-file.ts';
import type { ModelSnapshot } from '../../../core/train/types.ts';
import { Rng } from '../../../core/util/rng.ts';
import { createModel } from '../../../db/model-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { makeRecord, tempProject } from '../../../db/test-support.ts';
import { computeHealth } from './health.ts';

const softplus = (z: number) => (z > 30 ? z : Math.log1p(Math.exp(z)));

test('health ranks outliers by the latest Adaptive DBN\'s first-layer free energy', async () => {
  const p = tempProject();
  try {
    const I = 48 * 48;
    const J = 3;
    const rng = new Rng(8);
    const w = Float32Array.from({ length: I * J }, () => 0.02 * rng.normal());
    const b = Float32Array.from({ length: I }, () => 0.5 * rng.normal());
    const c = Float32Array.from({ length: J }, () => 0.1 * rng.normal());
    const snap: ModelSnapshot = {
      kind: 'adbn',
      meta: { config: { gaussianFirstLayer: false } },
      tensors: { 'rbm0.w': { shape: [I, J], data: w }, 'rbm0.b': { shape: [I], data: b }, 'rbm0.c': { shape: [J], data: c } },
    };
    const file = join(p.db.modelsDir, 'adbn.snapshot');
    await saveSnapshot(file, snap);
    createModel(p.db, { kind: 'cnn', name: 'a cnn', filePath: join(p.db.modelsDir, 'missing.cnn'), inputSize: { height: 48, width: 48 } });
    const adbn = createModel(p.db, { kind: 'adbn', name: 'adbn', filePath: file, inputSize: { height: 48, width: 48 } });
    const cnn = createModel(p.db, { kind: 'cnn', name: 'later cnn', filePath: join(p.db.modelsDir, 'missing2.cnn'), inputSize: { height: 48, width: 48 } });

    const recs = Array.from({ length: 25 }, (_, i) => makeRecord({ index: i, votes: null }));
    const ids = insertSampleBatch(p.db, recs).ids as number[];
    const oracle = recs.map((r) => {
      let f = 0;
      for (let i = 0; i < I; i++) f -= (r.pixels[i] / 255) * b[i];
      for (let j = 0; j < J; j++) {
        let z = c[j];
        for (let i = 0; i < I; i++) z += (r.pixels[i] / 255) * w[i * J + j];
        f -= softplus(z);
      }
      return f;
    });
    const expectedTop = oracle.map((f, i) => [f, ids[i]] as const).sort((x, y) => y[0] - x[0]).map(([, id]) => id);

    const s = (await computeHealth(p.db)).summary;
    assert.equal(s.outliers.score, 'free-energy');
    assert.equal(s.outliers.modelId, adbn);
    // Differences between faces are ~0.1 of free energy here; float32 on the runtime keeps the order.
    assert.deepEqual(s.outliers.top.slice(0, 5), expectedTop.slice(0, 5));

    await assert.rejects(computeHealth(p.db, { modelId: cnn }), new RegExp(`model ${cnn} is a cnn; outlier scores need an Adaptive DBN or a DBN`));
  } finally {
    p.remove();
  }
});
