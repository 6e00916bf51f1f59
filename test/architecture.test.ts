// Enforces DESIGN.md's dependency rule between top-level folders by reading every import.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
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

export function violations(): string[] {
  const found: string[] = [];
  for (const top of Object.keys(ALLOWED)) {
    let files: string[] = [];
    try {
      files = sourceFiles(join(ROOT, top));
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT_RE)) {
        const spec = m[1] ?? m[2];
        if (!spec || !spec.startsWith('.')) continue;
        const target = relative(ROOT, resolve(dirname(file), spec));
        const targetTop = target.split(sep)[0];
        if (targetTop === top || targetTop === '..' || !(targetTop in ALLOWED)) continue;
        const ok =
          ALLOWED[top].includes(targetTop) &&
          !(top === 'cli' && targetTop === 'electron' && !target.startsWith(join('electron', 'service')) && !target.startsWith(join('electron', 'server')));
        if (!ok) found.push(`${relative(ROOT, file)} imports ${spec} (${top} -> ${targetTop})`);
      }
      if (top === 'core' && /from\s+['"](better-sqlite3|electron|svelte)['"]/.test(text)) found.push(`${relative(ROOT, file)}: core must stay free of SQLite, Electron and Svelte`);
      if (top === 'db' && /from\s+['"](@tensorflow\/[^'"]+|electron|svelte)['"]/.test(text)) found.push(`${relative(ROOT, file)}: db must not import tfjs, Electron or Svelte`);
    }
  }
  return found;
}

test('every import respects the dependency rule between folders', () => {
  assert.deepEqual(violations(), []);
});

test('the rule checker catches a forbidden import', () => {
  const text = "import { x } from '../../db/connection.ts';";
  const m = [...text.matchAll(IMPORT_RE)];
  assert.equal(m[0][1], '../../db/connection.ts');
});
