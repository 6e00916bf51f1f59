// Run as a child process by concurrency.test.ts: another writer on the same project (as a
// training worker would be), committing many small batches while the parent writes too.
import { openProject } from './connection.ts';
import { insertSampleBatch } from './sample-store.ts';
import { makeRecord } from './test-support.ts';

const [file, batches] = [process.argv[2], Number(process.argv[3])];
const db = openProject(file);
process.stdout.write('ready\n');
for (let b = 0; b < batches; b++) {
  insertSampleBatch(db, Array.from({ length: 5 }, (_, i) => makeRecord({ index: 1000 + b * 5 + i, size: 4 })));
  await new Promise((r) => setTimeout(r, 1));
}
db.close();
