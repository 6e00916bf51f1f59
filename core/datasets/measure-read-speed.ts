/**
 * Measures importer throughput (faces/s) on a real dataset; a benchmark, not a test.
 * Usage: node --import tsx core/datasets/measure-read-speed.ts [kind] [path] [concurrency]
 * Defaults: the FER+ folder beside the repository (../shared/data/ferplus), concurrency 12.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataset } from './read-dataset.ts';
import type { ImportableKind } from './read-dataset.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const kind = (process.argv[2] ?? 'ferplus') as ImportableKind;
const path = process.argv[3] || resolve(repoRoot, '..', 'shared', 'data', 'ferplus');
const concurrency = Number(process.argv[4] ?? 12);
if (!existsSync(path)) {
  console.error(`not found: ${path}`);
  process.exit(1);
}
const t0 = performance.now();
let samples = 0;
let issues = 0;
for await (const item of readDataset(kind, path, { concurrency })) {
  if (item.kind === 'sample') samples++;
  else if (item.kind === 'issue') issues++;
}
const s = (performance.now() - t0) / 1000;
console.log(`${kind} ${path}: ${samples} faces, ${issues} issues in ${s.toFixed(1)} s = ${(samples / s).toFixed(0)} faces/s (concurrency ${concurrency})`);
