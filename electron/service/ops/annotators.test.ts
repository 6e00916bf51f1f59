// The faces behind an annotator's confusion cell are exactly the faces the cell counts (same
// leave-one-out consensus), on a small demo project with simulated annotators.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ClassId } from '../../../api/domain.ts';
import { demoImportItems } from '../../../core/datasets/demo/index.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { writeImport } from '../../../db/import-store.ts';
import { annotatorCellFaces, projectAnnotatorStats } from './annotators.ts';

let dir: string;
let db: ProjectDb;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-annotators-'));
  db = openProject(join(dir, 'demo.arproj'), { create: true, name: 'small demo' });
  const rep = await writeImport(db, { kind: 'demo', path: '(built-in demo)', options: {} }, demoImportItems({ counts: { train: 300, valid: 60, test: 60 } }), { annotatorKind: () => 'simulated' });
  assert.equal(rep.status, 'done');
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('every confusion cell lists as many faces as it counts, each once', () => {
  const stats = projectAnnotatorStats(db);
  assert.ok(stats.identified, 'the demo has identified annotators');
  assert.ok(stats.identified.fleissKappa > 0 && stats.identified.fleissKappa < 1);
  let nonEmpty = 0;
  for (const a of stats.identified.annotators) {
    let total = 0;
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c < 8; c++) {
        const ids = annotatorCellFaces(db, { annotator: a.name, consensus: r as ClassId, label: c as ClassId });
        assert.equal(ids.length, a.confusion[r][c], `${a.name}: consensus ${r}, said ${c}`);
        assert.equal(new Set(ids).size, ids.length);
        if (ids.length) nonEmpty++;
        total += ids.length;
      }
    }
    assert.equal(total, a.compared, `${a.name}: the cells hold every compared label`);
  }
  assert.ok(nonEmpty > 8, 'off-diagonal cells are filled too');
  assert.deepEqual(annotatorCellFaces(db, { annotator: 'nobody', consensus: 0 as ClassId, label: 0 as ClassId }), []);
});
