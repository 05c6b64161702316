// Node side of the bench: builds the bench page with Vite, serves it on a free localhost port, runs it in Chromium via
// Playwright, then times the out-of-browser peer (torch-cpu) on the same machine once the browser has closed.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser } from '@playwright/test';
import type { PreviewServer } from 'vite';
import type { BenchResult } from './bench_spec';
import { hostLoadNote } from './report';
import { checkPartialOptions, resolveOptions, type PartialBenchOptions } from './options';
import { packageFile } from './package_file';
import { benchTorch, torchScriptPath } from './torch_peer';

export interface RunBenchOptions extends PartialBenchOptions {
  /** Chromium binary; default $CHROMIUM_PATH or /usr/bin/chromium. */
  chromiumPath?: string;
  /** Progress lines (the page's log, build and browser events); default: stderr. */
  log?: (line: string) => void;
  /** Dawn toggles for Chromium's WebGPU (--enable-dawn-features): noted in the result. */
  dawnFeatures?: string[];
}

/** The bench page's folder (bench/ at the package root). */
function benchDir(): string {
  return dirname(packageFile(import.meta.url, 'bench/vite.config.ts'));
}

/** Chromium switches: WebGPU (SwiftShader when there is no GPU), WebGL on SwiftShader too, no background traffic. */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Keep timers and rAF at full speed in a headless, never-focused page.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** Builds the page, runs it in headless Chromium and returns every row; throws if the page cannot be run at all. */
export async function runBench(options: RunBenchOptions = {}): Promise<BenchResult> {
  const { chromiumPath, log = (l: string) => process.stderr.write(`${l}\n`), dawnFeatures = [], ...partial } = options;
  checkPartialOptions(partial);
  const BENCH_DIR = benchDir();
  // Loaded here, not at the top: every other CLI command starts without them (they are most of a start's 1 s).
  const [{ chromium }, { build, preview }] = await Promise.all([import('@playwright/test'), import('vite')]);
  const outDir = await mkdtemp(join(tmpdir(), 'lstm-bench-'));
  let server: PreviewServer | null = null;
  let browser: Browser | null = null;
  try {
    const t0 = performance.now();
    await build({ configFile: join(BENCH_DIR, 'vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'warn' });
    log(`[runner] built the bench page in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    server = await preview({
      configFile: join(BENCH_DIR, 'vite.config.ts'),
      build: { outDir },
      preview: { port: 0, strictPort: false, host: 'localhost', open: false },
      logLevel: 'warn',
    });
    const address = server.httpServer.address() as AddressInfo | null;
    if (!address || typeof address === 'string') throw new Error('the Vite preview server did not report a port');
    const url = `http://localhost:${address.port}/index.html`;

    const executablePath = chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    try {
      const toggles = dawnFeatures.length > 0 ? [`--enable-dawn-features=${dawnFeatures.join(',')}`] : [];
      browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...toggles] });
    } catch (e) {
      throw new Error(`Could not start Chromium at ${executablePath} (set CHROMIUM_PATH): ${e instanceof Error ? e.message : String(e)}`);
    }
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'log' || m.type() === 'info') log(m.text());
      else if (m.type() === 'warning' || m.type() === 'error') log(`[page ${m.type()}] ${m.text()}`);
    });
    page.on('pageerror', (e) => {
      pageErrors.push(e.message);
      log(`[page error] ${e.message}`);
    });
    page.on('crash', () => log('[runner] the page crashed'));
    await page.goto(url);
    await page.waitForFunction(() => typeof window.runBench === 'function', undefined, { timeout: 60_000 }).catch(() => {
      throw new Error(`the bench page did not load at ${url}${pageErrors.length > 0 ? `: ${pageErrors.join('; ')}` : ''}`);
    });
    const adapter = await page.evaluate(() => window.benchAdapter());
    const resolved = resolveOptions(partial, adapter);
    log(`[runner] ${browser.version()}, adapter ${adapter}`);
    // SwiftShader runs on the CPU, so anything else running on this machine slows every engine down: record it.
    const loads = [loadavg()[0]];
    const sampler = setInterval(() => loads.push(loadavg()[0]), 5000);
    try {
      const result = await page.evaluate((o) => window.runBench(o), resolved);
      if (resolved.engines.includes('torch-cpu')) {
        // Nothing of the browser's left running while PyTorch is timed.
        await browser.close().catch(() => undefined);
        browser = null;
        const torch = await benchTorch(torchScriptPath(), resolved, log);
        result.rows.push(...torch.rows);
        result.misses.push(...torch.misses);
        result.notes.push(...torch.notes);
        for (const row of torch.rows) log(`[torch] ${row.config} torch-cpu: ${row.msPerStep.toFixed(2)} ms/step, ${row.samplesPerSec.toFixed(1)} samples/s`);
      }
      loads.push(loadavg()[0]);
      result.notes.push(hostLoadNote(loads, availableParallelism()));
      if (dawnFeatures.length > 0)
        result.notes.push(`Chromium ran WebGPU with the Dawn toggles ${dawnFeatures.join(', ')} (--dawn-features): not what a person's browser runs`);
      return result;
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await rm(outDir, { recursive: true, force: true });
  }
}
