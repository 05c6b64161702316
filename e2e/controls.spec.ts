// e2e: Pause holds training between steps, Resume continues, Stop ends the run; a bad CSV afterwards keeps the model.
import { expect, test, type Download } from '@playwright/test';
import { movement, openApp, readStatus, recordSteps, setKnob, trainingPace, watchStill } from './helpers';

test('pause, resume and stop take effect between steps, and a bad CSV leaves the trained model', async ({ page }, testInfo) => {
  await openApp(page);
  await setKnob(page, 'Hidden size', '16');
  await setKnob(page, 'Epochs', '500');
  const status = page.getByTestId('training-status');
  const pauseButton = page.getByTestId('pause-button');
  await recordSteps(page);

  await page.getByTestId('train-button').click();
  await expect(status).toHaveAttribute('data-state', 'training');
  await expect(page.getByLabel('Epochs', { exact: true })).toBeDisabled();
  await expect.poll(async () => (await readStatus(page)).step, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);

  await pauseButton.click();
  await expect(status).toHaveAttribute('data-state', 'paused');
  await expect(pauseButton).toHaveText('Resume');
  const pace = await trainingPace(page);
  const pausedAt = (await readStatus(page)).step;
  // Paused for three steps' time, then the worker answers at the same step: it holds, it has not hung.
  const paused = await watchStill(page, pace);
  expect(movement(paused)).toBe('');
  expect(paused.step).toBe(pausedAt);

  await pauseButton.click();
  await expect(status).toHaveAttribute('data-state', 'training');
  await expect(pauseButton).toHaveText('Pause');
  // Negative control: the same watch while training sees the steps go by.
  expect(movement(await watchStill(page, pace))).not.toBe('');
  await expect.poll(async () => (await readStatus(page)).epoch, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);

  await page.getByTestId('stop-button').click();
  await expect(status).toHaveAttribute('data-state', 'done');
  const stopped = await readStatus(page);
  expect(stopped.epoch).toBeGreaterThanOrEqual(2);
  expect(stopped.epoch).toBeLessThan(500);
  const afterStop = await watchStill(page, pace);
  expect(movement(afterStop)).toBe('');
  expect(afterStop.step).toBe(stopped.step);
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await expect(page.getByTestId('export-safetensors')).toBeEnabled();

  const bad = Buffer.from('time,value\n0,1\n1,2\n2,\n3,4\n', 'utf8');
  await page.getByTestId('dataset-file-input').setInputFiles({ name: 'gap.csv', mimeType: 'text/csv', buffer: bad });
  await expect(page.getByTestId('error-banner')).toContainText(/row 3\b/i);
  expect(await readStatus(page)).toEqual(stopped);
  await expect(page.getByTestId('loss-chart').locator('path.recharts-line-curve')).toHaveCount(2);

  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByTestId('export-safetensors').click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
  await page.screenshot({ path: testInfo.outputPath('stopped.png'), fullPage: true });
});
