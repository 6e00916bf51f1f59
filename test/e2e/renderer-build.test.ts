// The built renderer must run under the strict CSP and offline: no inline scripts or inline
// event handlers, no eval or Function constructor, nothing fetched from another host (fonts,
// CDNs), and relative asset paths so it loads from any origin or from a file/custom protocol.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureRendererBuilt, ROOT } from './harness.ts';

const DIST = join(ROOT, 'dist', 'renderer');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]));
}

test('index.html loads only external module scripts by relative path and has no inline handlers', () => {
  ensureRendererBuilt();
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 1, 'an entry script');
  for (const [, attrs, body] of scripts) {
    assert.equal(body.trim(), '', `inline script body: ${body.slice(0, 80)}`);
    assert.match(attrs, /src="\.\/assets\/[^"]+\.js"/, `script src must be relative: ${attrs}`);
  }
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'inline event handler attribute');
  assert.doesNotMatch(html, /(href|src)="(\/|https?:)/, 'absolute asset URL');
});

test('no bundle uses eval or the Function constructor, and nothing is fetched from another host', () => {
  ensureRendererBuilt();
  const assets = files(DIST).filter((f) => /\.(js|css|html)$/.test(f));
  assert.ok(assets.some((f) => f.endsWith('.js')) && assets.some((f) => f.endsWith('.css')));
  for (const f of assets) {
    const text = readFileSync(f, 'utf8');
    assert.doesNotMatch(text, /\beval\s*\(|new\s+Function\s*\(/, `${f} uses eval`);
    // Every absolute URL in the bundle is listed: an allow-list of two kinds that are never
    // fetched (XML namespace identifiers, and the documentation links inside Svelte's error
    // messages); any other host, whatever its name, fails. (A deny-list of CDN names let any
    // unlisted host through.)
    const urls = [...text.matchAll(/\b(?:https?|wss?):\/\/[^\s"'`)<>]+/g)].map((m) => m[0]);
    const external = urls.filter((u) => !/^http:\/\/www\.w3\.org\/\d{4}\/[\w/]+$/.test(u) && !/^https:\/\/svelte\.dev\/e\/\w+$/.test(u));
    assert.deepEqual(external, [], `${f} references another host`);
    // The Svelte links only ever appear inside error-message strings, never as a fetch or import.
    assert.doesNotMatch(text, /\b(?:fetch|import|importScripts|WebSocket|EventSource)\s*\(\s*["'`](?:https?|wss?):/, `${f} fetches an absolute URL`);
    if (f.endsWith('.css')) assert.doesNotMatch(text, /@import\s+url\(\s*["']?https?:|url\(\s*["']?https?:/, `${f} loads a remote resource`);
  }
});
