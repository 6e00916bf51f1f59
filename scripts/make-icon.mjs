// Draws the app icon (resources/icon.png, 1024 px: electron-builder derives the Windows .ico
// and macOS .icns from it) from an SVG written here, so the icon has a source that can be
// edited and re-rendered: node scripts/make-icon.mjs
import sharp from 'sharp';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icon.png');

// A face outline with a relabel arrow: the app re-labels facial-expression images.
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
  <rect x="64" y="64" width="896" height="896" rx="200" fill="#2f5d9e"/>
  <circle cx="512" cy="500" r="300" fill="none" stroke="#ffffff" stroke-width="56"/>
  <circle cx="405" cy="430" r="38" fill="#ffffff"/>
  <circle cx="619" cy="430" r="38" fill="#ffffff"/>
  <path d="M372 600 Q512 700 652 600" fill="none" stroke="#ffd166" stroke-width="52" stroke-linecap="round"/>
  <path d="M700 820 A330 330 0 0 0 860 560" fill="none" stroke="#ffd166" stroke-width="44" stroke-linecap="round"/>
  <path d="M860 500 L905 600 L800 590 Z" fill="#ffd166"/>
</svg>`;

mkdirSync(dirname(OUT), { recursive: true });
await sharp(Buffer.from(SVG)).png({ compressionLevel: 9 }).toFile(OUT);
process.stderr.write(`wrote ${OUT}\n`);
