// Reads the real FER+ data (../shared/data/ferplus beside the repository) when present: every
// face decodes, counts and majority labels match the figures in that data's README.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLASS_NAMES } from '../../api/domain.ts';
import type { SampleRecord } from '../../api/domain.ts';
import { readFerPlus } from './ferplus.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FERPLUS = resolve(repoRoot, '..', 'shared', 'data', 'ferplus');
const present = existsSync(resolve(FERPLUS, 'FER2013Train', 'label.csv'));

test('real FER+: all of Train and Valid import with the README counts and votes', { skip: present ? false : `FER+ data not found at ../shared/data/ferplus (relative to the repository root)`, timeout: 300_000 }, async () => {
  const count = { train: 0, valid: 0, test: 0 };
  const labelled = { train: 0, valid: 0, test: 0 };
  const perClass = new Array<number>(8).fill(0);
  const known = new Map<string, SampleRecord>();
  const issues: string[] = [];
  for await (const item of readFerPlus(FERPLUS, { concurrency: 6 })) {
    if (item.kind === 'issue') issues.push(`${item.issue.file}:${item.issue.line} ${item.issue.message}`);
    if (item.kind !== 'sample') continue;
    const r = item.record;
    count[r.split]++;
    assert.equal(r.pixels.length, 48 * 48);
    if (r.givenLabel !== null) {
      labelled[r.split]++;
      if (r.split === 'train') perClass[r.givenLabel]++;
    }
    if (r.sourceRef === 'ferplus:FER2013Train/fer0000000.png' || r.sourceRef === 'ferplus:FER2013Valid/fer0028638.png') known.set(r.sourceRef, r);
  }
  assert.deepEqual(issues, []);
  assert.deepEqual(count, { train: 28558, valid: 3579, test: 0 });
  assert.equal(labelled.train, 21823);
  assert.equal(labelled.valid, 2866);
  const byName = Object.fromEntries(CLASS_NAMES.map((n, i) => [n, perClass[i]]));
  assert.deepEqual(byName, { neutral: 7485, happy: 7080, surprise: 2748, sad: 2388, anger: 1648, fear: 346, contempt: 76, disgust: 52 });
  // FER+ order neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF = 4,0,0,1,3,2,0,0,0,0
  const first = known.get('ferplus:FER2013Train/fer0000000.png')!;
  assert.deepEqual(first.votes, [4, 0, 1, 0, 0, 2, 3, 0, 0, 0, 0, 0]);
  assert.equal(first.givenLabel, null);
  // 4,0,0,0,1,0,0,4,1,0: neutral 4, anger 1, contempt 4, unknown 1.
  const valid = known.get('ferplus:FER2013Valid/fer0028638.png')!;
  assert.deepEqual(valid.votes, [4, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 1]);
});
