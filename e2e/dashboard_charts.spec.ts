// e2e, Loss curves: train and validation from epoch 0, the best epoch marked, log-scale toggle and smoothing, the
// learning-rate and gradient-norm chart; and the main thread never blocks for more than 50 ms while training.
import { expect, test } from '@playwright/test';
import { openApp, panel, panelShot, readStatus, smallModel, trainToEnd } from './helpers';

test('loss chart: epochs 0…N on [0, epochs], best epoch marked, log toggle, smoothing, LR and gradient norm', async ({ page }, testInfo) => {
  await openApp(page);
  await smallModel(page, { window: '12', epochs: '4' });
  await trainToEnd(page, 120_000);
  const chart = page.getByTestId('loss-chart');
  await expect(chart).toHaveAttribute('data-points', '5');
  await expect(chart.locator('path.recharts-line-curve')).toHaveCount(2);
  const best = Number(await chart.getAttribute('data-best-epoch'));
  expect(best).toBeGreaterThanOrEqual(1);
  await expect(chart.locator('.recharts-reference-line')).toHaveCount(1);
  await expect(chart).toContainText(`best (${best})`);
  // The x axis runs from 0 to the epochs asked for.
  const ticks = await chart.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents();
  expect(ticks[0]).toBe('0');
  expect(ticks.at(-1)).toBe('4');

  const yTicks = () => chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents();
  const logTicks = await yTicks();
  const path = () => chart.locator('path.recharts-line-curve').first().getAttribute('d');
  const rawPath = await path();
  await page.getByLabel('Log scale', { exact: true }).uncheck();
  await expect(chart).toHaveAttribute('data-log', 'false');
  await expect.poll(yTicks).not.toEqual(logTicks);
  expect((await yTicks())[0]).toBe('0');
  await page.getByLabel('Smoothing').fill('0.8');
  await expect.poll(path).not.toBe(rawPath);

  const lrGrad = page.getByTestId('lr-grad-chart');
  await expect(lrGrad.locator('polyline.spark-line')).toHaveCount(2);
  expect(Number(await lrGrad.getAttribute('data-points'))).toBeGreaterThan(5);
  await panelShot(panel(page, /^Loss/), testInfo, 'loss-panel');
});

test('while training at full speed no main-thread task takes more than 50 ms', async ({ page }, testInfo) => {
  await openApp(page);
  // far more epochs than the 10 s watched take, so training runs at full speed throughout
  await smallModel(page, { window: '12', epochs: '1000' });
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-status')).toHaveAttribute('data-state', 'training');
  await expect.poll(async () => (await readStatus(page)).epoch, { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { __longTasks: number[] }).__longTasks = seen;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) seen.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  // Watch 10 s of training as a person would: the loss charts at the top of the page, then the gate heatmaps, the
  // gradient flow and the predictions, each redrawing as new probes and epochs arrive.
  const start = await readStatus(page);
  await page.waitForTimeout(4000);
  await page.getByTestId('gate-heatmap').scrollIntoViewIfNeeded();
  await page.waitForTimeout(3000);
  await page.getByTestId('prediction-chart').scrollIntoViewIfNeeded();
  await page.waitForTimeout(3000);
  const end = await readStatus(page);
  const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  await page.getByTestId('stop-button').click();
  testInfo.annotations.push({ type: 'long tasks', description: `${tasks.length} tasks over 50 ms during ${end.step - start.step} steps: ${JSON.stringify(tasks.map(Math.round))}` });
  expect(end.state).toBe('training');
  expect(end.step - start.step).toBeGreaterThan(20);
  expect(tasks).toEqual([]);
});
