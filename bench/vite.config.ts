// Vite settings for the bench page (root bench/): built into a temporary folder and served on localhost by src/bench/runner.ts.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Cross-origin isolation, so the page gets SharedArrayBuffer: TF.js's wasm backend then loads its threaded SIMD binary
 * and jax-js's wasm device runs on worker threads. Everything the page loads is from its own origin, so nothing breaks.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  // TF.js with its backends is one ~3 MB chunk (jax-js another); that is expected here. The wasm binaries stay files.
  // Not minified: TF.js's threaded wasm starts its workers from the source text of its (emscripten) module factory, and
  // minifying renames the variables that text reads from its closure ("e is not defined" in every worker, and a hang).
  build: { target: 'es2022', chunkSizeWarningLimit: 8192, reportCompressedSize: false, assetsInlineLimit: 0, minify: false },
  preview: { host: 'localhost', headers: ISOLATION_HEADERS },
  server: { host: 'localhost', headers: ISOLATION_HEADERS },
});
