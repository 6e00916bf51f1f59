/**
 * Frame rate of the Map view's WebGL plot (renderer/lib/point-plot.ts) with N points in
 * Chromium: the plot is bundled with esbuild into a blank page, N points in 8 clusters are
 * uploaded, then the mouse pans (drags) and zooms (wheel) for a few seconds while the page
 * counts requestAnimationFrame callbacks and the frames the plot drew. Headless Chromium here
 * has no GPU: WebGL runs on SwiftShader, the CPU rasteriser, which is what these numbers measure.
 * Usage: node --import tsx bench/map-fps.ts [--n 300000] [--seconds 6] [--gpu]
 * The last line of stdout is one JSON object.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** As the end-to-end tests launch Chromium (test/e2e/harness.ts). */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

const argv = process.argv.slice(2);
const valueOf = (flag: string, dflt: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : dflt);
const n = Number(valueOf('--n', '300000'));
const seconds = Number(valueOf('--seconds', '6'));

const bundle = await build({
  stdin: {
    contents: `import { PointPlot } from './renderer/lib/point-plot.ts'; window.PointPlot = PointPlot;`,
    resolveDir: ROOT,
    loader: 'ts',
  },
  bundle: true,
  write: false,
  format: 'iife',
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: argv.includes('--gpu') ? CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu') : CHROMIUM_ARGS,
});
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.setContent('<canvas id="c" style="position:absolute;left:0;top:0;width:1000px;height:700px"></canvas><canvas id="o" style="position:absolute;left:0;top:0;width:1000px;height:700px;pointer-events:none"></canvas>');
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  // Plain JavaScript in a string: a function compiled by tsx would carry its helpers along.
  const renderer = (await page.evaluate(`(() => {
    const plot = new window.PointPlot(document.getElementById('c'), document.getElementById('o'), { select() {}, hover() {} });
    plot.resize(1000, 700);
    let s = 1;
    const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const count = ${n};
    const x = new Float32Array(count), y = new Float32Array(count), v = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const c = i % 8;
      const r = 0.15 * Math.sqrt(-2 * Math.log(rnd() + 1e-12));
      const t = 2 * Math.PI * rnd();
      x[i] = 0.6 * Math.cos(c) + r * Math.cos(t);
      y[i] = 0.6 * Math.sin(c) + r * Math.sin(t);
      v[i] = c;
    }
    plot.setPoints(x, y);
    plot.setValues(v, ['#8c8c8c', '#f2b701', '#3969ac', '#11a579', '#7f3c8d', '#80ba5a', '#e73f74', '#e68310'], false);
    window.plot = plot;
    window.raf = 0;
    const tick = () => { window.raf++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const dbg = plot.gl.getExtension('WEBGL_debug_renderer_info');
    return dbg ? String(plot.gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL)) : String(plot.gl.getParameter(plot.gl.RENDERER));
  })()`)) as string;
  await page.waitForTimeout(500);
  const read = () => page.evaluate('({ raf: window.raf, frames: window.plot.frames, points: window.plot.x.length, t: performance.now() })') as Promise<{ raf: number; frames: number; points: number; t: number }>;
  const start = await read();
  const t0 = Date.now();
  let step = 0;
  await page.mouse.move(500, 350);
  while (Date.now() - t0 < seconds * 1000) {
    // Alternate a drag (pan) to the right and back, and wheel zooms in and out.
    if (step % 40 < 30) {
      await page.mouse.down();
      for (let k = 0; k < 10; k++) await page.mouse.move(500 + 12 * Math.sin((step + k) / 5), 350 + 8 * Math.cos((step + k) / 7));
      await page.mouse.up();
    } else {
      await page.mouse.wheel(0, step % 2 === 0 ? -120 : 120);
    }
    step++;
  }
  const end = await read();
  const secs = (end.t - start.t) / 1000;
  const result = { n, points: end.points, seconds: +secs.toFixed(2), rafPerSecond: +((end.raf - start.raf) / secs).toFixed(1), drawsPerSecond: +((end.frames - start.frames) / secs).toFixed(1), renderer };
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
