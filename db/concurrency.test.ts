import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { currentLabel, recordDecision } from './relabel-store.ts';
import { insertSampleBatch } from './sample-store.ts';
import { makeRecord, tempProject } from './test-support.ts';

test('two processes write the same project at once: WAL and the busy timeout serialise them without errors', async () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    const ids = insertSampleBatch(p.db, Array.from({ length: 50 }, (_, i) => makeRecord({ index: i, size: 4 }))).ids.map((id) => id!);
    const fixture = join(dirname(fileURLToPath(import.meta.url)), 'concurrent-writer.fixture.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, p.db.path, '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await once(child.stdout, 'data');
    for (let i = 0; i < 60; i++) {
      recordDecision(p.db, { sampleId: ids[i % 50], action: 'relabel', label: i % 8, reviewer: 'ui' });
      // Reads see a consistent snapshot while the other process writes.
      assert.equal(currentLabel(p.db, ids[i % 50]), i % 8);
      await sleep(1);
    }
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, `the other writer failed: ${stderr}`);
    assert.equal(p.db.sqlite.prepare('SELECT count(*) FROM samples').pluck().get(), 50 + 60 * 5);
    assert.equal(p.db.sqlite.prepare('SELECT count(*) FROM relabels').pluck().get(), 60);
  } finally {
    p.remove();
  }
});
