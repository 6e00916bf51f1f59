/**
 * A short fingerprint of a sequence of integers (face ids, fold indices): its length and a
 * 32-bit FNV-1a hash of every value's four bytes. Two sequences with the same fingerprint are
 * taken to be the same sequence; used to tell whether work measured earlier (a cleaning-curve
 * training, a finished fold) was measured on exactly these faces in exactly this order.
 */
export function sequenceHash(values: ArrayLike<number>): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    for (let k = 0; k < 4; k++) {
      h ^= (v >>> (8 * k)) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return `${values.length}:${h.toString(16).padStart(8, '0')}`;
}
