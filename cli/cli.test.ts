// The command line as a user runs it (a child process per command, real project file):
// machine-readable --json output with the documented keys, progress on stderr only, bad rows
// reported with file and line while the rest is imported, and errors that name the problem.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { METHOD_OPTION_SPECS, methodOptionFlag } from '../api/method-options.ts';
import { numOption } from './command.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'affect-relearn.js');
let dir: string;

function cli(...args: string[]): { code: number; json: any; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir, timeout: 240_000 });
  let json: unknown = null;
  try {
    json = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
  } catch {
    // not JSON: the caller checks
  }
  return { code: r.status ?? -1, json, stderr: r.stderr, stdout: r.stdout };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-cli-'));
  // A class-folder dataset: 3 good faces in each of two classes, one corrupt file, one unknown class.
  for (const cls of ['happy', 'sad']) {
    mkdirSync(join(dir, 'faces', cls), { recursive: true });
    for (let i = 0; i < 3; i++) {
      const px = Buffer.alloc(64 * 64, cls === 'happy' ? 200 - i * 10 : 40 + i * 10);
      await sharp(px, { raw: { width: 64, height: 64, channels: 1 } }).jpeg().toFile(join(dir, 'faces', cls, `${i}.jpg`));
    }
  }
  writeFileSync(join(dir, 'faces', 'sad', 'broken.jpg'), 'not a jpeg');
  mkdirSync(join(dir, 'faces', 'bored'));
  writeFileSync(join(dir, 'faces', 'bored', 'x.png'), 'x');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('import reports every bad row with its file and imports the rest; a re-run adds nothing', () => {
  const r = cli('import', 'folder', join(dir, 'faces'), '--project', 'p.arproj', '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.accepted, 6);
  assert.ok(r.json.issues.some((i: { file: string }) => i.file.endsWith('broken.jpg')), JSON.stringify(r.json.issues));
  assert.ok(r.json.issues.some((i: { message: string; file: string }) => /bored/.test(i.file + i.message)));
  const again = cli('import', 'folder', join(dir, 'faces'), '--project', 'p.arproj', '--json');
  assert.equal(again.json.accepted, 0);
  const info = cli('info', '--project', 'p.arproj', '--json');
  assert.equal(info.json.totalSamples, 6);
  assert.deepEqual(info.json.splits.train.givenByClass, [0, 3, 3, 0, 0, 0, 0, 0]);
});

test('errors name the problem and exit non-zero without a stack trace', () => {
  const missing = cli('info', '--project', 'nope.arproj');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /nope\.arproj/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
  const kind = cli('import', 'mnist', dir, '--project', 'p.arproj');
  assert.equal(kind.code, 2);
  assert.match(kind.stderr, /unknown dataset kind "mnist"/);
  const opt = cli('train', '--project', 'p.arproj', '--model', 'cnn', '--epochs', 'x');
  assert.equal(opt.code, 2);
  assert.match(opt.stderr, /--epochs must be an integer/);
  const wrongKind = cli('train', '--project', 'p.arproj', '--model', 'cnn', '--theta-g', '1');
  assert.equal(wrongKind.code, 2);
  assert.match(wrongKind.stderr, /--theta-g \(θ_G\) applies to --model adbn, not cnn/);
  const outOfRange = cli('train', '--project', 'p.arproj', '--model', 'adbn', '--theta-a', '2');
  assert.equal(outOfRange.code, 2);
  assert.match(outOfRange.stderr, /--theta-a must be a number >= 0 and <= 1, got 2/);
});

test('train --help lists every METHOD constant with its default, from the options table', () => {
  const help = cli('train', '--help');
  assert.equal(help.code, 0);
  for (const s of METHOD_OPTION_SPECS) {
    const line = help.stdout.split('\n').find((l) => l.trimStart().startsWith(`--${methodOptionFlag(s.key)} `));
    assert.ok(line, `--${methodOptionFlag(s.key)} missing from train --help`);
    assert.ok(line.includes(`(${String(s.default)})`), `${line} does not show the default ${String(s.default)}`);
  }
});

test('demo, train --json, evaluate --json and models on the demo project', () => {
  const demo = cli('demo', '--project', 'demo.arproj', '--json');
  assert.equal(demo.code, 0, demo.stderr);
  assert.equal(demo.json.totalSamples, 3600);
  assert.ok(demo.json.annotators.length >= 5);
  const train = cli('train', '--project', 'demo.arproj', '--model', 'adbn', '--hidden', '24', '--pretrain-epochs', '2', '--epochs', '2', '--max-samples', '500', '--theta-a', '0.02', '--weight-decay', '0', '--json');
  assert.equal(train.code, 0, train.stderr);
  // The run records every METHOD constant it read: the two set here, the rest at their defaults.
  assert.equal(train.json.config.options.method.thetaA, 0.02);
  assert.equal(train.json.config.options.method.weightDecay, 0);
  assert.equal(train.json.config.options.method.thetaG, 5e-4);
  assert.equal(train.json.config.trainer.rules.thetaA, 0.02);
  assert.equal(train.json.config.trainer.rbm.weightDecay, 0);
  for (const key of ['id', 'backend', 'epochs', 'structure_events']) assert.ok(key in train.json, `train --json has ${key}`);
  assert.ok(train.json.epochs.length >= 3);
  assert.match(train.stderr, /runtime: onnxruntime-cpu \(\d+ threads?\) \(best available; /, 'progress and the runtime with its reason go to stderr');
  assert.match(train.json.backend, /^onnxruntime-cpu \(\d+ threads?\)$/, 'the run records its runtime and threads');
  const evaluate = cli('evaluate', '--project', 'demo.arproj', '--model', String(train.json.id), '--split', 'valid', '--json');
  assert.equal(evaluate.code, 0, evaluate.stderr);
  for (const key of ['accuracy', 'per_class', 'confusion', 'n_evaluated', 'n_excluded']) assert.ok(key in evaluate.json, `evaluate --json has ${key}`);
  assert.equal(evaluate.json.n_evaluated, 600);
  assert.equal(evaluate.json.confusion.flat().reduce((a: number, b: number) => a + b, 0), 600);
  const models = cli('models', '--project', 'demo.arproj', '--json');
  assert.deepEqual(models.json.map((m: { id: number }) => m.id), [train.json.id]);
});

test('import ferplus --votes-per-face keeps K votes per face; bad flag combinations are usage errors', async () => {
  mkdirSync(join(dir, 'fer', 'FER2013Train'), { recursive: true });
  for (const name of ['a.png', 'b.png']) await sharp(Buffer.alloc(48 * 48, 90), { raw: { width: 48, height: 48, channels: 1 } }).png().toFile(join(dir, 'fer', 'FER2013Train', name));
  writeFileSync(join(dir, 'fer', 'FER2013Train', 'label.csv'), 'a.png,"(0, 0, 48, 48)",0,6,4,0,0,0,0,0,0,0\nb.png,"(0, 0, 48, 48)",0,0,0,5,5,0,0,0,0,0\n');
  const r = cli('import', 'ferplus', join(dir, 'fer'), '--project', 'k2.arproj', '--votes-per-face', '2', '--vote-seed', '5', '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.accepted, 2);
  const info = cli('info', '--project', 'k2.arproj', '--json');
  assert.equal(info.json.totalVotes, 4, 'two votes kept per face, not ten');
  const seedAlone = cli('import', 'ferplus', join(dir, 'fer'), '--project', 'k9.arproj', '--vote-seed', '5');
  assert.equal(seedAlone.code, 2);
  assert.match(seedAlone.stderr, /--vote-seed needs --votes-per-face/);
  const tooMany = cli('import', 'ferplus', join(dir, 'fer'), '--project', 'k9.arproj', '--votes-per-face', '11');
  assert.equal(tooMany.code, 2);
  assert.match(tooMany.stderr, /--votes-per-face must be an integer 1\.\.10, got 11/);
  const folder = cli('import', 'folder', join(dir, 'faces'), '--project', 'k9.arproj', '--votes-per-face', '1');
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /applies to ferplus imports only/);
});

test('number options: positive, or >= 0 where zero means something (--replay-ratio 0: the cases alone)', () => {
  assert.equal(numOption({ x: '0.5' }, 'x'), 0.5);
  assert.equal(numOption({}, 'x'), undefined);
  assert.throws(() => numOption({ x: '0' }, 'x'), /--x must be a positive number, got 0/);
  assert.equal(numOption({ x: '0' }, 'x', { zero: true }), 0);
  for (const bad of ['-1', '', 'abc', 'Infinity']) assert.throws(() => numOption({ x: bad }, 'x', { zero: true }), /--x must be a number >= 0/, JSON.stringify(bad));
});
