// e2e, Model and Training panels: cell and size knobs with the parameter count, and Train / Pause / Step / Resume /
// Stop driving a run while the status bar reports the device, speed, epoch and ETA.
import { expect, test } from '@playwright/test';
import { movement, openApp, panel, panelShot, readStatus, recordSteps, setKnob, smallModel, trainingPace, watchStill } from './helpers';

test('model panel: cell, layers and hidden size change the one-line parameter count', async ({ page }, testInfo) => {
  await openApp(page);
  const cell = page.getByTestId('cell-select');
  await expect(cell.locator('option')).toHaveText(['LSTM', 'GRU', 'RNN (tanh)']);
  expect(await cell.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['lstm', 'gru', 'rnn']);
  const size = page.getByTestId('model-size');
  await setKnob(page, 'Hidden size', '8');
  // LSTM, 1 input, 8 units: 4·8·(1 + 8 + 2) weights and biases + a head of 8 + 1.
  await expect(size).toHaveAttribute('data-params', String(4 * 8 * 11 + 9));
  await cell.selectOption('gru');
  await expect(size).toHaveAttribute('data-params', String(3 * 8 * 11 + 9));
  await cell.selectOption('rnn');
  await expect(size).toHaveAttribute('data-params', String(8 * 11 + 9));
  await page.getByLabel('Bidirectional').check();
  await expect(size).toHaveAttribute('data-params', String(2 * 8 * 11 + 17));
  await expect(size).toContainText('of GPU memory');
  await page.getByLabel('Hidden size', { exact: true }).fill('');
  await expect(size).toContainText('Fix the settings');
  await setKnob(page, 'Hidden size', '8');
  await panelShot(panel(page, 'Model'), testInfo, 'model-panel');
});

test('training panel: train, pause, step one batch, resume and stop; the status bar follows', async ({ page }, testInfo) => {
  await openApp(page);
  await smallModel(page, { window: '12', epochs: '200' });
  await page.getByLabel('Optimizer').selectOption('adamw');
  await page.getByLabel('LR schedule').selectOption('step');
  await setKnob(page, 'Step every', '5');
  await setKnob(page, 'Early stopping patience', '0');
  const status = page.getByTestId('training-status');
  const bar = page.getByTestId('status-bar');
  await expect(page.getByTestId('status-device')).toContainText(/SwiftShader|GPU/);
  await recordSteps(page);

  await page.getByTestId('train-button').click();
  await expect(status).toHaveAttribute('data-state', 'training');
  await expect(page.getByLabel('Optimizer')).toBeDisabled();
  await expect.poll(async () => (await readStatus(page)).step, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  await expect(bar).toContainText(/Samples\/s\s*\d/);
  await expect(bar).toContainText(/ms\/step\s*\d/);
  await expect(bar).toContainText(/ETA\s*\d/);

  await page.getByTestId('pause-button').click();
  await expect(status).toHaveAttribute('data-state', 'paused');
  const pace = await trainingPace(page);
  const paused = (await readStatus(page)).step;
  // Step trains exactly one batch: the watch that begins with the click sees that one step and no other (the negative
  // control of the next watch, which must see none), then the run holds at it for three steps' time.
  const stepped = await watchStill(page, pace, () => page.getByTestId('step-button').click());
  expect(stepped.moves.map(([, s]) => s)).toEqual([paused + 1]);
  expect(stepped.workerStep).toBe(paused + 1);
  expect(movement(stepped)).not.toBe('');
  await expect(status).toHaveAttribute('data-step', String(paused + 1));
  const held = await watchStill(page, pace);
  expect(movement(held)).toBe('');
  expect(held.step).toBe(paused + 1);
  await expect(status).toHaveAttribute('data-state', 'paused');
  await panelShot(panel(page, 'Training'), testInfo, 'training-panel-paused');

  await page.getByTestId('resume-button').click();
  await expect(status).toHaveAttribute('data-state', 'training');
  await expect.poll(async () => (await readStatus(page)).step, { timeout: 60_000 }).toBeGreaterThan(paused + 3);
  await page.getByTestId('stop-button').click();
  await expect(status).toHaveAttribute('data-state', /done|idle/);
  await expect(bar).toContainText(/Epoch\s*\d+ \/ 200/);
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await panelShot(bar, testInfo, 'status-bar');
});
