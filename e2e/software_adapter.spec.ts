// e2e: on a software WebGPU adapter (SwiftShader here) the page trains on the CPU engine and says why; the person can
// switch to WebGPU, the switch is remembered across reloads, and switching back clears it. ?engine= overrides both.
import { expect, test } from '@playwright/test';
import { exportedTensors, smallModel, storedRuns, trainToEnd } from './helpers';

// A first visit: no engine choice saved (the other specs save 'webgpu': playwright.config.ts).
test.use({ storageState: { cookies: [], origins: [] } });

test('a software adapter gets the CPU engine, which trains and exports; WebGPU is one press away and remembered', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByTestId('dataset-summary')).toBeVisible();
  const notice = page.getByTestId('engine-notice');
  await expect(notice).toHaveAttribute('data-engine', 'cpu');
  await expect(notice).toHaveAttribute('data-why', 'software-adapter');
  await expect(notice).toContainText(/software one, running on the CPU/);
  await expect(page.getByTestId('status-device')).toContainText(/CPU engine \(float32\) · over software WebGPU \(.*swiftshader/i);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);

  await smallModel(page, { hidden: '8', window: '12', epochs: '2' });
  await trainToEnd(page, 120_000);
  const [run] = await storedRuns(page);
  const curve = run.history.map((h) => h.valLoss);
  expect(curve).toHaveLength(3);
  expect(curve[2]).toBeLessThan(curve[0]);
  const tensors = await exportedTensors(page, testInfo);
  expect(tensors.find((t) => t.name === 'lstm.weight_hh_l0')?.shape).toEqual([32, 8]);
  await page.screenshot({ path: testInfo.outputPath('cpu-over-swiftshader.png'), fullPage: true });

  // To WebGPU: the notice turns into the offer to come back, and the choice outlives a reload.
  await notice.getByRole('button', { name: /Use WebGPU/ }).click();
  await expect(notice).toHaveAttribute('data-engine', 'webgpu');
  await expect(notice).toContainText('software adapter');
  await expect(page.getByTestId('status-device')).toContainText('SwiftShader (software)');
  expect(await page.evaluate(() => localStorage.getItem('lstm-playground-engine'))).toBe('webgpu');
  await trainToEnd(page, 120_000);
  await page.reload();
  await expect(page.getByTestId('engine-notice')).toHaveAttribute('data-engine', 'webgpu');

  // Back to the CPU engine: the automatic pick again, so nothing stays saved.
  await page.getByTestId('engine-notice').getByRole('button', { name: 'Use the CPU engine' }).click();
  await expect(page.getByTestId('engine-notice')).toHaveAttribute('data-engine', 'cpu');
  expect(await page.evaluate(() => localStorage.getItem('lstm-playground-engine'))).toBeNull();
});

test('?engine=webgpu in the URL overrides the automatic pick, without saving it', async ({ page }) => {
  await page.goto('/?engine=webgpu');
  await expect(page.getByTestId('engine-notice')).toHaveAttribute('data-engine', 'webgpu');
  expect(await page.evaluate(() => localStorage.getItem('lstm-playground-engine'))).toBeNull();
  await page.goto('/');
  await expect(page.getByTestId('engine-notice')).toHaveAttribute('data-engine', 'cpu');
});
