// The review queue and the dev-test carve, through the service (contract checked) on a real
// project file: the carved faces are held out for measurement, so no queue shows them unless
// the split filter names 'dev-test' (not the default queue, not 'train', not a score order, not
// the "accept suggestions of the first k" of a queue); asked for by name they are all there,
// and a relabel on one is still the user's to make.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FaceListParams, ReviewFilter } from '../../../api/contract.ts';
import type { ModelId, SampleId } from '../../../api/domain.ts';
import { openProject } from '../../../db/connection.ts';
import { devTestIds } from '../../../db/dev-test-store.ts';
import { createModel } from '../../../db/model-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { upsertScores } from '../../../db/score-store.ts';
import { lcg, makeRecord, tempDir } from '../../../db/test-support.ts';
import { AppService } from '../app-service.ts';
import { carveDevTest } from './dev-test.ts';

const N = 80;
const tmp = tempDir('ar-review-devtest-');
const path = tmp.file('p.arproj');
let s: AppService;
let model: ModelId;
let ids: SampleId[];
let dev: Set<number>;
const splitOf = new Map<number, string>();

before(async () => {
  const db = openProject(path, { create: true, name: 'review dev-test', inputSize: { height: 8, width: 8 } });
  const records = Array.from({ length: N }, (_, i) =>
    makeRecord({ index: i, size: 8, split: i % 4 === 0 ? 'valid' : 'train', givenLabel: i % 8, annotations: [{ annotator: 'ann1', label: i % 8 }, { annotator: 'ann2', label: (i + (i % 3)) % 8 }] }),
  );
  ids = insertSampleBatch(db, records).ids as SampleId[];
  ids.forEach((id, i) => splitOf.set(id, records[i].split));
  carveDevTest(db, { fraction: 0.25, seed: 3 });
  dev = new Set(devTestIds(db));
  // Every face has scores and a suggestion (the predicted class differs from the given one).
  const rand = lcg(9);
  model = createModel(db, { kind: 'cnn', name: 'parent', filePath: 'm.json', inputSize: { height: 8, width: 8 } });
  upsertScores(db, model, ids.map((id, i) => ({ sampleId: id, margin: Math.round(rand() * 20) / 20, maxSoftmax: 0.8, predictedLabel: (i + 1) % 8 })));
  db.close();
  s = new AppService({ transport: 'test', configDir: join(tmp.dir, 'config'), backend: async () => null, checkContract: true });
  await s.openProject(path);
});
after(async () => {
  assert.deepEqual(s?.contractBreaches ?? [], []);
  await s?.closeProject();
  tmp.remove();
});

async function queue(p: Omit<FaceListParams, 'limit' | 'withCounts'>): Promise<{ ids: number[]; total: number }> {
  const r = await s.call('faces.listForReview', { ...p, limit: 1000, withCounts: true });
  return { ids: r.items.map((x) => x.id as number), total: r.counts!.total };
}

test('no queue shows a dev-test face unless the split filter asks for the dev-test', async () => {
  assert.ok(dev.size >= 10 && [...dev].every((id) => splitOf.get(id) === 'train'), `a carve of train faces: ${dev.size}`);
  const notDev = ids.filter((id) => !dev.has(id));
  for (const [sort, modelId] of [['id', undefined], ['disagreement', undefined], ['margin', model]] as const) {
    const all = await queue({ sort, modelId });
    assert.deepEqual(all.ids.filter((id) => dev.has(id)), [], `${sort}: the default queue leaves the dev-test out`);
    const train = await queue({ sort, modelId, filter: { split: 'train' } });
    assert.deepEqual(train.ids.filter((id) => dev.has(id)), [], `${sort}: train leaves the dev-test out`);
    const devOnly = await queue({ sort, modelId, filter: { split: 'dev-test' } });
    assert.ok(devOnly.ids.every((id) => dev.has(id)), `${sort}: only dev-test faces under dev-test`);
    assert.equal(devOnly.total, devOnly.ids.length);
    if (sort !== 'disagreement') {
      assert.deepEqual(new Set(all.ids), new Set(notDev), `${sort}: every other face`);
      assert.deepEqual(new Set(train.ids), new Set(notDev.filter((id) => splitOf.get(id) === 'train')));
      assert.deepEqual(new Set(devOnly.ids), dev, `${sort}: every dev-test face`);
      assert.equal(all.total, notDev.length);
    }
  }
  const valid = await queue({ sort: 'id', filter: { split: 'valid' } });
  assert.equal(valid.ids.length, N / 4, 'valid is untouched');
});

test('accepting the suggestions of the first k of a queue relabels no dev-test face', async () => {
  const query = { modelId: model, sort: 'margin' as const, filter: {} as ReviewFilter };
  const r = await s.call('labels.acceptSuggestions', { reviewer: 'ana', modelId: model, top: { query, k: N } });
  assert.equal(r.changed.length, N - dev.size);
  assert.deepEqual(r.changed.filter((f) => dev.has(f.id)), []);
  await s.call('labels.undo', { reviewer: 'ana' });
});

test('a relabel of a dev-test face is still allowed; the dev-test queue shows it reviewed', async () => {
  const face = [...dev][0] as SampleId;
  const r = await s.call('labels.relabel', { sampleId: face, action: 'relabel', label: 6, reviewer: 'bea' });
  assert.equal(r.face!.currentLabel, 6);
  const item = (await s.call('faces.listForReview', { sort: 'id', filter: { split: 'dev-test', reviewed: true }, limit: 10 })).items;
  assert.deepEqual(item.map((x) => [x.id, x.currentLabel, x.reviewed]), [[face, 6, true]]);
});
