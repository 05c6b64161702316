// e2e: without WebGPU in the worker, the page says so in the error banner and still shows the dataset.
import { expect, test, type Page } from '@playwright/test';
import { BUILTIN_DATASET_NAME } from '../src/data/builtin_datasets';
import { exportedTensors, storedRuns } from './helpers';

/** Serves the training worker with navigator.gpu removed, as in a browser that has no WebGPU. */
async function withoutWebGpu(page: Page): Promise<void> {
  await page.route(/\/assets\/training_worker-[^/]*\.js$/, async (route) => {
    const response = await route.fetch();
    const body = `delete WorkerNavigator.prototype.gpu;\n${await response.text()}`;
    await route.fulfill({ response, body });
  });
}

test('a browser without WebGPU gets a plain error and keeps the dataset', async ({ page }) => {
  await withoutWebGpu(page);
  await page.goto('/');
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText('WebGPU');
  await expect(page.getByTestId('training-status')).toHaveAttribute('data-state', 'error');
  await expect(page.getByTestId('dataset-summary')).toContainText(BUILTIN_DATASET_NAME);

  // Pressing Train tries again and reports the same problem instead of failing silently.
  await page.getByTestId('error-banner').getByRole('button', { name: 'Dismiss error' }).click();
  await expect(banner).toHaveCount(0);
  await page.getByTestId('train-button').click();
  await expect(banner).toContainText('WebGPU');
  await expect(page.getByTestId('export-safetensors')).toBeDisabled();
});

test('without WebGPU the CPU engine trains the model, and every panel still draws', async ({ page }, testInfo) => {
  await withoutWebGpu(page);
  await page.goto('/');
  const notice = page.getByTestId('engine-notice');
  await expect(notice).toContainText('no usable WebGPU');
  await notice.getByRole('button', { name: 'Use the CPU engine' }).click();
  await expect(notice).toHaveAttribute('data-engine', 'cpu');
  await expect(page.getByTestId('status-bar')).toContainText('CPU fallback');
  await expect(page.getByTestId('training-status')).toHaveAttribute('data-state', 'idle');

  await page.getByLabel('Hidden size', { exact: true }).fill('8');
  await page.getByLabel('Window', { exact: true }).fill('12');
  await page.getByLabel('Epochs', { exact: true }).fill('2');
  // Choosing the CPU engine answers the "no WebGPU" error.
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await page.getByTestId('train-button').click();
  const status = page.getByTestId('training-status');
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(status).toHaveAttribute('data-epoch', '2');
  const val = Number(await status.getAttribute('data-val-loss'));
  expect(val).toBeGreaterThan(0);
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', '3');
  await expect(page.getByTestId('gate-heatmap')).toHaveAttribute('data-gates', 'i,f,g,o,c,h');
  await expect(page.getByTestId('prediction-chart')).toHaveAttribute('data-kind', 'forecast');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  // The loss fell: epoch 2's validation loss under the untrained model's (epoch 0, from the saved run).
  const [run] = await storedRuns(page);
  const curve = run.history.map((h: { valLoss: number }) => h.valLoss);
  expect(curve).toHaveLength(3);
  expect(curve[2]).toBeLessThan(curve[0]);
  expect(Math.abs(curve[2] - val) / val).toBeLessThan(1e-6);
  // Export works: the weights download as PyTorch's state_dict, every value finite.
  const tensors = await exportedTensors(page, testInfo);
  expect(tensors.find((t) => t.name === 'lstm.weight_hh_l0')?.shape).toEqual([32, 8]);
  expect(tensors.every((t) => t.data.every(Number.isFinite))).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('cpu-engine.png'), fullPage: true });
});

test('without WebGPU, "Train on the CPU" trains in one press; the run is saved, and after a reload it resumes on the CPU', async ({ page }) => {
  await withoutWebGpu(page);
  await page.goto('/');
  await expect(page.getByTestId('engine-notice')).toContainText('no usable WebGPU');
  await page.getByLabel('Hidden size', { exact: true }).fill('8');
  await page.getByLabel('Window', { exact: true }).fill('12');
  await page.getByLabel('Epochs', { exact: true }).fill('5000'); // far more than the test waits for: the CPU engine trains this model at dozens of epochs a second
  await page.getByTestId('use-cpu-button').click();
  const status = page.getByTestId('training-status');
  // One press: the engine switches and training starts, with no second press of Train.
  await expect(status).toHaveAttribute('data-state', 'training', { timeout: 30_000 });
  await expect(page.getByTestId('engine-notice')).toHaveAttribute('data-engine', 'cpu');
  await expect.poll(async () => Number(await status.getAttribute('data-epoch')), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);

  await page.reload();
  const offer = page.getByTestId('resume-offer');
  await expect(offer).toBeVisible();
  const savedEpoch = Number(await offer.getAttribute('data-epoch'));
  expect(savedEpoch).toBeGreaterThanOrEqual(2);
  await offer.getByRole('button', { name: 'Resume run' }).click();
  await expect(offer).toHaveCount(0);
  await expect(page.getByTestId('engine-notice')).toHaveAttribute('data-engine', 'cpu');
  await expect(status).toHaveAttribute('data-state', 'training', { timeout: 30_000 });
  // It continues from the checkpoint: the curve keeps the saved epochs and grows past them, never back to epoch 0.
  await expect.poll(async () => Number(await status.getAttribute('data-epoch')), { timeout: 120_000 }).toBeGreaterThan(savedEpoch);
  await expect(page.getByTestId('loss-chart')).not.toHaveAttribute('data-points', '1');
  await page.getByTestId('stop-button').click();
  await expect(status).toHaveAttribute('data-state', 'done');
});
