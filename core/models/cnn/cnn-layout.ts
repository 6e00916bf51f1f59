/**
 * The CNN's parameters as plain Float32Arrays and the two layouts they live in. The engine's
 * graphs are NCHW (ONNX), so in memory a conv filter is OIHW [cout, cin, 3, 3] and dense0's
 * rows follow the NCHW flatten order (c, y, x). Checkpoints keep the layout the tfjs
 * implementation wrote (conv filters HWIO [3, 3, cin, cout], dense0 rows in NHWC order
 * (y, x, c)) so that old projects' models load unchanged and the tfjs layers export reads them
 * as before; the conversion happens only at snapshot and restore, never per batch.
 */
import type { Rng } from '../../util/rng.ts';
import type { CnnConfig } from './cnn-config.ts';

export const NUM_CONV = 6;
export const NUM_OUT = 8;

/** Parameters (or Adam moments, or their gradients) by name, in the engine layout. */
export type Params = Record<string, Float32Array>;
/** BN running statistics: bn{i}/mean and bn{i}/var. */
export type RunningStats = Record<string, Float32Array>;

export function convChannels(cfg: CnnConfig): { cin: number; cout: number }[] {
  const out: { cin: number; cout: number }[] = [];
  let cin = 1;
  for (let i = 0; i < NUM_CONV; i++) {
    const cout = cfg.filters[Math.floor(i / 2)];
    out.push({ cin, cout });
    cin = cout;
  }
  return out;
}

/** Spatial size after the three 2x2 pools (floor, as MaxPool without padding does). */
export function pooledSize(h: number, w: number): [number, number] {
  return [Math.floor(Math.floor(Math.floor(h / 2) / 2) / 2), Math.floor(Math.floor(Math.floor(w / 2) / 2) / 2)];
}

/** Values entering the dense layer after three 2x2 pools. */
export function flatSize(cfg: CnnConfig, h: number, w: number): number {
  const [ph, pw] = pooledSize(h, w);
  return ph * pw * cfg.filters[2];
}

/** Parameter names and shapes as checkpoints store them (HWIO filters), in a fixed order. */
export function paramShapes(cfg: CnnConfig, h: number, w: number): [string, number[]][] {
  const shapes: [string, number[]][] = [];
  convChannels(cfg).forEach(({ cin, cout }, i) => {
    shapes.push([`conv${i}/w`, [3, 3, cin, cout]], [`bn${i}/gamma`, [cout]], [`bn${i}/beta`, [cout]]);
  });
  shapes.push(['dense0/w', [flatSize(cfg, h, w), cfg.denseUnits]], ['dense0/b', [cfg.denseUnits]]);
  shapes.push(['dense1/w', [cfg.denseUnits, NUM_OUT]], ['dense1/b', [NUM_OUT]]);
  return shapes;
}

/** He-normal weights (std sqrt(2 / fan-in)), unit gammas, zero betas and biases; engine layout. */
export function initParams(cfg: CnnConfig, h: number, w: number, rng: Rng): Params {
  const stored: Params = {};
  // Drawn in the checkpoint layout, in the order the tfjs implementation drew them, so a seed
  // gives the same initial network as before.
  for (const [name, shape] of paramShapes(cfg, h, w)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.endsWith('/w')) {
      const fanIn = shape.length === 4 ? shape[0] * shape[1] * shape[2] : shape[0];
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
    } else if (name.endsWith('/gamma')) {
      data.fill(1);
    }
    stored[name] = data;
  }
  return fromCheckpointLayout(cfg, h, w, stored);
}

export function initRunningStats(cfg: CnnConfig): RunningStats {
  const stats: RunningStats = {};
  convChannels(cfg).forEach(({ cout }, i) => {
    stats[`bn${i}/mean`] = new Float32Array(cout);
    stats[`bn${i}/var`] = new Float32Array(cout).fill(1);
  });
  return stats;
}

/** HWIO [3,3,cin,cout] <-> OIHW [cout,cin,3,3]; `toOihw` picks the direction. */
function permuteFilter(src: Float32Array, cin: number, cout: number, toOihw: boolean): Float32Array {
  const out = new Float32Array(src.length);
  for (let k = 0; k < 9; k++) {
    for (let c = 0; c < cin; c++) {
      for (let o = 0; o < cout; o++) {
        const hwio = (k * cin + c) * cout + o;
        const oihw = (o * cin + c) * 9 + k;
        if (toOihw) out[oihw] = src[hwio];
        else out[hwio] = src[oihw];
      }
    }
  }
  return out;
}

/** dense0 rows NHWC order (y, x, c) <-> NCHW order (c, y, x). */
function permuteDenseRows(src: Float32Array, c: number, ph: number, pw: number, units: number, toNchw: boolean): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) {
      for (let ch = 0; ch < c; ch++) {
        const nhwc = ((y * pw + x) * c + ch) * units;
        const nchw = ((ch * ph + y) * pw + x) * units;
        if (toNchw) out.set(src.subarray(nhwc, nhwc + units), nchw);
        else out.set(src.subarray(nchw, nchw + units), nhwc);
      }
    }
  }
  return out;
}

function convert(cfg: CnnConfig, h: number, w: number, src: Params, toEngine: boolean): Params {
  const out: Params = { ...src };
  const chans = convChannels(cfg);
  for (let i = 0; i < NUM_CONV; i++) {
    const name = `conv${i}/w`;
    if (src[name]) out[name] = permuteFilter(src[name], chans[i].cin, chans[i].cout, toEngine);
  }
  if (src['dense0/w']) {
    const [ph, pw] = pooledSize(h, w);
    out['dense0/w'] = permuteDenseRows(src['dense0/w'], cfg.filters[2], ph, pw, cfg.denseUnits, toEngine);
  }
  return out;
}

/** Checkpoint layout (HWIO, NHWC flatten) -> engine layout. Other names pass through. */
export function fromCheckpointLayout(cfg: CnnConfig, h: number, w: number, src: Params): Params {
  return convert(cfg, h, w, src, true);
}

/** Engine layout -> checkpoint layout. Other names pass through. */
export function toCheckpointLayout(cfg: CnnConfig, h: number, w: number, src: Params): Params {
  return convert(cfg, h, w, src, false);
}

/** Engine-layout shape of a parameter (what the graphs declare). */
export function engineShape(cfg: CnnConfig, h: number, w: number, name: string): number[] {
  const m = /^conv(\d)\/w$/.exec(name);
  if (m) {
    const { cin, cout } = convChannels(cfg)[Number(m[1])];
    return [cout, cin, 3, 3];
  }
  if (/^bn\d\//.test(name)) return [1, cfg.filters[Math.floor(Number(name[2]) / 2)], 1, 1];
  const found = paramShapes(cfg, h, w).find(([k]) => k === name);
  if (!found) throw new Error(`CNN: no parameter named ${name}`);
  return found[1];
}
