// e2e: training survives a reload (resume offer, same curve), a lost GPU device (recovers from the checkpoint), and a
// huge learning rate (stops with the message; export gives the last good weights).
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { initialParameters } from '../src/engine/init';
import { paramLayout } from '../src/engine/param_layout';
import { KNOB_SPECS } from '../src/ui/knobs';
import { exportedTensors, epochLog, movement, openApp, pageNow, readStatus, recordEpochs, recordSteps, setKnob, stepLog, storedRuns, watchStill } from './helpers';

async function waitForDone(page: Page, timeout: number): Promise<void> {
  const status = page.getByTestId('training-status');
  await expect(async () => {
    const state = await status.getAttribute('data-state');
    if (state === 'error') throw new Error(`training failed: ${await page.getByTestId('error-banner').textContent().catch(() => '(no banner)')}`);
    expect(state).toBe('done');
  }).toPass({ timeout, intervals: [250] });
}

test('a reload mid-run offers to resume; resuming continues from the checkpoint with the curve intact', async ({ page }, testInfo) => {
  await openApp(page);
  await setKnob(page, 'Hidden size', '8');
  await setKnob(page, 'Window', '12');
  await setKnob(page, 'Epochs', '10');
  await recordEpochs(page);
  await page.getByTestId('train-button').click();
  await expect.poll(async () => (await readStatus(page)).epoch, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  const before = await epochLog(page);

  await page.reload();
  const offer = page.getByTestId('resume-offer');
  await expect(offer).toBeVisible();
  const button = offer.getByRole('button', { name: 'Resume run' });
  await expect(button).toBeVisible();
  const savedEpoch = Number(await offer.getAttribute('data-epoch'));
  expect(savedEpoch).toBeGreaterThanOrEqual(2);
  // The run as saved at the reload: its curve reaches the checkpoint's epoch. Training may have finished another epoch
  // (and saved it) between reading the page's log and the reload, so the log covers at least epochs 1…2, maybe not all.
  const [saved] = await storedRuns(page);
  expect(saved.history.map((h) => h.epoch)).toEqual(Array.from({ length: savedEpoch + 1 }, (_, e) => e));
  const seen = Object.keys(before).map(Number).filter((e) => e <= savedEpoch);
  expect(seen).toEqual(expect.arrayContaining([1, 2]));
  for (const e of seen) expect(saved.history[e].valLoss, `saved epoch ${e}`).toBe(before[String(e)]);
  // The offer draws the saved curve: epochs 0 … savedEpoch.
  await expect(offer.getByTestId('resume-offer-chart')).toHaveAttribute('data-points', String(savedEpoch + 1));
  await expect(page.getByTestId('training-status')).toHaveAttribute('data-state', 'idle');
  await page.screenshot({ path: testInfo.outputPath('resume-offer.png'), fullPage: true });

  await button.click();
  await expect(offer).toHaveCount(0);
  await expect(page.getByTestId('training-status')).toHaveAttribute('data-state', /training|done/);
  // It continues from the checkpoint: never back to epoch 0, the curve drawn from the saved epochs on.
  const resumed = await readStatus(page);
  expect(resumed.epoch).toBeGreaterThanOrEqual(savedEpoch);
  expect(Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBeGreaterThanOrEqual(savedEpoch + 1);
  await expect(page.getByLabel('Hidden size', { exact: true })).toHaveValue('8');

  await waitForDone(page, 180_000);
  expect((await readStatus(page)).epoch).toBe(10);
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', '11');
  const [run] = await storedRuns(page);
  expect(run.status).toBe('done');
  expect(run.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // Every epoch saved before the reload is in the final curve with exactly the same validation loss.
  for (let e = 1; e <= savedEpoch; e++) expect(run.history[e].valLoss, `epoch ${e}`).toBe(saved.history[e].valLoss);
  await page.reload();
  await expect(page.getByTestId('run-history').getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('resume-offer')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('resumed-done.png'), fullPage: true });
});

test('a lost GPU device mid-training is replaced and the run continues from its checkpoint', async ({ page }, testInfo) => {
  await openApp(page);
  await setKnob(page, 'Hidden size', '8');
  await setKnob(page, 'Window', '12');
  // epochs to spare after the loss at epoch 1, so it lands mid-run however fast this machine trains
  await setKnob(page, 'Epochs', '12');
  await page.getByTestId('train-button').click();
  await expect.poll(async () => (await readStatus(page)).epoch, { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  const lostAt = await readStatus(page);
  await page.evaluate(() => (window as unknown as { __lstmPlaygroundTest: { loseDevice(): void } }).__lstmPlaygroundTest.loseDevice());

  await expect(page.getByTestId('training-notice')).toContainText(/GPU device was lost .*Recovering on a new device \(attempt 1 of 3\) from epoch \d+/);
  await expect(page.getByTestId('session-info')).toHaveAttribute('data-recoveries', '1');
  await waitForDone(page, 180_000);
  const end = await readStatus(page);
  expect(end.epoch).toBe(12);
  expect(end.step).toBeGreaterThan(lostAt.step);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', '13');
  await page.screenshot({ path: testInfo.outputPath('recovered.png'), fullPage: true });
});

test('Step trains one batch at a time, Resume continues, and a hidden tab keeps training while the chart waits', async ({ page }) => {
  await openApp(page);
  await setKnob(page, 'Hidden size', '8');
  await setKnob(page, 'Window', '12');
  await setKnob(page, 'Epochs', '3');
  const status = page.getByTestId('training-status');
  const chart = page.getByTestId('loss-chart');
  await recordSteps(page);
  const clicked = await pageNow(page);
  await page.getByTestId('step-button').click();
  await expect(status).toHaveAttribute('data-state', 'paused');
  await expect(status).toHaveAttribute('data-step', '1');
  // The second Step shows up as one step in a watch that begins with the click (the negative control: the watch sees
  // a step), watched for three times the first Step's time (which includes setting the run up).
  const firstPace = (await stepLog(page)).find(([, s]) => s === 1)![0] - clicked;
  const stepped = await watchStill(page, firstPace, () => page.getByTestId('step-button').click());
  expect(stepped.moves.map(([, s]) => s)).toEqual([2]);
  expect(movement(stepped)).not.toBe('');
  await expect(status).toHaveAttribute('data-step', '2');
  // Then the run holds at step 2 for three times what that one step took to show, and the worker answers at step 2.
  const held = await watchStill(page, stepped.moves[0][0] - stepped.startedAt);
  expect(movement(held)).toBe('');
  expect(held.step).toBe(2);
  await expect(page.getByTestId('resume-button')).toBeVisible();
  await expect(chart).toHaveAttribute('data-points', '1');

  // The tab goes to the background: training goes on, the chart stops redrawing until it is visible again.
  const setHidden = (hidden: boolean) =>
    page.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  await setHidden(true);
  await page.getByTestId('resume-button').click();
  await expect(page.getByTestId('resume-button')).toHaveCount(0);
  await waitForDone(page, 120_000);
  expect((await readStatus(page)).epoch).toBe(3);
  await expect(chart).toHaveAttribute('data-points', '1');
  await setHidden(false);
  await expect(chart).toHaveAttribute('data-points', '4');
});

const LR_CAP = KNOB_SPECS.find((k) => k.key === 'learningRate')!.max;

test('a huge learning rate ends in the divergence message, and export gives the last good (untrained) weights', async ({ page }, testInfo) => {
  // a person must be able to type the diverging learning rate this test uses
  expect(LR_CAP, 'learning-rate input max (src/ui/knobs.ts)').toBeGreaterThanOrEqual(1e4);
  await openApp(page);
  await setKnob(page, 'Hidden size', '8');
  await setKnob(page, 'Epochs', '3');
  await setKnob(page, 'Learning rate', '10000');
  await page.getByTestId('train-button').click();
  const status = page.getByTestId('training-status');
  await expect(status).toHaveAttribute('data-state', 'error', { timeout: 120_000 });
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText(/diverged|non-finite/);
  await expect(banner).toContainText(/rolled back to the last good checkpoint/);
  await expect(banner).toContainText(/lower the learning rate/);

  const tensors = await exportedTensors(page, testInfo);
  // Diverged in the first epoch: the last good checkpoint is the seeded initialization, bit for bit, with the head at
  // zero (the built-in series trains with the difference transform: the untrained model is the persistence forecast).
  const config = { ...DEFAULT_CONFIG, hiddenSize: 8 };
  const layout = paramLayout(config);
  const initial = initialParameters(layout, config.hiddenSize, config.seed);
  for (const slot of layout.slots) {
    const t = tensors.find((x) => x.name === slot.name || x.name.endsWith(`.${slot.name}`));
    expect(t, slot.name).toBeDefined();
    const expected = slot.name.startsWith('head.') ? new Array<number>(slot.size).fill(0) : Array.from(initial.subarray(slot.offset, slot.offset + slot.size));
    expect(Array.from(t!.data), slot.name).toEqual(expected);
  }
});
