// Shared e2e helpers: reading the training-status attributes and recording every epoch the page reports.
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

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
