// e2e: without WebGPU in the worker, the page says so in the error banner and still shows the dataset.
import { expect, test } from '@playwright/test';
import { BUILTIN_DATASET_NAME } from '../src/data/builtin_datasets';

test('a browser without WebGPU gets a plain error and keeps the dataset', async ({ page }) => {
  // Serve the training worker with navigator.gpu removed, as in a browser that has no WebGPU.
  await page.route(/\/assets\/training_worker-[^/]*\.js$/, async (route) => {
    const response = await route.fetch();
    const body = `delete WorkerNavigator.prototype.gpu;\n${await response.text()}`;
    await route.fulfill({ response, body });
  });
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
