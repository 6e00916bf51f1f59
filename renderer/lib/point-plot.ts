// A WebGL point map for the Map view: every face one point (gl.POINTS from two vertex buffers,
// so 300,000 points redraw in one call), coloured by a category palette or a continuous ramp,
// panned by dragging, zoomed by the wheel, with lasso and box selection and hover. Written
// directly on WebGL because regl (under regl-scatterplot) compiles its draw calls with
// `new Function`, which the app's Content-Security-Policy (no 'unsafe-eval') forbids.
import { boxPolygon, nearestPoint, panBy, pointsInPolygon, toScreen, zoomAt, type View } from './map-geometry.ts';

export type PlotMode = 'panZoom' | 'lasso' | 'box';

const VERTEX = `
attribute vec2 pos;
attribute float value;
attribute float selected;
uniform vec2 scale;
uniform vec2 offset;
uniform float size;
varying float v_value;
varying float v_selected;
void main() {
  gl_Position = vec4(pos * scale + offset, 0.0, 1.0);
  gl_PointSize = selected > 0.5 ? size + 3.0 : size;
  v_value = value;
  v_selected = selected;
}`;

const FRAGMENT = `
precision mediump float;
uniform sampler2D palette;
uniform float paletteSize;
uniform float continuous;
varying float v_value;
varying float v_selected;
void main() {
  vec2 c = gl_PointCoord * 2.0 - 1.0;
  float r = dot(c, c);
  if (r > 1.0) discard;
  float u = continuous > 0.5 ? clamp(v_value, 0.0, 1.0) * (paletteSize - 1.0) / paletteSize + 0.5 / paletteSize : (v_value + 0.5) / paletteSize;
  vec4 colour = texture2D(palette, vec2(u, 0.5));
  // Selected points get a dark ring.
  if (v_selected > 0.5 && r > 0.45) colour = vec4(0.1, 0.1, 0.15, 1.0);
  gl_FragColor = colour;
}`;

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function compile(gl: WebGLRenderingContext, type: number, src: string): WebGLShader {
  const s = gl.createShader(type)!;
  gl.shaderSource(s, src);
  gl.compileShader(s);
  if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`map shader: ${gl.getShaderInfoLog(s)}`);
  return s;
}

export interface PlotEvents {
  select(indices: number[]): void;
  hover(index: number | null, screen: [number, number] | null): void;
}

export class PointPlot {
  readonly gl: WebGLRenderingContext;
  private readonly program: WebGLProgram;
  private readonly buffers: { pos: WebGLBuffer; value: WebGLBuffer; selected: WebGLBuffer };
  private readonly palette: WebGLTexture;
  private paletteSize = 1;
  private continuous = false;
  x: Float32Array = new Float32Array(0);
  y: Float32Array = new Float32Array(0);
  values: Float32Array = new Float32Array(0);
  private selectedFlags: Float32Array = new Float32Array(0);
  view: View;
  mode: PlotMode = 'panZoom';
  /** Frames drawn (the benchmark counts them). */
  frames = 0;
  private pending = false;
  private drag: { x: number; y: number; path: number[] } | null = null;
  private readonly detach: () => void;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly overlay: HTMLCanvasElement,
    private readonly events: PlotEvents,
  ) {
    const gl = canvas.getContext('webgl', { antialias: false, preserveDrawingBuffer: true });
    if (!gl) throw new Error('WebGL is not available');
    this.gl = gl;
    const p = gl.createProgram()!;
    gl.attachShader(p, compile(gl, gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(p, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
    gl.linkProgram(p);
    if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`map program: ${gl.getProgramInfoLog(p)}`);
    this.program = p;
    this.buffers = { pos: gl.createBuffer()!, value: gl.createBuffer()!, selected: gl.createBuffer()! };
    this.palette = gl.createTexture()!;
    this.view = { width: canvas.clientWidth || 1, height: canvas.clientHeight || 1, zoom: 1, panX: 0, panY: 0 };
    this.detach = this.listen();
  }

  /** Points in map units ([-1, 1] after normalising). */
  setPoints(x: Float32Array, y: Float32Array): void {
    this.x = x;
    this.y = y;
    const xy = new Float32Array(x.length * 2);
    for (let i = 0; i < x.length; i++) {
      xy[2 * i] = x[i];
      xy[2 * i + 1] = y[i];
    }
    this.upload(this.buffers.pos, xy);
    this.setSelected([]);
    this.requestDraw();
  }

  /** Category indices into `colors` (continuous false) or values in [0, 1] along the `colors` ramp. */
  setValues(values: Float32Array, colors: readonly string[], continuous: boolean): void {
    this.values = values;
    this.continuous = continuous;
    this.upload(this.buffers.value, values);
    const gl = this.gl;
    const rgba = new Uint8Array(colors.length * 4);
    colors.forEach((c, i) => rgba.set([...hexToRgb(c), 255], i * 4));
    gl.bindTexture(gl.TEXTURE_2D, this.palette);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, colors.length, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, rgba);
    const filter = continuous ? gl.LINEAR : gl.NEAREST;
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, filter);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, filter);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    this.paletteSize = colors.length;
    this.requestDraw();
  }

  setSelected(indices: readonly number[]): void {
    this.selectedFlags = new Float32Array(this.x.length);
    for (const i of indices) if (i >= 0 && i < this.x.length) this.selectedFlags[i] = 1;
    this.upload(this.buffers.selected, this.selectedFlags);
    this.requestDraw();
  }

  setView(view: View): void {
    this.view = view;
    this.requestDraw();
  }

  resize(width: number, height: number): void {
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.overlay.width = Math.round(width * dpr);
    this.overlay.height = Math.round(height * dpr);
    this.view = { ...this.view, width, height };
    this.requestDraw();
  }

  /** Screen position (CSS pixels in the canvas) of point i. */
  screenPosition(i: number): [number, number] {
    return toScreen(this.view, this.x[i], this.y[i]);
  }

  requestDraw(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  draw(): void {
    const gl = this.gl;
    const { width, height, zoom, panX, panY } = this.view;
    gl.viewport(0, 0, this.canvas.width, this.canvas.height);
    gl.clearColor(1, 1, 1, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    if (this.x.length === 0) return;
    gl.useProgram(this.program);
    // toScreen in clip space: x_clip = (x + panX) * zoom * unit / (width / 2).
    const unit = Math.min(width, height) / 2;
    const sx = (zoom * unit) / (width / 2);
    const sy = (zoom * unit) / (height / 2);
    gl.uniform2f(gl.getUniformLocation(this.program, 'scale'), sx, sy);
    gl.uniform2f(gl.getUniformLocation(this.program, 'offset'), panX * sx, panY * sy);
    gl.uniform1f(gl.getUniformLocation(this.program, 'size'), Math.min(12, 3 * Math.sqrt(zoom)) * (window.devicePixelRatio || 1));
    gl.uniform1f(gl.getUniformLocation(this.program, 'paletteSize'), this.paletteSize);
    gl.uniform1f(gl.getUniformLocation(this.program, 'continuous'), this.continuous ? 1 : 0);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.palette);
    gl.uniform1i(gl.getUniformLocation(this.program, 'palette'), 0);
    this.attribute('pos', this.buffers.pos, 2);
    this.attribute('value', this.buffers.value, 1);
    this.attribute('selected', this.buffers.selected, 1);
    gl.drawArrays(gl.POINTS, 0, this.x.length);
    this.frames++;
  }

  destroy(): void {
    this.detach();
    const gl = this.gl;
    Object.values(this.buffers).forEach((b) => gl.deleteBuffer(b));
    gl.deleteTexture(this.palette);
    gl.deleteProgram(this.program);
  }

  private upload(buffer: WebGLBuffer, data: Float32Array): void {
    const gl = this.gl;
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferData(gl.ARRAY_BUFFER, data, gl.DYNAMIC_DRAW);
  }

  private attribute(name: string, buffer: WebGLBuffer, size: number): void {
    const gl = this.gl;
    const loc = gl.getAttribLocation(this.program, name);
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.enableVertexAttribArray(loc);
    gl.vertexAttribPointer(loc, size, gl.FLOAT, false, 0, 0);
  }

  /** The lasso or box being dragged, drawn on the 2-D overlay canvas. */
  private drawOverlay(): void {
    const ctx = this.overlay.getContext('2d');
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    const poly = this.dragPolygon();
    if (!poly || poly.length < 4) return;
    ctx.beginPath();
    ctx.moveTo(poly[0], poly[1]);
    for (let i = 2; i < poly.length; i += 2) ctx.lineTo(poly[i], poly[i + 1]);
    ctx.closePath();
    ctx.strokeStyle = 'rgba(25, 100, 230, 1)';
    ctx.lineWidth = 2;
    ctx.fillStyle = 'rgba(25, 100, 230, 0.08)';
    ctx.fill();
    ctx.stroke();
  }

  private dragPolygon(): number[] | null {
    const d = this.drag;
    if (!d || d.path.length < 2) return null;
    if (this.mode === 'box') return boxPolygon(d.x, d.y, d.path[d.path.length - 2], d.path[d.path.length - 1]);
    return d.path;
  }

  private listen(): () => void {
    const el = this.canvas;
    const local = (e: MouseEvent): [number, number] => {
      const r = el.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      const [x, y] = local(e);
      this.drag = { x, y, path: [x, y] };
      el.setPointerCapture(e.pointerId);
    };
    const move = (e: PointerEvent) => {
      const [x, y] = local(e);
      const d = this.drag;
      if (!d) {
        const i = this.x.length ? nearestPoint(this.view, this.x, this.y, x, y, 6) : -1;
        this.events.hover(i >= 0 ? i : null, i >= 0 ? this.screenPosition(i) : null);
        return;
      }
      if (this.mode === 'panZoom') {
        const [px, py] = [d.path[d.path.length - 2], d.path[d.path.length - 1]];
        this.setView(panBy(this.view, x - px, y - py));
        d.path = [x, y];
      } else {
        d.path.push(x, y);
        this.drawOverlay();
      }
    };
    const up = (e: PointerEvent) => {
      const d = this.drag;
      if (!d) return;
      const [x, y] = local(e);
      if (this.mode !== 'panZoom') {
        d.path.push(x, y);
        const poly = this.dragPolygon();
        this.drag = null;
        this.drawOverlay();
        const picked = poly ? pointsInPolygon(this.view, this.x, this.y, poly) : [];
        this.setSelected(picked);
        this.events.select(picked);
      }
      this.drag = null;
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const [x, y] = local(e);
      this.setView(zoomAt(this.view, x, y, Math.exp(-e.deltaY * 0.0015)));
    };
    const dbl = () => {
      this.setSelected([]);
      this.events.select([]);
    };
    const leave = () => this.events.hover(null, null);
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('wheel', wheel, { passive: false });
    el.addEventListener('dblclick', dbl);
    el.addEventListener('pointerleave', leave);
    return () => {
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('wheel', wheel);
      el.removeEventListener('dblclick', dbl);
      el.removeEventListener('pointerleave', leave);
    };
  }
}
