// e2e, Predictions and Metrics: the forecast drawn over the validation series in original units next to the
// baselines; for the shapes example, a confusion matrix with per-class precision, recall and F1.
import { readFile } from 'node:fs/promises';
import { expect, test, type Download } from '@playwright/test';
import { openApp, panel, panelShot, smallModel, trainToEnd } from './helpers';

test('forecast: predictions over the actual series, errors in original units beside the baselines, best epoch marked', async ({ page }, testInfo) => {
  await openApp(page);
  await smallModel(page, { window: '12', epochs: '3' });
  await page.getByLabel('Horizon', { exact: true }).fill('2');
  await trainToEnd(page, 120_000);
  const chart = page.getByTestId('prediction-chart');
  await expect(chart).toHaveAttribute('data-kind', 'forecast');
  await expect(chart).toHaveAttribute('data-epoch', '3');
  // The actual series and one line per step ahead.
  await expect(chart.locator('polyline.forecast-line')).toHaveCount(3);
  await expect(chart).toContainText('predicted t+2');
  await chart.locator('svg').hover({ position: { x: 300, y: 100 } });
  await expect(page.getByTestId('forecast-readout')).toHaveText(/^step \d+ · actual -?\d[\d.]* · t\+1 -?\d[\d.]* · t\+2 -?\d[\d.]*$/);
  expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(100);

  const table = page.getByTestId('metrics-table');
  await expect(table).toHaveAttribute('data-kind', 'forecast');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table).toContainText('Baseline: persistence');
  await expect(table).toContainText('Baseline: seasonal-naive');
  const rmse = Number(await page.getByTestId('metrics-model').locator('td').nth(1).textContent());
  expect(rmse).toBeGreaterThan(0);
  expect(rmse).toBeLessThan(2);
  await expect(page.getByTestId('best-epoch')).toContainText(/Best epoch \d/);
  await panelShot(panel(page, /^Predictions/), testInfo, 'predictions-forecast');
  await panelShot(panel(page, /^Metrics/), testInfo, 'metrics-forecast');
});

test('classification: the shapes example gets a confusion matrix, per-class scores and accuracy against the majority class', async ({ page }, testInfo) => {
  await openApp(page);
  await page.getByTestId('example-shapes').click();
  await expect(page.getByTestId('dataset-summary')).toContainText('Synthetic shapes');
  await smallModel(page, { epochs: '3' });
  await page.getByLabel('Learning rate', { exact: true }).fill('0.03');
  await trainToEnd(page, 120_000);
  const chart = page.getByTestId('prediction-chart');
  await expect(chart).toHaveAttribute('data-kind', 'classify');
  const cells = page.getByTestId('confusion-matrix').locator('tbody td');
  await expect(cells).toHaveCount(16);
  const counts = await cells.evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-count'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(Number(await chart.getAttribute('data-points')));
  await expect(page.getByTestId('class-scores').locator('tbody tr')).toHaveCount(4);
  const table = page.getByTestId('metrics-table');
  await expect(table).toHaveAttribute('data-kind', 'classify');
  await expect(table).toContainText('Baseline: majority-class');
  await expect(page.getByTestId('metrics-model')).toContainText('%');
  await panelShot(panel(page, /^Predictions/), testInfo, 'predictions-confusion');
  await panelShot(panel(page, /^Metrics/), testInfo, 'metrics-classify');
});

test('head on every step: the forecast trains on every step and predicts with the last; classification says why not', async ({ page }, testInfo) => {
  await openApp(page);
  await smallModel(page, { window: '12', epochs: '3' });
  const head = page.getByLabel('Head', { exact: true });
  // The built-in series trains with the difference transform by default, whose inputs are relative to the window:
  // the head on every step says so, and is offered once the transform is none.
  await expect(head.locator('option[value="every_step"]')).toHaveAttribute('title', /transform none or log/);
  await page.locator('#data-transform').selectOption('none');
  await expect(head.locator('option[value="every_step"]')).toBeEnabled();
  await head.selectOption('every_step');
  await expect(page.getByTestId('knob-headOn-why')).toHaveCount(0);
  await trainToEnd(page, 120_000);
  const chart = page.getByTestId('prediction-chart');
  await expect(chart).toHaveAttribute('data-epoch', '3');
  await expect(chart.locator('polyline.forecast-line')).toHaveCount(2);
  const rmse = Number(await page.getByTestId('metrics-model').locator('td').nth(1).textContent());
  expect(rmse).toBeGreaterThan(0);
  expect(rmse).toBeLessThan(2);
  // the probe runs on the per-step targets too: gates and the gradient flow through time are drawn
  await expect(page.getByTestId('gate-heatmap')).toHaveAttribute('data-gates', 'i,f,g,o,c,h');
  await expect(page.getByTestId('gradient-flow')).not.toHaveAttribute('data-cells', '');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  // the exported model carries its head
  const got: Download[] = [];
  const on = (d: Download) => got.push(d);
  page.on('download', on);
  await page.getByTestId('export-safetensors').click();
  await expect.poll(() => got.length, { timeout: 30_000 }).toBe(2);
  page.off('download', on);
  const json = got.find((d) => d.suggestedFilename() === 'model.json')!;
  const path = testInfo.outputPath('model.json');
  await json.saveAs(path);
  expect(JSON.parse(await readFile(path, 'utf8')).config).toMatchObject({ headOn: 'every_step', window: 12, outputSize: 1 });
  await panelShot(panel(page, /^Predictions/), testInfo, 'predictions-every-step');

  // A classification example has one label per sequence: the choice stays, the reason shows, training uses the last step.
  await page.getByTestId('example-shapes').click();
  await expect(page.getByTestId('knob-headOn-why')).toContainText('one label');
  await expect(head.locator('option[value="every_step"]')).toHaveAttribute('title', /one label/);
});
