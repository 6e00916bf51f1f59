import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createModel } from './model-store.ts';
import { deletePredictions, getPrediction, readPredictions, writePredictions } from './prediction-store.ts';
import { insertSampleBatch } from './sample-store.ts';
import { lcg, makeRecord, tempProject } from './test-support.ts';

test('predictions round-trip float32 bit-exactly, with folds, per split', () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    const ids = insertSampleBatch(
      p.db,
      Array.from({ length: 20 }, (_, i) => makeRecord({ index: i, size: 4, split: i < 15 ? 'train' : 'test' })),
    ).ids.map((id) => id!);
    const model = createModel(p.db, { kind: 'cnn', name: 'parent', filePath: 'parent/model.bin', inputSize: { height: 4, width: 4 } });
    const rand = lcg(42);
    const probs = new Float32Array(20 * 8);
    for (let i = 0; i < probs.length; i++) probs[i] = rand();
    // Values that a careless conversion (through float64 text, or a normalisation) would change.
    probs.set([1e-38, Math.fround(1 / 3), 0.1, Number.MIN_VALUE, 0, 1, 3.4e38, -0], 0);
    const folds = ids.map((_, i) => (i < 15 ? i % 5 : -1));
    // Written through a subarray view with an offset, as a worker's shared buffer might be.
    const padded = new Float32Array(probs.length + 3);
    padded.set(probs, 3);
    writePredictions(p.db, model, { sampleIds: ids, probs: padded.subarray(3), folds });

    const all = readPredictions(p.db, model);
    assert.deepEqual([...all.ids], ids);
    assert.deepEqual(new Uint8Array(all.probs.buffer), new Uint8Array(probs.buffer), 'bit-exact');
    assert.deepEqual([...all.folds], folds);
    const test_ = readPredictions(p.db, model, 'test');
    assert.deepEqual([...test_.ids], ids.slice(15));
    assert.deepEqual([...test_.probs], [...probs.subarray(15 * 8)]);
    const one = getPrediction(p.db, model, ids[3])!;
    assert.deepEqual([...one.probs], [...probs.subarray(24, 32)]);
    assert.equal(one.fold, 3);
    assert.equal(getPrediction(p.db, model, ids[16])!.fold, null);

    // Re-predicting replaces, never duplicates.
    writePredictions(p.db, model, { sampleIds: [ids[0]], probs: new Float32Array(8).fill(0.125) });
    assert.equal(readPredictions(p.db, model).ids.length, 20);
    assert.deepEqual([...getPrediction(p.db, model, ids[0])!.probs], new Array(8).fill(0.125));
    assert.throws(() => writePredictions(p.db, model, { sampleIds: [ids[0]], probs: new Float32Array(7) }), /expected 8 probabilities/);
    assert.equal(deletePredictions(p.db, model), 20);
    assert.equal(readPredictions(p.db, model).ids.length, 0);
  } finally {
    p.remove();
  }
});
