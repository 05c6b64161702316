// Vite build and dev-server settings: React, ES-module workers, fixed preview port for e2e tests.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // React, Recharts and PapaParse make one ~630 kB chunk; that is expected for this single page.
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1024 },
  preview: { port: 4173, strictPort: true, host: 'localhost' },
  server: { host: 'localhost' },
});
