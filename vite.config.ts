// Vite build and dev-server settings: React, ES-module workers, fixed preview port for e2e tests, and the built app's
// Content-Security-Policy (a <meta> in dist/index.html plus the same header from `vite preview`, which covers the worker).
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Nothing but this origin: no remote scripts, connections, eval or plugins. 'wasm-unsafe-eval' lets the CPU engine
 * compile its WebAssembly kernels (bytes bundled with the app; it allows no JS eval). Not applied to `vite dev` (it
 * injects inline scripts).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'lstm-playground-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: 'es' },
  // React, Recharts and PapaParse make one ~630 kB chunk; that is expected for this single page.
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1024 },
  preview: { port: 4173, strictPort: true, host: 'localhost', headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  server: { host: 'localhost' },
});
