// `carve-dev-test` checks its arguments before touching the project, and names why a project
// cannot be carved; `relabel` still applies to a carved face (the review queue does not lead
// there, but the data is the user's).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openProject } from '../../db/connection.ts';
import { devTestIds } from '../../db/dev-test-store.ts';
import { currentLabel } from '../../db/relabel-store.ts';
import { insertSampleBatch } from '../../db/sample-store.ts';
import { makeRecord } from '../../db/test-support.ts';
import { CliError } from '../cli-error.ts';
import { COMMANDS } from './index.ts';

let dir: string;
let project: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ar-cli-devtest-'));
  project = join(dir, 'empty.arproj');
  openProject(project, { create: true, name: 'empty' }).close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function fails(values: Record<string, unknown>, code: number, message: RegExp): Promise<void> {
  await assert.rejects(COMMANDS['carve-dev-test'].run({ project, ...values }, []), (e: unknown) => {
    assert.ok(e instanceof CliError, String(e));
    assert.equal(e.exitCode, code);
    assert.match(e.message, message);
    return true;
  });
}

test('carve-dev-test: a missing or out-of-range fraction, a bad seed and an empty train split are refused', async () => {
  await fails({}, 2, /missing --fraction/);
  await fails({ fraction: '1' }, 2, /--fraction must be below 1/);
  await fails({ fraction: '-0.1' }, 2, /--fraction must be a positive number/);
  await fails({ fraction: '0.1', seed: 'x' }, 2, /--seed must be an integer/);
  await fails({ fraction: '0.1' }, 1, /the train split is empty/);
});

test('relabel --face on a dev-test face is applied', async () => {
  const carved = join(dir, 'carved.arproj');
  const db = openProject(carved, { create: true, name: 'carved', inputSize: { height: 8, width: 8 } });
  insertSampleBatch(db, Array.from({ length: 20 }, (_, i) => makeRecord({ index: i, size: 8, givenLabel: i % 4 })));
  db.close();
  await COMMANDS['carve-dev-test'].run({ project: carved, fraction: '0.2', seed: '1' }, []);
  const check = openProject(carved);
  const face = devTestIds(check)[0];
  check.close();
  const r = await COMMANDS.relabel.run({ project: carved, face: String(face), label: 'anger', reviewer: 'ana' }, []);
  assert.equal(r.exitCode, 0);
  const after = openProject(carved);
  assert.equal(currentLabel(after, face), 6);
  after.close();
});
