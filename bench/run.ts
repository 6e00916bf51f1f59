/**
 * The project benchmark: the workloads of /shared/bench/peers.py (rbm_epoch, sk_rbm_epoch,
 * mlp_epoch, mlp_infer, cnn_epoch, cnn_infer; same shapes; median of 3 after a warm-up) run
 * with our real model classes on the backend a user here gets. sk_rbm_epoch is our RBM epoch
 * again, to be compared with scikit-learn's BernoulliRBM. The last line of stdout is one JSON
 * object; with --peers file (the JSON printed by peers.py) it also holds ours/peer ratios.
 * The engine runtime is chosen as in the app (best present) unless --runtime names one; --threads
 * sets its intra-op threads (default: all cores but one). `runtime` and `threads` are in the JSON.
 * Usage: npm run bench -- [--quick] [--json] [--peers peers.json] [--only rbm_epoch,mlp_epoch]
 *                         [--runtime onnxruntime-cpu|tfjs-wasm|...] [--threads N]
 */
import { readFileSync } from 'node:fs';
import { selectRuntime } from '../core/runtime/select-runtime.ts';
import { mlpEpochWorkload, mlpInferWorkload, PIXELS, rbmEpochWorkload, uniformMatrix } from './workloads/rbm-mlp.ts';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const jsonOnly = argv.includes('--json');
const valueOf = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
const peersFile = valueOf('--peers');
const only = valueOf('--only')?.split(',');
const REPS = 3;
const N_RBM = quick ? 4096 : 28558;
const N_MLP = quick ? 4096 : 28558;
const N_CNN = quick ? 1024 : 4096;

const log = (msg: string) => {
  if (!jsonOnly) console.log(msg);
};
const wanted = (key: string) => !only || only.includes(key);
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

async function timed(run: () => void | Promise<void>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await run();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

const threadsArg = valueOf('--threads');
const choice = await selectRuntime({ prefer: valueOf('--runtime'), threads: threadsArg === undefined ? undefined : Number(threadsArg) });
const out: Record<string, unknown> = { runtime: choice.name, threads: choice.threads, reason: choice.reason, n_rbm: N_RBM, n_mlp: N_MLP, n_cnn: N_CNN, reps: REPS };
log(`runtime: ${choice.name}, ${choice.threads} thread(s) (${choice.reason})`);
const x = uniformMatrix(Math.max(N_RBM, N_MLP), PIXELS, 0);
const rows = (n: number) => ({ data: x.data.subarray(0, n * PIXELS), rows: n, cols: PIXELS });

if (wanted('rbm_epoch') || wanted('sk_rbm_epoch')) {
  out.rbm_epoch = await timed(rbmEpochWorkload(rows(N_RBM)));
  out.sk_rbm_epoch = out.rbm_epoch;
  log(`rbm_epoch     ${(out.rbm_epoch as number).toFixed(3)} s`);
}
if (wanted('mlp_epoch')) {
  out.mlp_epoch = await timed(mlpEpochWorkload(rows(N_MLP)));
  log(`mlp_epoch     ${(out.mlp_epoch as number).toFixed(3)} s`);
}
if (wanted('mlp_infer')) {
  out.mlp_infer = await timed(mlpInferWorkload(rows(N_RBM)));
  log(`mlp_infer     ${(out.mlp_infer as number).toFixed(3)} s`);
}
if (wanted('cnn_epoch') || wanted('cnn_infer')) {
  let cnn: { cnnEpoch(n: number): Promise<number>; cnnInfer(n: number): Promise<number> } | null = null;
  try {
    cnn = await import('./workloads/cnn.ts');
  } catch (e) {
    log(`cnn workloads unavailable: ${(e as Error).message.split('\n')[0]}`);
  }
  if (cnn) {
    // Each call warms up on its own; we take the median of REPS calls.
    const reps = async (f: (n: number) => Promise<number>) => {
      const t: number[] = [];
      for (let i = 0; i < REPS; i++) t.push(await f(N_CNN));
      return median(t);
    };
    if (wanted('cnn_epoch')) {
      out.cnn_epoch = await reps(cnn.cnnEpoch);
      log(`cnn_epoch     ${(out.cnn_epoch as number).toFixed(3)} s`);
    }
    if (wanted('cnn_infer')) {
      out.cnn_infer = await reps(cnn.cnnInfer);
      log(`cnn_infer     ${(out.cnn_infer as number).toFixed(3)} s`);
    }
  }
}

if (peersFile) {
  const peers = JSON.parse(readFileSync(peersFile, 'utf8')) as Record<string, unknown>;
  const ratios: Record<string, number> = {};
  for (const key of ['rbm_epoch', 'sk_rbm_epoch', 'mlp_epoch', 'mlp_infer', 'cnn_epoch', 'cnn_infer']) {
    const ours = out[key];
    const peer = peers[key];
    if (typeof ours === 'number' && typeof peer === 'number' && peer > 0) ratios[key] = +(ours / peer).toFixed(3);
  }
  if (peers.n_rbm !== undefined && peers.n_rbm !== N_RBM) log(`warning: peers ran n_rbm=${String(peers.n_rbm)}, we ran ${N_RBM} (use the same --quick setting)`);
  out.peers = peers;
  out.ratio_ours_over_peer = ratios;
  log(`ours/peer: ${JSON.stringify(ratios)}`);
}
console.log(JSON.stringify(out));
