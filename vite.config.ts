// Builds the Svelte renderer into dist/renderer/ with relative asset paths (base './'), so the
// same output loads from the browser-mode server and from Electron's file/custom protocol.
// No inline scripts are emitted (the CSP forbids them): the module-preload polyfill is off and
// every asset is a file, never a data: URL.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [svelte({ compilerOptions: { runes: true } })],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    // The plugin-timing report is advice, not a problem; the build must print no warnings.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
