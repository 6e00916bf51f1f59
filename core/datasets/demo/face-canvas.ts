/**
 * The pixel grid a demo face is painted on: per-pixel head coordinates (u, v) under the face's
 * shift, zoom and roll, the composed backdrop, the face layer and its coverage. Features are
 * painted only over the pixels of their own bounding box, which keeps rendering a few
 * thousand faces within seconds.
 */
export class FaceCanvas {
  readonly n: number;
  /** Head coordinates of each pixel centre. */
  readonly u: Float64Array;
  readonly v: Float64Array;
  /** Everything behind the head (background, clothes, neck, ears, back hair). */
  readonly back: Float32Array;
  /** The face layer (skin and features) and how much of each pixel the head covers. */
  readonly face: Float32Array;
  readonly cover: Float32Array;
  /** Lambert lighting factor of the head surface at each pixel. */
  readonly lit: Float32Array;
  /** Pixel width in head units. */
  pw = 1;
  /** Pixel box from the last `box` call: inclusive x0..x1, y0..y1 (empty when x0 > x1). */
  x0 = 0;
  x1 = -1;
  y0 = 0;
  y1 = -1;
  private scale = 1;
  private cr = 1;
  private sr = 0;
  private centreX = 0;
  private centreY = 0;

  private constructor(readonly size: number) {
    const n = (this.n = size * size);
    this.u = new Float64Array(n);
    this.v = new Float64Array(n);
    this.back = new Float32Array(n);
    this.face = new Float32Array(n);
    this.cover = new Float32Array(n);
    this.lit = new Float32Array(n);
  }

  private static readonly cache = new Map<number, FaceCanvas>();

  /**
   * A cleared canvas of this size for a head at (centreX, centreY) head units from the image
   * centre, `scale` pixels per head unit, rolled by `roll`. One canvas per size is reused:
   * allocating seven buffers per face made garbage collection a third of generation time.
   * Rendering is synchronous, so the reuse cannot interleave.
   */
  static acquire(size: number, scale: number, roll: number, centreX: number, centreY: number): FaceCanvas {
    let cv = FaceCanvas.cache.get(size);
    if (!cv) FaceCanvas.cache.set(size, (cv = new FaceCanvas(size)));
    cv.reset(scale, roll, centreX, centreY);
    return cv;
  }

  private reset(scale: number, roll: number, centreX: number, centreY: number): void {
    const size = this.size;
    this.scale = scale;
    this.pw = 1 / scale;
    this.cr = Math.cos(roll);
    this.sr = Math.sin(roll);
    this.centreX = centreX;
    this.centreY = centreY;
    this.back.fill(0);
    this.face.fill(0);
    this.cover.fill(0);
    this.lit.fill(0);
    for (let py = 0; py < size; py++) {
      const Y = (py + 0.5 - size / 2) / scale - centreY;
      for (let px = 0; px < size; px++) {
        const X = (px + 0.5 - size / 2) / scale - centreX;
        this.u[py * size + px] = this.cr * X + this.sr * Y;
        this.v[py * size + px] = -this.sr * X + this.cr * Y;
      }
    }
  }

  /** Sets x0..x1, y0..y1 to the pixels whose centres may fall in the head-unit box (plus one pixel). */
  box(minU: number, minV: number, maxU: number, maxV: number): void {
    let lx = Infinity, hx = -Infinity, ly = Infinity, hy = -Infinity;
    for (let k = 0; k < 4; k++) {
      const u = k & 1 ? maxU : minU;
      const v = k & 2 ? maxV : minV;
      const X = this.cr * u - this.sr * v + this.centreX;
      const Y = this.sr * u + this.cr * v + this.centreY;
      const px = X * this.scale + this.size / 2 - 0.5;
      const py = Y * this.scale + this.size / 2 - 0.5;
      lx = Math.min(lx, px); hx = Math.max(hx, px); ly = Math.min(ly, py); hy = Math.max(hy, py);
    }
    this.x0 = Math.max(0, Math.floor(lx) - 1);
    this.x1 = Math.min(this.size - 1, Math.ceil(hx) + 1);
    this.y0 = Math.max(0, Math.floor(ly) - 1);
    this.y1 = Math.min(this.size - 1, Math.ceil(hy) + 1);
  }
}
