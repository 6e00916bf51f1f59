// A bulk writer for bench/review-queue.ts, in its own process as the analysis worker would be:
// upserts a score for every face of project argv[2] for model argv[3], chunked as the app
// does, or with argv[4] = 'single' in one transaction (how it was before chunking).
import { performance } from 'node:perf_hooks';
import { openProject } from '../db/connection.ts';
import { upsertScores } from '../db/score-store.ts';

const [file, modelId, mode] = [process.argv[2], Number(process.argv[3]), process.argv[4] ?? 'chunked'];
const db = openProject(file);
const ids = db.stmt<[], number>('SELECT id FROM samples ORDER BY id', 'pluck').all();
const rows = ids.map((id, i) => ({ sampleId: id, selfConfidence: (i % 1000) / 1000 }));
process.stdout.write('start\n');
const t = performance.now();
if (mode === 'single') db.write(() => upsertScores(db, modelId, rows));
else upsertScores(db, modelId, rows);
process.stdout.write(`done ${(performance.now() - t).toFixed(0)}\n`);
db.close();
