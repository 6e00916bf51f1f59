// The Label Studio export read back: every task's image decodes to the face's stored pixels,
// its annotation is the current label (after a review decision), its prediction the model's
// class with its probability, and the results name the tags the labelling config declares.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { CLASS_NAMES, type SampleId } from '../../../api/domain.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { createModel } from '../../../db/model-store.ts';
import { recordDecision } from '../../../db/relabel-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { upsertScores } from '../../../db/score-store.ts';
import { makeRecord, tempDir } from '../../../db/test-support.ts';
import { runExport } from './export.ts';
import type { LabelStudioTask } from './export-labelstudio.ts';

const tmp = tempDir('ar-ls-');
let db: ProjectDb;
let ids: SampleId[];
let model: number;
const records = Array.from({ length: 10 }, (_, i) => makeRecord({ index: i, size: 48, givenLabel: i % 8 }));

before(() => {
  db = openProject(tmp.file('p.arproj'), { create: true, name: 'ls' });
  ids = insertSampleBatch(db, records).ids as SampleId[];
  model = createModel(db, { kind: 'cnn', name: 'parent', filePath: 'm.json', inputSize: { height: 48, width: 48 } });
  // Scores for the first 6 faces only: the export with this model holds those.
  upsertScores(db, model, ids.slice(0, 6).map((id, i) => ({ sampleId: id, predictedLabel: (i + 2) % 8, maxSoftmax: 0.5 + i / 20 })));
  recordDecision(db, { sampleId: ids[1], action: 'relabel', label: 6, reviewer: 'r' });
  recordDecision(db, { sampleId: ids[2], action: 'not_face', reviewer: 'r' });
});
after(() => {
  db.close();
  tmp.remove();
});

test('tasks carry the stored face, the current label as annotation and the model class as prediction', async () => {
  const r = await runExport(db, 'labelstudio', tmp.file('exports/tasks.json'), model);
  assert.deepEqual(r.files, [tmp.file('exports/tasks.json'), tmp.file('exports/tasks.label-config.xml')]);
  const tasks = JSON.parse(readFileSync(r.files[0], 'utf8')) as LabelStudioTask[];
  assert.equal(r.rows, 6);
  assert.deepEqual(tasks.map((t) => t.data.face_id), ids.slice(0, 6));
  const config = readFileSync(r.files[1], 'utf8');
  for (const c of CLASS_NAMES) assert.ok(config.includes(`<Choice value="${c}"/>`), c);
  for (const [i, t] of tasks.entries()) {
    const image = String(t.data.image);
    assert.match(image, /^data:image\/png;base64,/);
    const { data, info } = await sharp(Buffer.from(image.slice(image.indexOf(',') + 1), 'base64')).greyscale().raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [48, 48]);
    assert.deepEqual(new Uint8Array(data), records[i].pixels, `face ${i}: the image is the stored crop`);
    const current = i === 1 ? 6 : i === 2 ? null : i % 8;
    assert.equal(t.data.source_ref, `demo-${i}`);
    assert.deepEqual(t.annotations.map((a) => a.result[0].value.choices), current === null ? [] : [[CLASS_NAMES[current]]], `face ${i} annotation`);
    assert.equal(t.data.current_label, i === 2 ? 'not_face' : CLASS_NAMES[current!]);
    assert.equal(t.predictions.length, 1);
    const p = t.predictions[0];
    assert.deepEqual(p.result[0].value.choices, [CLASS_NAMES[(i + 2) % 8]]);
    assert.ok(Math.abs(p.score - (0.5 + i / 20)) < 1e-6);
    assert.equal(p.model_version, `#${model} parent`);
    // The names the results use are the config's tags.
    for (const res of [...p.result, ...t.annotations.flatMap((a) => a.result)]) {
      assert.ok(config.includes(`<Choices name="${res.from_name}" toName="${res.to_name}"`));
      assert.ok(config.includes(`<Image name="${res.to_name}" value="$image"/>`));
      assert.equal(res.type, 'choices');
    }
  }
});

test('without a model every face is a task and none has a prediction', async () => {
  const r = await runExport(db, 'labelstudio', tmp.file('exports/all.json'));
  const tasks = JSON.parse(readFileSync(r.files[0], 'utf8')) as LabelStudioTask[];
  assert.equal(tasks.length, records.length);
  assert.ok(tasks.every((t) => t.predictions.length === 0));
  await assert.rejects(runExport(db, 'labelstudio', tmp.file('exports/x.json'), 999), /no model 999/);
});
