// Builds the Node command line (src/cli/main.ts) into dist-cli/, inlining the WGSL shaders; packages stay external.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: 'cli.js', format: 'es' } },
  },
  ssr: { target: 'node' },
  publicDir: false,
  logLevel: 'warn',
});
