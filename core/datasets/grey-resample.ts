/**
 * Grey conversion, cropping and resizing of small decoded images in plain JS, for the importers'
 * hot path. Each extra libvips operation on a 96x96 face cost about half a millisecond of CPU
 * (a colourspace pass in linear light, a Lanczos reduce, the pipeline around them), more than
 * decoding the JPEG itself; done here on a few thousand pixels they cost microseconds.
 *
 * - Grey is the luminance of linear-light sRGB (Rec. 709 weights), encoded back to sRGB: what
 *   libvips' sRGB -> B_W conversion (sharp's `greyscale()`) computes, to within rounding.
 * - Resizing is separable with a triangle kernel widened by the reduction factor (each output
 *   pixel averages the input pixels it covers, weighted by distance: no aliasing when shrinking;
 *   plain bilinear interpolation when enlarging). Pixel centres sit at (i + 0.5) / scale.
 * - `fit` as in sharp: 'cover' scales until the target is filled and cuts the overflow evenly,
 *   'contain' scales until the image fits and pads with black, 'fill' stretches.
 */
import type { FaceBox } from '../../api/domain.ts';

/** How a face meets the target size (see face-image.ts). */
export type FitMode = 'cover' | 'contain' | 'fill';

export interface FaceSize {
  width: number;
  height: number;
}

const TO_LINEAR = new Float64Array(256);
for (let v = 0; v < 256; v++) {
  const c = v / 255;
  TO_LINEAR[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}
/** Linear light in 1/LEVELS steps back to 8-bit sRGB. */
const LEVELS = 4096;
const TO_SRGB = new Uint8Array(LEVELS + 1);
for (let i = 0; i <= LEVELS; i++) {
  const l = i / LEVELS;
  const c = l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055;
  TO_SRGB[i] = Math.max(0, Math.min(255, Math.round(c * 255)));
}

/**
 * The grey pixels of a box of an interleaved 8-bit image with 1-4 channels (grey, grey+alpha,
 * RGB, RGBA; alpha is ignored, as sharp's removeAlpha does).
 */
export function greyCrop(data: Uint8Array, width: number, channels: number, box: FaceBox): Uint8Array {
  if (!(channels >= 1 && channels <= 4)) throw new Error(`cannot convert ${channels} channels to grey`);
  const out = new Uint8Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const row = ((box.y + y) * width + box.x) * channels;
    const o = y * box.width;
    if (channels <= 2) {
      for (let x = 0; x < box.width; x++) out[o + x] = data[row + x * channels];
      continue;
    }
    for (let x = 0; x < box.width; x++) {
      const p = row + x * channels;
      const r = data[p];
      const g = data[p + 1];
      const b = data[p + 2];
      out[o + x] = r === g && g === b ? r : TO_SRGB[Math.round((0.2126 * TO_LINEAR[r] + 0.7152 * TO_LINEAR[g] + 0.0722 * TO_LINEAR[b]) * LEVELS)];
    }
  }
  return out;
}

interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  stride: number;
}

/** Input taps and weights of each output pixel along one axis (n -> m samples). */
function taps(n: number, m: number): Taps {
  const scale = m / n;
  const support = scale < 1 ? 1 / scale : 1;
  const stride = Math.ceil(support * 2) + 3;
  const start = new Int32Array(m);
  const count = new Int32Array(m);
  const weights = new Float64Array(m * stride);
  for (let i = 0; i < m; i++) {
    const centre = (i + 0.5) / scale;
    const lo = Math.max(0, Math.floor(centre - support - 0.5));
    const hi = Math.min(n - 1, Math.ceil(centre + support - 0.5));
    let sum = 0;
    let k = 0;
    for (let j = lo; j <= hi && k < stride; j++) {
      const w = Math.max(0, 1 - Math.abs(j + 0.5 - centre) / support);
      if (w === 0 && k === 0) continue;
      weights[i * stride + k] = w;
      if (k === 0) start[i] = j;
      sum += w;
      k++;
    }
    if (sum === 0) {
      // Enlarging past the last centre: the nearest edge pixel.
      start[i] = Math.min(n - 1, Math.max(0, Math.floor(centre)));
      weights[i * stride] = 1;
      k = 1;
      sum = 1;
    }
    for (let t = 0; t < k; t++) weights[i * stride + t] /= sum;
    count[i] = k;
  }
  return { start, count, weights, stride };
}

/** Resample grey pixels from w x h to W x H (separable triangle filter). */
export function resampleGrey(px: Uint8Array, w: number, h: number, W: number, H: number): Uint8Array {
  if (w === W && h === H) return px.slice();
  const tx = taps(w, W);
  const ty = taps(h, H);
  // Horizontal pass into floats, then vertical pass with rounding.
  const mid = new Float64Array(W * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < W; x++) {
      let acc = 0;
      const s = tx.start[x];
      const base = x * tx.stride;
      for (let k = 0; k < tx.count[x]; k++) acc += tx.weights[base + k] * px[row + s + k];
      mid[y * W + x] = acc;
    }
  }
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    const s = ty.start[y];
    const base = y * ty.stride;
    for (let x = 0; x < W; x++) {
      let acc = 0;
      for (let k = 0; k < ty.count[y]; k++) acc += ty.weights[base + k] * mid[(s + k) * W + x];
      out[y * W + x] = Math.max(0, Math.min(255, Math.round(acc)));
    }
  }
  return out;
}

/** Fit grey pixels of w x h into the target size the way sharp's `resize(..., { fit, position: 'centre' })` does. */
export function fitGrey(px: Uint8Array, w: number, h: number, size: FaceSize, fit: FitMode): Uint8Array {
  const { width: W, height: H } = size;
  if (w === W && h === H) return px.slice();
  if (fit === 'fill') return resampleGrey(px, w, h, W, H);
  const scale = fit === 'cover' ? Math.max(W / w, H / h) : Math.min(W / w, H / h);
  const sw = Math.max(1, Math.round(w * scale));
  const sh = Math.max(1, Math.round(h * scale));
  const scaled = resampleGrey(px, w, h, sw, sh);
  const out = new Uint8Array(W * H);
  if (fit === 'cover') {
    // sharp's centre crop rounds half an odd overflow up.
    const ox = Math.floor((sw - W + 1) / 2);
    const oy = Math.floor((sh - H + 1) / 2);
    for (let y = 0; y < H; y++) out.set(scaled.subarray((oy + y) * sw + ox, (oy + y) * sw + ox + W), y * W);
  } else {
    const ox = Math.floor((W - sw) / 2);
    const oy = Math.floor((H - sh) / 2);
    for (let y = 0; y < sh; y++) out.set(scaled.subarray(y * sw, (y + 1) * sw), (oy + y) * W + ox);
  }
  return out;
}
