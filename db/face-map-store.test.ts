import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listFaceMaps, readFaceMap, saveFaceMap } from './face-map-store.ts';
import { openProject } from './connection.ts';
import { tempProject } from './test-support.ts';

test('a face map round-trips exactly, survives reopening, and a recomputation replaces the map of its key only', () => {
  const p = tempProject();
  try {
    const ids = Int32Array.from([3, 5, 9]);
    const coords = Float32Array.from([0.1, -2, 3.25, 4, -1e-7, 6]);
    saveFaceMap(p.db, { modelId: null, method: 'pca-pixels', seed: 7, params: { k: 2 }, sampleIds: ids, coords, seconds: 1.5 });
    const path = p.db.path;
    p.db.close();
    const db = openProject(path);
    try {
      const m = readFaceMap(db, null, 'pca-pixels');
      assert.ok(m);
      assert.deepEqual(m.sampleIds, ids);
      assert.deepEqual(m.coords, coords);
      assert.deepEqual(m.params, { k: 2 });
      assert.equal(readFaceMap(db, null, 'umap-features'), null);
      saveFaceMap(db, { modelId: null, method: 'pca-pixels', seed: 8, params: {}, sampleIds: Int32Array.from([1]), coords: Float32Array.from([1, 2]), seconds: 1 });
      assert.equal(listFaceMaps(db).length, 1, 'the second map of the same key replaced the first');
      assert.equal(readFaceMap(db, null, 'pca-pixels')?.seed, 8);
      assert.throws(
        () => saveFaceMap(db, { modelId: null, method: 'pca-pixels', seed: 9, params: {}, sampleIds: Int32Array.from([1, 2]), coords: Float32Array.from([1, 2, NaN, 0]), seconds: 1 }),
        /coordinate x of sample 2 is not a finite number/,
      );
      assert.equal(readFaceMap(db, null, 'pca-pixels')?.seed, 8, 'a refused map leaves the stored one');
    } finally {
      db.close();
    }
  } finally {
    p.tmp.remove();
  }
});
