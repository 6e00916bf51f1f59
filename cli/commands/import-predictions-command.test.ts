// `import-predictions` on a real project file: a CSV keyed by source_ref becomes an imported
// model (evaluated, scored); bad arguments and bad files end with the exit code and a message
// that names the option or the file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLASS_NAMES, NUM_CLASSES } from '../../api/domain.ts';
import type { ImportPredictionsResult } from '../../api/contract.ts';
import { openProject } from '../../db/connection.ts';
import { listModels } from '../../db/model-store.ts';
import { insertSampleBatch } from '../../db/sample-store.ts';
import { makeRecord } from '../../db/test-support.ts';
import { CliError } from '../cli-error.ts';
import { COMMANDS } from './index.ts';

let dir: string;
let project: string;
const run = (values: Record<string, unknown>) => COMMANDS['import-predictions'].run({ project, ...values }, []);

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ar-cli-preds-'));
  project = join(dir, 'p.arproj');
  const db = openProject(project, { create: true, name: 'p', inputSize: { height: 8, width: 8 } });
  insertSampleBatch(db, Array.from({ length: 16 }, (_, i) => makeRecord({ index: i, size: 8, split: i < 8 ? 'train' : 'valid', givenLabel: i % 8, annotations: [{ annotator: 'a', label: i % 8 }] })));
  db.close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('import-predictions: rows keyed by source_ref become an evaluated model; a bad row is reported by line', async () => {
  const csv = join(dir, 'other.csv');
  // Right on faces 0..11 except 3 (guesses class 0 for it), wrong on 12..15; row for "demo-99" matches no face.
  const rows = Array.from({ length: 16 }, (_, i) => {
    const c = i >= 12 ? (i + 1) % 8 : i === 3 ? 0 : i % 8;
    return [`demo-${i}`, ...Array.from({ length: NUM_CLASSES }, (_, k) => (k === c ? '0.93' : '0.01'))].join(',');
  });
  writeFileSync(csv, [['source_ref', ...CLASS_NAMES].join(','), ...rows, ['demo-99', '1', '0', '0', '0', '0', '0', '0', '0'].join(',')].join('\n'));
  const out = (await run({ csv, name: 'resnet', 'train-predictions': 'out-of-sample' })) as { json: ImportPredictionsResult; text: string };
  assert.equal(out.json.rows, 16);
  assert.equal(out.json.rejected, 1);
  assert.deepEqual(out.json.perSplit, { train: 8, valid: 8, test: 0 });
  assert.deepEqual(out.json.evaluations.map((e) => [e.split, e.evaluated, e.accuracy]), [['train', 8, 7 / 8], ['valid', 8, 4 / 8]]);
  assert.match(out.text, /valid accuracy 50\.0% on 8 faces/);
  assert.match(out.text, /rejected other\.csv:18 \(source_ref\): no face with source_ref "demo-99"/);
  const db = openProject(project);
  try {
    const m = listModels(db).find((x) => x.id === out.json.modelId)!;
    assert.equal(m.kind, 'imported');
    assert.equal(m.name, 'resnet');
    assert.equal(m.structure.trainPredictions, 'out-of-sample');
  } finally {
    db.close();
  }
});

test('import-predictions: a bad option or file ends with a message naming it', async () => {
  const fails = async (values: Record<string, unknown>, code: number, message: RegExp) =>
    assert.rejects(run(values), (e: unknown) => {
      assert.ok(e instanceof CliError, String(e));
      assert.equal(e.exitCode, code);
      assert.match(e.message, message);
      return true;
    });
  await fails({}, 2, /missing --csv/);
  await fails({ csv: 'x.csv', 'train-predictions': 'sometimes' }, 2, /--train-predictions must be one of in-sample, out-of-sample, got sometimes/);
  await fails({ csv: join(dir, 'none.csv') }, 1, /none\.csv: cannot read \(ENOENT\)/);
  const noFace = join(dir, 'noface.csv');
  writeFileSync(noFace, CLASS_NAMES.join(',') + '\n');
  await fails({ csv: noFace }, 1, /noface\.csv: line 1: no face column/);
});
