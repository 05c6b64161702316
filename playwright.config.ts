// Playwright e2e settings: the built app under `vite preview`, headless Chromium with WebGPU (SwiftShader when no GPU).
import { execFileSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';

/** A port no one listens on now, asked of the OS (port 0) by a one-line Node child, since the config loads synchronously. */
function freePort(): number {
  const script = "const s = require('node:net').createServer(); s.listen(0, 'localhost', () => { process.stdout.write(String(s.address().port)); s.close(); });";
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

// Every run serves the app it just built on a port of its own: a preview left running from an earlier build (or
// another checkout) is never reused, so no run tests old code. E2E_PORT picks the port instead; a port already in use
// then fails the run ("is already used") rather than testing whatever answers there. The chosen port goes into the
// environment so the worker processes, which load this file again, agree with the runner.
const PORT = Number(process.env.E2E_PORT || (process.env.E2E_PORT = String(freePort())));

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    // The page picks the CPU engine over a software WebGPU adapter (SwiftShader here); these tests drive WebGPU, as
    // a person on a GPU would, through the engine choice saved in the browser. e2e/software_adapter.spec.ts clears it.
    storageState: { cookies: [], origins: [{ origin: `http://localhost:${PORT}`, localStorage: [{ name: 'lstm-playground-engine', value: 'webgpu' }] }] },
    screenshot: 'on',
    trace: 'retain-on-failure',
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--enable-unsafe-webgpu',
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // A headless page is never focused: keep its timers and animation frames at full speed, since Playwright's
        // actionability checks (visible, enabled, stable) wait on animation frames.
        '--disable-background-timer-throttling',
        '--disable-renderer-backgrounding',
        '--disable-backgrounding-occluded-windows',
      ],
    },
  },
  webServer: {
    // `npm run test:e2e` builds first; this serves that dist/ (localhost is a secure context for WebGPU). --strictPort:
    // vite must not move to another port than the one the tests open. E2E_DIST serves another build folder (`vite build
    // --outDir DIR`), so two checkouts' or helpers' builds never overwrite each other's dist/.
    command: `npx vite preview --port ${PORT} --strictPort${process.env.E2E_DIST ? ` --outDir ${JSON.stringify(process.env.E2E_DIST)}` : ''}`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
