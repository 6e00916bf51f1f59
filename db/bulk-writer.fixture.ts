// Run as a child process by chunked-write.test.ts: a bulk writer on the same project (as the
// analysis worker is): upserts scores for every face of the project for model argv[3], then exits.
import { openProject } from './connection.ts';
import { upsertScores } from './score-store.ts';

const [file, modelId] = [process.argv[2], Number(process.argv[3])];
const db = openProject(file);
const ids = db.stmt<[], number>('SELECT id FROM samples ORDER BY id', 'pluck').all();
process.stdout.write('start\n');
upsertScores(db, modelId, ids.map((id, i) => ({ sampleId: id, margin: (i % 100) / 100 })));
process.stdout.write('done\n');
db.close();
