// Vite settings for the bench page (root bench/): built into a temporary folder and served on localhost by bench/runner.ts.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  // TF.js with its webgpu, webgl and cpu backends is one ~3 MB chunk; that is expected here.
  build: { target: 'es2022', chunkSizeWarningLimit: 8192, reportCompressedSize: false },
  preview: { host: 'localhost' },
  server: { host: 'localhost' },
});
