// bin/affect-relearn.js runs the CLI in a child process: a SIGTERM sent to the launcher alone
// (kill, timeout, a process manager) must reach the CLI, not leave it running orphaned on the
// project; the launcher ends as the CLI did. A real `serve` on a real project file.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openProject } from '../db/connection.ts';
import { tempDir } from '../db/test-support.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = tempDir('ar-launcher-');
after(() => tmp.remove());

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    assert.ok(Date.now() < end, what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a SIGTERM to the launcher stops the CLI it started, and the launcher ends as the CLI did', async () => {
  const project = tmp.file('p.arproj');
  openProject(project, { create: true, name: 'launcher', inputSize: { height: 8, width: 8 } }).close();
  const launcher = spawn(process.execPath, [join(ROOT, 'bin', 'affect-relearn.js'), 'serve', '--project', project], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  launcher.stdout.on('data', (b: Buffer) => (out += b));
  launcher.stderr.on('data', (b: Buffer) => (out += b));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => launcher.once('exit', (code, signal) => r({ code, signal })));
  await waitFor(() => /http:\/\/127\.0\.0\.1:\d+/.test(out), 60_000, `serve printed its URL: ${out}`);
  const children = execFileSync('pgrep', ['-P', String(launcher.pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
  assert.equal(children.length, 1, `one CLI process under the launcher: ${children.join(', ')}`);
  const cliPid = children[0];
  assert.ok(alive(cliPid));
  launcher.kill('SIGTERM');
  const end = await exited;
  await waitFor(() => !alive(cliPid), 10_000, `the CLI (process ${cliPid}) stopped after the launcher was told to`);
  // serve stops cleanly on SIGTERM and exits 0; the launcher passes that on.
  assert.deepEqual(end, { code: 0, signal: null }, out);
});

test("the launcher passes on the CLI's exit status", async () => {
  const run = async (args: string[]) => {
    const r = spawn(process.execPath, args, { stdio: 'ignore' });
    return new Promise<number | null>((res) => r.once('exit', (c) => res(c)));
  };
  const tail = ['info', '--project', tmp.file('missing.arproj')];
  const direct = await run(['--import', pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(ROOT, 'cli', 'main.ts'), ...tail]);
  assert.ok(direct !== null && direct > 0, `the CLI fails on a missing project (${direct})`);
  assert.equal(await run([join(ROOT, 'bin', 'affect-relearn.js'), ...tail]), direct);
});
