/**
 * Turns one image file (JPEG, PNG, WebP, TIFF, GIF, ... whatever sharp decodes) into the
 * project's input: crop by the face box when one is given, convert to grey, resize to the
 * target size, return width*height Uint8 pixels. Problems come back as values, not throws,
 * so an importer can report them against the right file, line and field and carry on.
 *
 * Aspect handling (`fit`): 'cover' (default) scales the crop until it fills the target and cuts
 * the overflow evenly from both sides, so faces keep their proportions (AffectNet's boxes are
 * near square, so this cuts little); 'contain' letterboxes with black; 'fill' stretches.
 *
 * Boxes: a box sticking out of the image by at most BOX_TOLERANCE (rounding in the datasets'
 * annotations) is clipped to the image; a box further outside is rejected, because cropping
 * something else than the annotated face would attach the label to the wrong pixels.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { FaceBox } from '../../api/domain.ts';
import { fitGrey, greyCrop, type FaceSize, type FitMode } from './grey-resample.ts';

export type { FaceSize, FitMode } from './grey-resample.ts';

export interface DecodeRequest {
  path: string;
  box: FaceBox | null;
  size: FaceSize;
  fit: FitMode;
  /** Apply the EXIF orientation (photos from folders); off when a box refers to the stored pixel grid. */
  autoOrient: boolean;
}

export type DecodeProblem = 'missing' | 'corrupt' | 'box';
export type DecodeResult = { ok: true; pixels: Uint8Array; box: FaceBox | null } | { ok: false; problem: DecodeProblem; message: string };

/** Pixels a box may overshoot the image: max(2 px, 2% of the box side). */
function tolerance(side: number): number {
  return Math.max(2, Math.round(side * 0.02));
}

/** The box clipped to the image, or why it does not fit. */
export function fitBoxToImage(box: FaceBox, imageWidth: number, imageHeight: number): { box: FaceBox } | { message: string } {
  const { x, y, width, height } = box;
  const tx = tolerance(width);
  const ty = tolerance(height);
  if (width <= 0 || height <= 0) return { message: `empty face box ${width}x${height}` };
  if (x < -tx || y < -ty || x + width > imageWidth + tx || y + height > imageHeight + ty) {
    return { message: `face box (${x}, ${y}, ${width}, ${height}) lies outside the ${imageWidth}x${imageHeight} image` };
  }
  const left = Math.max(0, Math.round(x));
  const top = Math.max(0, Math.round(y));
  const right = Math.min(imageWidth, Math.round(x + width));
  const bottom = Math.min(imageHeight, Math.round(y + height));
  if (right - left < 1 || bottom - top < 1) return { message: `face box (${x}, ${y}, ${width}, ${height}) is empty inside the image` };
  return { box: { x: left, y: top, width: right - left, height: bottom - top } };
}

function greyBytes(data: Buffer, channels: number, count: number): Uint8Array {
  if (channels === 1) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + count));
  // sharp keeps channels for some inputs; its grey conversion already made them equal.
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = data[i * channels];
  return out;
}

function decodeFailure(path: string, e: unknown): DecodeResult {
  const message = (e as Error).message;
  if ((e as NodeJS.ErrnoException).code === 'ENOENT' || /input file is missing/i.test(message)) return { ok: false, problem: 'missing', message: `image not found: ${path}` };
  return { ok: false, problem: 'corrupt', message: `cannot decode ${path}: ${message}` };
}

function resizeOptions(fit: FitMode) {
  return { fit, position: 'centre', background: { r: 0, g: 0, b: 0 } } as const;
}

/**
 * A face in at most one call to libvips. Without a box: decode, orient, resize and grey in one
 * sharp pipeline (resizing to the image's own size is a no-op there, so FER+'s 48x48 PNGs are
 * not resampled). With a box (AffectNet): sharp only decodes; the box is fitted to the decoded
 * size, and grey conversion, crop and resize happen in JS (grey-resample.ts), because every
 * further libvips operation on a small face cost more CPU than the decode itself.
 */
export async function decodeFaceImage(req: DecodeRequest): Promise<DecodeResult> {
  const { width: outW, height: outH } = req.size;
  if (!req.box) {
    try {
      const img = req.autoOrient ? sharp(req.path).rotate() : sharp(req.path);
      const { data, info } = await img.removeAlpha().greyscale().resize(outW, outH, resizeOptions(req.fit)).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
      return { ok: true, pixels: greyBytes(data, info.channels, outW * outH), box: null };
    } catch (e) {
      return decodeFailure(req.path, e);
    }
  }
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    decoded = await sharp(await readFile(req.path)).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    return decodeFailure(req.path, e);
  }
  const { width, height, channels } = decoded.info;
  const fitted = fitBoxToImage(req.box, width, height);
  if ('message' in fitted) return { ok: false, problem: 'box', message: fitted.message };
  const box = fitted.box;
  try {
    const grey = greyCrop(decoded.data, width, channels, box);
    return { ok: true, pixels: fitGrey(grey, box.width, box.height, req.size, req.fit), box };
  } catch (e) {
    return { ok: false, problem: 'corrupt', message: `cannot convert ${req.path}: ${(e as Error).message}` };
  }
}

let configured = false;

/**
 * Bulk-import settings: one libvips thread per image (parallelism comes from several images in
 * flight, which suits small images on a 2-core machine far better than splitting one image),
 * and no operation cache (every file is read once, so caching only costs memory).
 * Process-wide, set once.
 */
export function configureSharpForBulkImport(): void {
  if (configured) return;
  configured = true;
  sharp.concurrency(1);
  sharp.cache(false);
}
