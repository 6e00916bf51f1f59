/**
 * A face as a PNG: the stored grey pixels upscaled to the requested square size with sharp.
 * Shared by the browser-mode server (`/img/sample/<id>.png`) and Electron's `face://` protocol.
 */
import sharp from 'sharp';
import { ApiError } from '../../api/contract.ts';
import type { ProjectDb } from '../../db/connection.ts';
import { getSample } from '../../db/sample-store.ts';

export const MIN_IMAGE_SIZE = 8;
export const MAX_IMAGE_SIZE = 1024;
export const DEFAULT_IMAGE_SIZE = 192;

/** Parses `size` from a query string value; throws ApiError('invalid_params') naming the field. */
export function parseImageSize(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_IMAGE_SIZE;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < MIN_IMAGE_SIZE || n > MAX_IMAGE_SIZE) {
    throw new ApiError('invalid_params', `image: size must be an integer >= ${MIN_IMAGE_SIZE} and <= ${MAX_IMAGE_SIZE}, got ${JSON.stringify(raw.slice(0, 20))}`);
  }
  return n;
}

/** Parses the id from `<id>.png`; throws ApiError('invalid_params') when it is not a positive integer. */
export function parseSampleId(raw: string): number {
  const m = /^(\d{1,15})\.png$/.exec(raw);
  const id = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw new ApiError('invalid_params', `image: id must be a positive integer followed by .png, got ${JSON.stringify(raw.slice(0, 40))}`);
  return id;
}

export async function renderSamplePng(db: ProjectDb, id: number, size: number): Promise<Buffer> {
  const sample = getSample(db, id);
  if (!sample) throw new ApiError('not_found', `image: no face ${id} in this project`);
  const { width, height, pixels } = sample;
  if (pixels.length !== width * height) throw new ApiError('internal', `image: face ${id} has ${pixels.length} pixels, expected ${width}x${height}`);
  const scale = size / Math.max(width, height);
  return sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width, height, channels: 1 } })
    .resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { kernel: 'lanczos3' })
    .png()
    .toBuffer();
}
