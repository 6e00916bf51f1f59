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
import sharp from 'sharp';
import type { FaceBox } from '../../api/domain.ts';

export type FitMode = 'cover' | 'contain' | 'fill';

export interface FaceSize {
  width: number;
  height: number;
}

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

export async function decodeFaceImage(req: DecodeRequest): Promise<DecodeResult> {
  // One decode to grey at full size, then crop in memory: a single sharp call for the common
  // case of an image already at the target size (FER+), and the decoded size checks the box.
  // sharp reads the file itself (in its worker), which measured faster than passing a buffer.
  let grey: Uint8Array;
  let width: number;
  let height: number;
  try {
    const img = req.autoOrient && !req.box ? sharp(req.path).rotate() : sharp(req.path);
    const { data, info } = await img.removeAlpha().greyscale().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    width = info.width;
    height = info.height;
    grey = greyBytes(data, info.channels, width * height);
  } catch (e) {
    const message = (e as Error).message;
    if (/input file is missing/i.test(message)) return { ok: false, problem: 'missing', message: `image not found: ${req.path}` };
    return { ok: false, problem: 'corrupt', message: `cannot decode ${req.path}: ${message}` };
  }
  let box: FaceBox | null = null;
  if (req.box) {
    const fitted = fitBoxToImage(req.box, width, height);
    if ('message' in fitted) return { ok: false, problem: 'box', message: fitted.message };
    box = fitted.box;
    if (box.x !== 0 || box.y !== 0 || box.width !== width || box.height !== height) {
      grey = cropGrey(grey, width, box);
      width = box.width;
      height = box.height;
    }
  }
  try {
    const pixels = width === req.size.width && height === req.size.height ? grey : await resizeGreyPixels(grey, width, height, req.size, req.fit);
    return { ok: true, pixels, box };
  } catch (e) {
    return { ok: false, problem: 'corrupt', message: `cannot resize ${req.path}: ${(e as Error).message}` };
  }
}

function cropGrey(px: Uint8Array, width: number, b: FaceBox): Uint8Array {
  const out = new Uint8Array(b.width * b.height);
  for (let y = 0; y < b.height; y++) out.set(px.subarray((b.y + y) * width + b.x, (b.y + y) * width + b.x + b.width), y * b.width);
  return out;
}

/** Resize raw grey pixels (e.g. FER2013's 48x48 CSV rows) to the target size; a copy when sizes match. */
export async function resizeGreyPixels(pixels: Uint8Array, width: number, height: number, size: FaceSize, fit: FitMode): Promise<Uint8Array> {
  if (width === size.width && height === size.height) return pixels.slice();
  const { data, info } = await sharp(pixels, { raw: { width, height, channels: 1 } })
    .resize(size.width, size.height, { fit, position: 'centre', background: { r: 0, g: 0, b: 0 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return greyBytes(data, info.channels, size.width * size.height);
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
