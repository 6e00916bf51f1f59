/**
 * Seeded pseudo-random numbers (mulberry32 + Box-Muller), so every run of training, the demo
 * generator and fold assignment repeats exactly. The whole state is one 32-bit integer, which
 * a checkpoint stores to resume a run bit-identically.
 */
export class Rng {
  private s: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** The complete state (for checkpoints). */
  get state(): { s: number; spare: number | null } {
    return { s: this.s, spare: this.spare };
  }

  static fromState(state: { s: number; spare: number | null }): Rng {
    const r = new Rng(0);
    r.s = state.s >>> 0;
    r.spare = state.spare;
    return r;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal. */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A new seed drawn from this stream, for a derived independent stream. */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 4294967296));
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T>(a: T[] | Int32Array | Uint32Array): typeof a {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
