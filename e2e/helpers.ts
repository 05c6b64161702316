// Shared e2e helpers: reading the training-status attributes and recording every epoch the page reports.
import { readFile } from 'node:fs/promises';
import { expect, type Download, type Locator, type Page, type TestInfo } from '@playwright/test';
import { decodeSafetensors } from '../src/export/safetensors';

export interface StatusAttrs {
  state: string;
  epoch: number;
  step: number;
  trainLoss: number;
  valLoss: number;
}

export async function readStatus(page: Page): Promise<StatusAttrs> {
  const el = page.getByTestId('training-status');
  const num = async (name: string) => {
    const v = await el.getAttribute(name);
    return v === null || v === '' ? NaN : Number(v);
  };
  return {
    state: (await el.getAttribute('data-state')) ?? '',
    epoch: await num('data-epoch'),
    step: await num('data-step'),
    trainLoss: await num('data-train-loss'),
    valLoss: await num('data-val-loss'),
  };
}

/**
 * Records (epoch, val loss) every time the status element changes, inside the page, so no epoch is missed
 * however fast they go. Read the record with epochLog().
 */
export async function recordEpochs(page: Page): Promise<void> {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="training-status"]');
    if (!el) throw new Error('training-status is not on the page');
    const log: Record<string, number> = {};
    (window as unknown as { __epochLog: Record<string, number> }).__epochLog = log;
    const note = () => {
      const epoch = el.getAttribute('data-epoch');
      const val = el.getAttribute('data-val-loss');
      if (epoch && epoch !== '0' && val && !(epoch in log)) log[epoch] = Number(val);
    };
    new MutationObserver(note).observe(el, { attributes: true });
    note();
  });
}

/** Validation loss reported at the end of each epoch, by epoch number. */
export async function epochLog(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => ({ ...(window as unknown as { __epochLog: Record<string, number> }).__epochLog }));
}

/** Opens the app and waits until the built-in dataset is summarised. */
export async function openApp(page: Page): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('dataset-summary')).toBeVisible();
  expect(errors).toEqual([]);
}

/** Sets a model knob through its labelled input. */
export async function setKnob(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(value);
  await expect(input).toHaveValue(value);
}

/** Clicks Train and waits for the run to end; fails fast on an error banner. */
export async function trainToEnd(page: Page, timeoutMs: number): Promise<void> {
  await page.getByTestId('train-button').click();
  const status = page.getByTestId('training-status');
  await expect(status).toHaveAttribute('data-state', /training|paused|done/);
  await expect(async () => {
    const state = await status.getAttribute('data-state');
    if (state === 'error') {
      const banner = await page.getByTestId('error-banner').textContent().catch(() => null);
      throw new Error(`training failed: ${banner ?? '(no banner)'}`);
    }
    expect(state).toBe('done');
  }).toPass({ timeout: timeoutMs, intervals: [250] });
}

/** Sets the small model the dashboard tests train on a software GPU: hidden units, window and epochs. */
export async function smallModel(page: Page, opts: { hidden?: string; window?: string; epochs?: string } = {}): Promise<void> {
  await setKnob(page, 'Hidden size', opts.hidden ?? '8');
  if (opts.window) await setKnob(page, 'Window', opts.window);
  await setKnob(page, 'Epochs', opts.epochs ?? '2');
}

/** Saves a screenshot of one panel as a test artifact (in the test's output folder, and attached to the report). */
export async function panelShot(locator: Locator, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await locator.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** The section (panel) whose heading is `heading`. */
export function panel(page: Page, heading: string | RegExp): Locator {
  return page.locator('section.panel').filter({ has: page.getByRole('heading', { name: heading, level: 2, exact: typeof heading === 'string' }) });
}

/** A CSV file for setInputFiles. */
export function csvFile(name: string, lines: string[]): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`, 'utf8') };
}

/**
 * Records, in the page, the time (performance.now()) and value of every change of the status's data-step, so that no
 * step is missed however briefly it shows, and a test can measure the run's pace. Install it before training starts.
 */
export async function recordSteps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="training-status"]');
    if (!el) throw new Error('training-status is not on the page');
    const log: [number, number][] = [];
    (window as unknown as { __stepLog: [number, number][] }).__stepLog = log;
    let last = el.getAttribute('data-step');
    new MutationObserver(() => {
      const now = el.getAttribute('data-step');
      if (now !== last && now !== null) log.push([performance.now(), Number(now)]);
      last = now;
    }).observe(el, { attributes: true, attributeFilter: ['data-step'] });
  });
}

/** [time (ms, page clock), step] of every change recorded by recordSteps. */
export async function stepLog(page: Page): Promise<[number, number][]> {
  return page.evaluate(() => [...(window as unknown as { __stepLog: [number, number][] }).__stepLog]);
}

/** The page's clock (performance.now()). */
export function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

/**
 * The run's pace while it trained: the longest wait between two step changes in the record, in ms (a running run
 * shows a new step at least this often). Needs at least two waits in the record.
 */
export async function trainingPace(page: Page): Promise<number> {
  const log = await stepLog(page);
  expect(log.length, `step changes recorded: ${JSON.stringify(log)}`).toBeGreaterThanOrEqual(3);
  return Math.max(...log.slice(1).map(([t], i) => t - log[i][0]));
}

/** How often a training session publishes its step (snapshotIntervalMs in src/training/session_options.ts). */
const SNAPSHOT_INTERVAL_MS = 100;

export interface StillWatch {
  /** The step the page showed when the watch began. */
  step: number;
  /** Step changes the page showed during the watch ([time, step]); none for a run that held still. */
  moves: [number, number][];
  /** The step the worker's session reported, in its answer to a request sent at the end of the watch. */
  workerStep: number;
  /** When the watch began (page clock, as the moves' times) and how long it lasted (ms). */
  startedAt: number;
  watchedMs: number;
  paceMs: number;
}

/**
 * Gives a run that should hold still (paused, or stopped) every chance to move, and reports what moved. The watch
 * lasts, on the page's clock, three times `pace` (the longest a running run took to show a new step, see
 * trainingPace; at least the snapshot interval), so a run still going would have stepped about three times; then it asks the worker for a fresh gate
 * probe of another validation sequence and waits for the answer, which carries the step the worker's session is at:
 * the worker was alive and answering at the end of the window, and this is its own count, not the page's. `during`
 * runs at the start of the watch (a negative control: clicking Step there must show up as a move). Needs
 * recordSteps installed, and a dataset with two or more validation sequences.
 */
export async function watchStill(page: Page, pace: number, during?: () => Promise<void>): Promise<StillWatch> {
  // a running run shows its steps at most every snapshot interval, however fast one step is
  const paceMs = Math.max(pace, SNAPSHOT_INTERVAL_MS);
  const step = (await readStatus(page)).step;
  const t0 = await pageNow(page);
  await during?.();
  await expect.poll(async () => (await pageNow(page)) - t0, { timeout: 30_000 + 3 * paceMs }).toBeGreaterThanOrEqual(3 * paceMs);
  const sampleInput = page.getByTestId('probe-sample');
  const sample = (await sampleInput.inputValue()) === '1' ? 0 : 1;
  await sampleInput.fill(String(sample));
  const heatmap = page.getByTestId('gate-heatmap');
  await expect(heatmap.locator('.probe-meta')).toContainText(new RegExp(`^Sequence ${sample} ·`), { timeout: 60_000 });
  const workerStep = Number(await heatmap.getAttribute('data-step'));
  const t1 = await pageNow(page);
  const moves = (await stepLog(page)).filter(([t]) => t >= t0);
  console.log(`[watch] from step ${step}: page showed [${moves.map(([, s]) => s).join(', ')}], worker at ${workerStep}; watched ${Math.round(t1 - t0)} ms at a pace of ${Math.round(paceMs)} ms`);
  return { step, moves, workerStep, startedAt: t0, watchedMs: t1 - t0, paceMs };
}

/** What moved during a watch, in words; '' when nothing did (the page's step and the worker's both stayed put). */
export function movement(w: StillWatch): string {
  const seen: string[] = [];
  if (w.moves.length > 0) seen.push(`the page showed steps ${w.moves.map(([, s]) => s).join(', ')} after step ${w.step}`);
  if (w.workerStep !== w.step) seen.push(`the worker's session is at step ${w.workerStep}, the page was at ${w.step}`);
  if (seen.length === 0) return '';
  return `${seen.join('; ')} (watched ${Math.round(w.watchedMs)} ms, pace ${Math.round(w.paceMs)} ms)`;
}

/** The stored history of every run, read straight from the page's IndexedDB. */
export async function storedRuns(page: Page): Promise<{ id: string; status: string; epoch: number; history: { epoch: number; valLoss: number }[] }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('lstm-playground');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction(['runs'], 'readonly').objectStore('runs').getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

/** Clicks the safetensors export (model.json comes with it) and decodes the downloaded model.safetensors. */
export async function exportedTensors(page: Page, testInfo: TestInfo) {
  const downloads: Download[] = [];
  const on = (d: Download) => downloads.push(d);
  page.on('download', on);
  await page.getByTestId('export-safetensors').click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
  page.off('download', on);
  const path = testInfo.outputPath('model.safetensors');
  await downloads.find((d) => d.suggestedFilename() === 'model.safetensors')!.saveAs(path);
  return decodeSafetensors(new Uint8Array(await readFile(path))).tensors;
}
