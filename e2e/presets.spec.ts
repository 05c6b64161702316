// e2e: a preset applies its whole setup in one click and trains it (the 128-unit presets keep their real sizes, so
// the test watches one epoch, or just the start, and stops); "RNN vs LSTM vs GRU" trains all three and compares them.
import { expect, test } from '@playwright/test';
import { BUILTIN_DATASET_NAME } from '../src/data/builtin_datasets';
import { openApp, readStatus } from './helpers';

const knob = (page: import('@playwright/test').Page, label: string) => page.getByLabel(label, { exact: true });

test('the LSTM(128) regressor preset sets everything in one click and trains its first epoch', async ({ page }) => {
  await openApp(page);
  // Settings from before must not leak into the preset.
  await knob(page, 'Dropout').fill('0.3');
  await knob(page, 'Seed').fill('9');
  await page.getByTestId('example-shapes').click();
  await expect(page.getByTestId('dataset-summary')).toContainText('Synthetic shapes');

  await page.getByTestId('preset-lstm128-regressor').click();
  const status = page.getByTestId('training-status');
  await expect(status).toHaveAttribute('data-state', 'training', { timeout: 60_000 });
  await expect(page.getByTestId('dataset-summary')).toContainText(BUILTIN_DATASET_NAME);
  await expect(page.getByTestId('task-select')).toHaveValue('forecast');
  await expect(page.getByTestId('cell-select')).toHaveValue('lstm');
  await expect(knob(page, 'Hidden size')).toHaveValue('128');
  await expect(knob(page, 'Layers')).toHaveValue('1');
  await expect(knob(page, 'Epochs')).toHaveValue('10');
  await expect(knob(page, 'Learning rate')).toHaveValue('0.001');
  await expect(knob(page, 'Dropout')).toHaveValue('0');
  await expect(knob(page, 'Seed')).toHaveValue('42');
  await expect(page.getByTestId('preset-status')).toContainText('LSTM(128) regressor: training');
  await expect(page.getByTestId('preset-lstm128-regressor')).toBeDisabled();
  // The link carries the preset's setup too (the same path as the knobs).
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('hiddenSize=128');

  await expect.poll(async () => (await readStatus(page)).epoch, { timeout: 240_000 }).toBeGreaterThanOrEqual(1);
  const s = await readStatus(page);
  expect(Number.isFinite(s.valLoss) && s.valLoss > 0).toBe(true);
  expect(s.state).toBe('training');
  await page.getByTestId('stop-button').click();
  await expect(status).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('preset-status')).toContainText('stopped');
  await page.screenshot({ path: '/tmp/shots/preset-regressor.png' });
});

test('the 2 × LSTM(128) softmax preset loads the 10-class MNIST digits and starts training', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset-stacked-lstm128-softmax').click();
  const status = page.getByTestId('training-status');
  await expect(status).toHaveAttribute('data-state', 'training', { timeout: 60_000 });
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST digits');
  await expect(page.getByTestId('example-digits')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('task-select')).toHaveValue('classify-sequences');
  // Ten classes, each digit 14 pixel rows of 14 pixels, split 70/20/10 by class.
  const classes = page.getByTestId('class-counts').locator('tbody tr');
  await expect(classes).toHaveCount(10);
  await expect(classes.locator('th')).toHaveText(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  await expect(page.getByTestId('split-counts')).toHaveText('1750 train · 500 validation · 250 test');
  await expect(page.getByTestId('set-summary')).toContainText('14 features × 14 steps');
  await expect(knob(page, 'Epochs')).toHaveValue('10');
  await expect(knob(page, 'Learning rate')).toHaveValue('0.001');
  await expect(knob(page, 'Hidden size')).toHaveValue('128');
  await expect(knob(page, 'Layers')).toHaveValue('2');
  await expect(knob(page, 'Batch size')).toHaveValue('32');
  await expect(page.getByTestId('model-size')).toContainText('parameters');
  await page.screenshot({ path: '/tmp/shots/preset-digits.png' });
  await page.getByTestId('stop-button').click();
  // Stopped before its first epoch ended, the run is back to idle (or done, if an epoch did end).
  await expect(status).toHaveAttribute('data-state', /^(idle|done)$/, { timeout: 120_000 });
  await expect(page.getByTestId('preset-status')).toContainText('stopped');
});

test('RNN vs LSTM vs GRU trains each cell on the same data, then compares the three runs', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await page.getByTestId('preset-rnn-lstm-gru').click();
  const presetStatus = page.getByTestId('preset-status');
  await expect(presetStatus).toContainText('training the RNN (1 of 3)', { timeout: 60_000 });
  await expect(knob(page, 'Window')).toHaveValue('32');
  await expect(presetStatus).toContainText('training the LSTM (2 of 3)', { timeout: 180_000 });
  await expect(presetStatus).toContainText('training the GRU (3 of 3)', { timeout: 180_000 });
  await expect(presetStatus).toContainText('done', { timeout: 180_000 });

  const panel = page.getByTestId('compare-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toHaveAttribute('data-runs', '3', { timeout: 30_000 });
  await expect(page.getByTestId('compare-loss-chart').locator('path.recharts-line-curve')).toHaveCount(6);
  const settings = page.getByTestId('compare-settings');
  await expect(settings).toHaveAttribute('data-differing', '1');
  const cells = await settings.locator('tr[data-key="cell"] td').allTextContents();
  expect([...cells].sort()).toEqual(['gru', 'lstm', 'rnn']);
  await expect(settings.locator('tr[data-key="window"] td')).toHaveText(['32', '32', '32']);
  const grad = page.getByTestId('compare-gradient');
  await expect(grad).toHaveAttribute('data-lines', '3', { timeout: 30_000 });
  await expect(grad).toHaveAttribute('data-window', '32');
  await expect(page.getByTestId('run-history').getByTestId('run-row')).toHaveCount(3);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/shots/preset-rnn-lstm-gru.png' });
  await panel.screenshot({ path: '/tmp/shots/preset-compare-panel.png' });
});
