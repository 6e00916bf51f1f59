/**
 * A 64-bit hash of a face's stored pixels (two independent 32-bit FNV-1a lanes), as 16 hex
 * digits. It only buckets candidates: exact-duplicate groups are confirmed byte by byte
 * (exact-duplicates.ts), so a collision can never merge two different faces.
 */

export function pixelHash(pixels: Uint8Array, width: number, height: number): string {
  // The size is part of the content: a 2x8 and a 4x4 image with the same bytes are different images.
  let a = 0x811c9dc5 ^ width;
  let b = 0x01000193 ^ Math.imul(height, 0x9e3779b1);
  a = Math.imul(a, 0x01000193) >>> 0;
  b = Math.imul(b ^ 0x5bd1e995, 0x01000193) >>> 0;
  for (let i = 0; i < pixels.length; i++) {
    a = Math.imul(a ^ pixels[i], 0x01000193);
    // The second lane mixes position in, so that it differs from the first on permutations.
    b = Math.imul(b ^ (pixels[i] + (i & 0xff) * 257), 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
