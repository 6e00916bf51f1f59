// Enforces DESIGN.md's dependency rule between top-level folders by reading every import.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Which top-level folders each folder may import from (itself always allowed). */
const ALLOWED: Record<string, string[]> = {
  api: [],
  core: ['api'],
  db: ['api'],
  electron: ['api', 'core', 'db'],
  cli: ['api', 'core', 'db', 'electron'],
  renderer: ['api'],
  bench: ['api', 'core', 'db', 'electron'],
  test: ['api', 'core', 'db', 'electron', 'cli', 'scripts'],
  scripts: [],
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|svelte|mjs|js)$/.test(name)) out.push(p);
  }
  return out;
}

const IMPORT_RE = /(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function violations(root = ROOT): string[] {
  const found: string[] = [];
  for (const top of Object.keys(ALLOWED)) {
    let files: string[] = [];
    try {
      files = sourceFiles(join(root, top));
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT_RE)) {
        const spec = m[1] ?? m[2];
        if (!spec || !spec.startsWith('.')) continue;
        const target = relative(root, resolve(dirname(file), spec));
        const targetTop = target.split(sep)[0];
        if (targetTop === top || targetTop === '..' || !(targetTop in ALLOWED)) continue;
        const ok =
          ALLOWED[top].includes(targetTop) &&
          !(top === 'cli' && targetTop === 'electron' && !target.startsWith(join('electron', 'service')) && !target.startsWith(join('electron', 'server')));
        if (!ok) found.push(`${relative(root, file)} imports ${spec} (${top} -> ${targetTop})`);
      }
      if (top === 'core' && /from\s+['"](better-sqlite3|electron|svelte)['"]/.test(text)) found.push(`${relative(root, file)}: core must stay free of SQLite, Electron and Svelte`);
      if (top === 'db' && /from\s+['"](@tensorflow\/[^'"]+|electron|svelte)['"]/.test(text)) found.push(`${relative(root, file)}: db must not import tfjs, Electron or Svelte`);
    }
  }
  return found;
}

/**
 * Reference labels (the full votes of a few-annotator import) are the answer key of the
 * detection metrics: only these measurement modules, and tests, may read them. A trainer, a
 * score, early stopping or a tau choice that imported db/reference-votes.ts would be graded on
 * its own answers.
 */
const TARGETS_MODULE = join('electron', 'service', 'ops', 'ranking-targets.ts');
/** Module -> the only (non-test) files that may import it. */
export const GUARDED: Record<string, string[]> = {
  // The ranking report's targets and the simulated reviewer, who knows the answer by design.
  [join('db', 'reference-votes.ts')]: [TARGETS_MODULE, join('electron', 'service', 'ops', 'simulate-review.ts')],
  // The targets say which faces are label errors: only the ranking report may ask.
  [TARGETS_MODULE]: [join('electron', 'service', 'ops', 'analysis-ranking.ts')],
};

export function referenceLeaks(root = ROOT): string[] {
  const found: string[] = [];
  for (const top of Object.keys(ALLOWED)) {
    let files: string[] = [];
    try {
      files = sourceFiles(join(root, top));
    } catch {
      continue;
    }
    for (const file of files) {
      const rel = relative(root, file);
      if (/\.test\.ts$/.test(rel)) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT_RE)) {
        const spec = m[1] ?? m[2];
        if (!spec || !spec.startsWith('.')) continue;
        const target = relative(root, resolve(dirname(file), spec));
        if (GUARDED[target] && !GUARDED[target].includes(rel)) found.push(`${rel} reads reference labels (${spec})`);
      }
    }
  }
  return found;
}

/** Writes files of a fixture tree under `root`, creating their folders. */
function fixtureWriter(root: string): (path: string, text: string) => void {
  return (path, text) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
}

test('only the measurement modules read reference labels', () => {
  assert.deepEqual(referenceLeaks(), []);
});

test('a planted reader of reference labels is reported; the allowed reader and tests are not', () => {
  const root = mkdtempSync(join(tmpdir(), 'ar-reference-'));
  try {
    const put = fixtureWriter(root);
    put('db/reference-votes.ts', 'export const R = 1;');
    put(TARGETS_MODULE, "import { R } from '../../../db/reference-votes.ts';");
    put('electron/service/ops/analysis-ranking.ts', "import { T } from './ranking-targets.ts';");
    put('electron/service/ops/relearn-routing.ts', "import { T } from './ranking-targets.ts';");
    put('electron/service/ops/x.test.ts', "import { R } from '../../../db/reference-votes.ts';");
    put('core/train/t.ts', "import type { R } from '../../db/reference-votes.ts';");
    put('electron/service/ops/training-data.ts', "export { R } from '../../../db/reference-votes.ts';");
    assert.deepEqual(referenceLeaks(root).sort(), [
      `${join('core', 'train', 't.ts')} reads reference labels (../../db/reference-votes.ts)`,
      `${join('electron', 'service', 'ops', 'relearn-routing.ts')} reads reference labels (./ranking-targets.ts)`,
      `${join('electron', 'service', 'ops', 'training-data.ts')} reads reference labels (../../../db/reference-votes.ts)`,
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('every import respects the dependency rule between folders', () => {
  assert.deepEqual(violations(), []);
});

test('the rule checker reports planted violations in a fixture tree, and only those', () => {
  const root = mkdtempSync(join(tmpdir(), 'ar-architecture-'));
  try {
    const put = fixtureWriter(root);
    put('api/domain.ts', 'export const A = 1;');
    put('db/connection.ts', "import { A } from '../api/domain.ts';\nexport const B = A;");
    // Allowed: core -> api (types), electron -> db, cli -> electron/service, a file inside its own folder.
    put('core/ok.ts', "import type { A } from '../api/domain.ts';\nimport { x } from './util/x.ts';");
    put('electron/service/ok.ts', "import { B } from '../../db/connection.ts';");
    put('cli/ok.ts', "export { B } from '../electron/service/ok.ts';");
    // Planted: core -> db, renderer -> core by dynamic import, cli -> the Electron shell, core -> SQLite, db -> tfjs.
    put('core/models/bad.ts', "import { B } from '../../db/connection.ts';");
    put('renderer/src/bad.svelte', "<script lang=\"ts\">const m = import('../../core/ok.ts');</script>");
    put('cli/bad.ts', "import { w } from '../electron/main/window.ts';");
    put('core/sql.ts', "import Database from 'better-sqlite3';");
    put('db/tf.ts', "import * as tf from '@tensorflow/tfjs-core';");
    assert.deepEqual(violations(root).sort(), [
      `${join('cli', 'bad.ts')} imports ../electron/main/window.ts (cli -> electron)`,
      `${join('core', 'models', 'bad.ts')} imports ../../db/connection.ts (core -> db)`,
      `${join('core', 'sql.ts')}: core must stay free of SQLite, Electron and Svelte`,
      `${join('db', 'tf.ts')}: db must not import tfjs, Electron or Svelte`,
      `${join('renderer', 'src', 'bad.svelte')} imports ../../core/ok.ts (renderer -> core)`,
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
