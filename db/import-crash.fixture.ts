// Run as a child process by import-store.test.ts: imports into the project given as argv[2]
// and kills itself with SIGKILL (no cleanup, no finally) after `argv[3]` items, like a crash.
import type { ImportItem } from '../api/domain.ts';
import { openProject } from './connection.ts';
import { writeImport } from './import-store.ts';
import { makeRecord } from './test-support.ts';

const [file, killAfter, total] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
async function* items(): AsyncGenerator<ImportItem> {
  for (let i = 0; i < total; i++) {
    if (i === killAfter) process.kill(process.pid, 'SIGKILL');
    yield { kind: 'sample', record: makeRecord({ index: i, size: 4 }) };
  }
}
const db = openProject(file);
await writeImport(db, { kind: 'demo', path: 'crash-test' }, items(), { batchSize: 10 });
