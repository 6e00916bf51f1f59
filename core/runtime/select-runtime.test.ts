// Runtime selection as a user meets it: the best present by default with the reason each better
// one was skipped, a forced runtime (option or environment, new or legacy names), a forced one
// that cannot start falling through with the reason saying so, and bad names and thread counts
// refused with the choices named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRuntimeName, RUNTIME_ENV_VAR, RUNTIME_ORDER, selectRuntime } from './select-runtime.ts';

test('by default the best present runtime is chosen, and every better one says why it was skipped', async () => {
  delete process.env[RUNTIME_ENV_VAR];
  const c = await selectRuntime({ threads: 1 });
  assert.equal(c.name, 'onnxruntime-cpu', 'ONNX Runtime CPU ships in the npm package and runs everywhere this project is built');
  assert.equal(c.threads, 1);
  assert.deepEqual(c.skipped.map((s) => s.name), RUNTIME_ORDER.slice(0, RUNTIME_ORDER.indexOf('onnxruntime-cpu')));
  for (const s of c.skipped) assert.ok(s.reason.length > 5, `${s.name} has a reason`);
  assert.match(c.reason, /^best available; tfjs-tensorflow-gpu skipped: /);
  const y = c.runtime.compile({ name: 'g', inputs: [{ name: 'a', dtype: 'float32', dims: [1] }], outputs: [{ name: 'b', dtype: 'float32', dims: [1] }], nodes: [{ op: 'Neg', inputs: ['a'], outputs: ['b'], attrs: {} }], constants: [] });
  assert.deepEqual(Array.from(y.run({ a: { data: Float32Array.of(3), dims: [1] } }).b.data), [-3]);
});

test('a runtime is forced by option or by the environment variable, legacy tfjs names included', async () => {
  const forced = await selectRuntime({ prefer: 'tfjs-cpu', threads: 1 });
  assert.equal(forced.name, 'tfjs-cpu');
  assert.equal(forced.reason, 'forced by option');
  process.env[RUNTIME_ENV_VAR] = 'wasm';
  try {
    const env = await selectRuntime({ threads: 1 });
    assert.equal(env.name, 'tfjs-wasm');
    assert.equal(env.reason, `forced by ${RUNTIME_ENV_VAR}`);
  } finally {
    delete process.env[RUNTIME_ENV_VAR];
  }
  const two = await selectRuntime({ prefer: 'onnxruntime-cpu', threads: 2 });
  assert.equal(two.threads, 2);
});

test('a forced runtime that cannot start falls through to the next best, and says so', async () => {
  const c = await selectRuntime({ prefer: 'onnxruntime-cuda', threads: 1 });
  assert.notEqual(c.name, 'onnxruntime-cuda');
  assert.equal(c.skipped[0].name, 'onnxruntime-cuda');
  assert.match(c.reason, /onnxruntime-cuda skipped: /);
  assert.ok(RUNTIME_ORDER.indexOf(c.name) > RUNTIME_ORDER.indexOf('onnxruntime-cuda'));
});

test('bad names and thread counts are refused naming what is accepted', async () => {
  assert.throws(() => parseRuntimeName('cuda', 'runtime'), /runtime=cuda: expected one of tfjs-tensorflow-gpu, onnxruntime-cuda/);
  assert.equal(parseRuntimeName('tensorflow-gpu', 'x'), 'tfjs-tensorflow-gpu');
  await assert.rejects(selectRuntime({ threads: 0 }), /threads: expected an integer >= 1, got 0/);
  process.env[RUNTIME_ENV_VAR] = 'fastest';
  try {
    await assert.rejects(selectRuntime({ threads: 1 }), new RegExp(`${RUNTIME_ENV_VAR}=fastest: expected one of`));
  } finally {
    delete process.env[RUNTIME_ENV_VAR];
  }
});
