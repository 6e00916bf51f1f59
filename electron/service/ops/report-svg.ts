/**
 * Inline SVG figures for the HTML report: a confusion-matrix heatmap (row-normalised colour,
 * counts printed), grouped per-class bars (before / after) and a face's vote bars. Pure string
 * builders, every text escaped; no scripts, no external references.
 */
import { CLASS_NAMES, NUM_CLASSES } from '../../../api/domain.ts';

export function esc(s: unknown): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const SHORT = CLASS_NAMES.map((c) => c.slice(0, 4));

/** Heatmap of a K x K confusion matrix (rows true, columns predicted). */
export function confusionHeatmap(m: number[][], title: string): string {
  const cell = 34;
  const left = 70;
  const top = 58;
  const w = left + cell * NUM_CLASSES + 10;
  const h = top + cell * NUM_CLASSES + 10;
  const parts = [`<svg class="fig" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}">`];
  parts.push(`<text x="${left}" y="14" class="t">${esc(title)}</text><text x="${left}" y="${top - 30}" class="s">predicted &#8594;</text>`);
  for (let c = 0; c < NUM_CLASSES; c++) parts.push(`<text x="${left + c * cell + cell / 2}" y="${top - 6}" class="s" text-anchor="middle">${SHORT[c]}</text>`);
  for (let r = 0; r < NUM_CLASSES; r++) {
    const row = m[r] ?? [];
    const total = row.reduce((a, b) => a + b, 0);
    parts.push(`<text x="${left - 6}" y="${top + r * cell + cell / 2 + 4}" class="s" text-anchor="end">${CLASS_NAMES[r]}</text>`);
    for (let c = 0; c < NUM_CLASSES; c++) {
      const v = row[c] ?? 0;
      const f = total > 0 ? v / total : 0;
      const hue = r === c ? 140 : 0;
      const light = Math.round(97 - f * 55);
      parts.push(`<rect x="${left + c * cell}" y="${top + r * cell}" width="${cell - 1}" height="${cell - 1}" fill="hsl(${hue},55%,${light}%)"><title>${CLASS_NAMES[r]} &#8594; ${CLASS_NAMES[c]}: ${v}</title></rect>`);
      if (v > 0) parts.push(`<text x="${left + c * cell + cell / 2}" y="${top + r * cell + cell / 2 + 4}" class="n" text-anchor="middle">${v}</text>`);
    }
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Grouped bars per class for several series (values in 0..1). */
export function classBars(title: string, series: { name: string; color: string; values: number[] }[]): string {
  const group = 16 * series.length + 14;
  const left = 36;
  const top = 24;
  const height = 140;
  const w = left + group * NUM_CLASSES + 10;
  const h = top + height + 40;
  const parts = [`<svg class="fig" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}">`];
  parts.push(`<text x="${left}" y="14" class="t">${esc(title)}</text>`);
  for (const t of [0, 0.5, 1]) parts.push(`<line x1="${left}" x2="${w - 10}" y1="${top + height * (1 - t)}" y2="${top + height * (1 - t)}" class="g"/><text x="${left - 4}" y="${top + height * (1 - t) + 4}" class="s" text-anchor="end">${t}</text>`);
  for (let c = 0; c < NUM_CLASSES; c++) {
    series.forEach((s, k) => {
      const v = Math.max(0, Math.min(1, s.values[c] ?? 0));
      const x = left + c * group + 7 + k * 16;
      parts.push(`<rect x="${x}" y="${top + height * (1 - v)}" width="14" height="${height * v}" fill="${s.color}"><title>${CLASS_NAMES[c]} ${esc(s.name)}: ${v.toFixed(3)}</title></rect>`);
    });
    parts.push(`<text x="${left + c * group + group / 2}" y="${top + height + 14}" class="s" text-anchor="middle">${SHORT[c]}</text>`);
  }
  series.forEach((s, k) => parts.push(`<rect x="${left + k * 110}" y="${top + height + 24}" width="10" height="10" fill="${s.color}"/><text x="${left + k * 110 + 14}" y="${top + height + 33}" class="s">${esc(s.name)}</text>`));
  parts.push('</svg>');
  return parts.join('');
}

/** Small horizontal vote bars for one face: counts per class (and unknown / not a face). */
export function voteBars(counts: number[], labels: readonly string[], highlight: number | null): string {
  const max = Math.max(1, ...counts);
  const rowH = 11;
  const w = 150;
  const h = rowH * labels.length + 2;
  const parts = [`<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`];
  labels.forEach((name, i) => {
    const v = counts[i] ?? 0;
    parts.push(`<text x="52" y="${i * rowH + 9}" class="v" text-anchor="end">${esc(name.slice(0, 8))}</text>`);
    parts.push(`<rect x="55" y="${i * rowH + 1}" width="${(80 * v) / max}" height="${rowH - 2}" fill="${i === highlight ? '#c0392b' : '#5b7db1'}"/>`);
    if (v > 0) parts.push(`<text x="${58 + (80 * v) / max}" y="${i * rowH + 9}" class="v">${v}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

const LINE_COLORS = ['#c0392b', '#2471a3', '#1e8449', '#7d3c98', '#b9770e', '#566573'];

/** Accuracy against faces reviewed, one polyline per series; the y axis spans the data (+-1 point). */
export function lineChart(title: string, xLabel: string, series: { name: string; points: { x: number; y: number }[] }[]): string {
  const left = 48;
  const top = 24;
  const width = 420;
  const height = 180;
  const w = left + width + 140;
  const h = top + height + 36;
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y));
  const xMax = Math.max(1, ...all.map((p) => p.x));
  const yMin = Math.max(0, Math.min(...all.map((p) => p.y)) - 0.01);
  const yMax = Math.min(1, Math.max(...all.map((p) => p.y)) + 0.01);
  const X = (x: number) => left + (width * x) / xMax;
  const Y = (y: number) => top + height * (1 - (y - yMin) / Math.max(1e-9, yMax - yMin));
  const parts = [`<svg class="fig" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}">`];
  parts.push(`<text x="${left}" y="14" class="t">${esc(title)}</text>`);
  for (const t of [0, 0.5, 1]) {
    const y = yMin + t * (yMax - yMin);
    parts.push(`<line x1="${left}" x2="${left + width}" y1="${Y(y)}" y2="${Y(y)}" class="g"/><text x="${left - 4}" y="${Y(y) + 4}" class="s" text-anchor="end">${(100 * y).toFixed(1)}%</text>`);
  }
  parts.push(`<text x="${left + width / 2}" y="${top + height + 28}" class="s" text-anchor="middle">${esc(xLabel)} (0 … ${xMax})</text>`);
  series.forEach((s, k) => {
    const color = LINE_COLORS[k % LINE_COLORS.length];
    const pts = s.points.filter((p) => Number.isFinite(p.y));
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) parts.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="3" fill="${color}"><title>${esc(s.name)}: ${p.x} reviewed, ${(100 * p.y).toFixed(2)}%</title></circle>`);
    parts.push(`<rect x="${left + width + 12}" y="${top + k * 16}" width="10" height="10" fill="${color}"/><text x="${left + width + 26}" y="${top + k * 16 + 9}" class="s">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
