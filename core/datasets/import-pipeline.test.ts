import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImportItem } from '../../api/domain.ts';
import { issueTask, resolveOptions, runImportTasks } from './import-pipeline.ts';
import type { ImportTask } from './import-pipeline.ts';

const issue = (n: number): ImportItem => ({ kind: 'issue', issue: { file: 'f', line: n, field: null, message: `row ${n}` } });

test('decodes run concurrently up to the limit, results come out in input order, progress counts units', async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  async function* tasks(): AsyncGenerator<ImportTask> {
    for (let i = 0; i < 20; i++) {
      if (i % 5 === 4) {
        yield issueTask({ file: 'f', line: i, field: null, message: `row ${i}` });
        continue;
      }
      yield {
        kind: 'decode',
        unit: 1,
        run: async () => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          // Later tasks finish sooner: order must come from the driver, not from timing.
          await new Promise((r) => setTimeout(r, 20 - i));
          inFlight--;
          if (i === 7) throw new Error('boom');
          return [issue(i)];
        },
      };
    }
  }
  const out: ImportItem[] = [];
  for await (const it of runImportTasks(tasks(), resolveOptions({ concurrency: 3, progressEvery: 8 }), () => 20)) out.push(it);
  const lines = out.filter((x) => x.kind === 'issue').map((x) => (x.kind === 'issue' ? x.issue.line : -1));
  assert.deepEqual(lines, [0, 1, 2, 3, 4, 5, 6, null, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  const boom = out.find((x) => x.kind === 'issue' && x.issue.line === null);
  assert.match(boom && boom.kind === 'issue' ? boom.issue.message : '', /boom/);
  assert.ok(maxInFlight <= 3 && maxInFlight >= 2, `max in flight ${maxInFlight}`);
  const progress = out.filter((x) => x.kind === 'progress').map((x) => (x.kind === 'progress' ? x.done : -1));
  assert.deepEqual(progress, [0, 8, 16, 20]);
});

test('options: size as a number or object, invalid values rejected', () => {
  assert.deepEqual(resolveOptions({ size: 32 }).size, { width: 32, height: 32 });
  assert.deepEqual(resolveOptions().size, { width: 48, height: 48 });
  assert.throws(() => resolveOptions({ size: 0 }), /size/);
  assert.throws(() => resolveOptions({ concurrency: 0 }), /concurrency/);
});
