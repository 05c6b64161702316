// e2e: compare two past runs — an RNN and an LSTM trained on the same data — in the Compare panel: both loss curves
// overlaid, the cell marked as the one differing setting, metrics beside the baselines, gradient flow on one axis.
import { expect, test } from '@playwright/test';
import { openApp, smallModel, trainToEnd } from './helpers';

test('two past runs with different cells, compared side by side', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await smallModel(page, { hidden: '8', epochs: '2' });
  const rows = page.getByTestId('run-history').getByTestId('run-row');
  const compare = page.getByTestId('compare-button');
  await expect(compare).toBeDisabled();

  await page.getByTestId('cell-select').selectOption('rnn');
  await trainToEnd(page, 120_000);
  await expect(rows).toHaveCount(1);
  await page.getByTestId('cell-select').selectOption('lstm');
  await trainToEnd(page, 120_000);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-status', 'done');
  await expect(rows.nth(1)).toHaveAttribute('data-status', 'done');

  await rows.nth(0).getByRole('checkbox').check();
  await expect(compare).toBeDisabled();
  await rows.nth(1).getByRole('checkbox').check();
  await expect(compare).toBeEnabled();
  await compare.click();

  const panel = page.getByTestId('compare-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toHaveAttribute('data-runs', '2');
  await expect(page.getByRole('heading', { name: 'Compare runs' })).toBeInViewport();

  // Loss curves: validation and training of each run, on one chart.
  const chart = page.getByTestId('compare-loss-chart');
  await expect(chart).toHaveAttribute('data-runs', '2');
  await expect(chart.locator('path.recharts-line-curve')).toHaveCount(4);
  for (const d of await chart.locator('path.recharts-line-curve').evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''))) expect(d).toMatch(/^M[\d.\-e]+,[\d.\-e]+[LC]/);

  // Settings: the cell is the one that differs, and it is highlighted; the rest are the same.
  const settings = page.getByTestId('compare-settings');
  await expect(settings).toHaveAttribute('data-differing', '1');
  const cell = settings.locator('tr[data-key="cell"]');
  await expect(cell).toHaveAttribute('data-differs', 'true');
  await expect(cell).toHaveClass(/differs/);
  const cells = await cell.locator('td').allTextContents();
  expect([...cells].sort()).toEqual(['lstm', 'rnn']);
  await expect(settings.locator('tr[data-key="hiddenSize"]')).toHaveAttribute('data-differs', 'false');
  await expect(settings.locator('tr[data-key="hiddenSize"] td')).toHaveText(['8', '8']);
  const highlight = await cell.locator('td').first().evaluate((el) => getComputedStyle(el).backgroundColor);
  const plain = await settings.locator('tr[data-key="hiddenSize"] td').first().evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(highlight).not.toBe(plain);

  // Only the differences: the cell row alone stays.
  await page.getByTestId('compare-only-diffs').check();
  await expect(settings.locator('tbody tr')).toHaveCount(1);
  await expect(settings.locator('tbody tr')).toHaveAttribute('data-key', 'cell');
  await page.getByTestId('compare-only-diffs').uncheck();
  await expect(settings.locator('tbody tr[data-key="seed"]')).toHaveCount(1);

  // Metrics beside the data's baselines, for both runs.
  const metrics = page.getByTestId('compare-metrics');
  await expect(metrics.locator('tr[data-label="Best val loss"] td')).toHaveCount(2);
  for (const v of await metrics.locator('tr[data-label="Best val loss"] td').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))))) expect(v).toBeGreaterThan(0);
  await expect(metrics.locator('tr[data-label="RMSE"] td[data-value=""]')).toHaveCount(0, { timeout: 30_000 });
  await expect(metrics.locator('tr.baseline')).not.toHaveCount(0);

  // Gradient flow of both runs, as two lines on one axis.
  const grad = page.getByTestId('compare-gradient');
  await expect(grad).toHaveAttribute('data-lines', '2', { timeout: 30_000 });
  await expect(grad).toHaveAttribute('data-window', await page.getByLabel('Window', { exact: true }).inputValue());
  const lines = page.getByTestId('compare-gradient-lines').locator('polyline');
  await expect(lines).toHaveCount(2);
  for (const pts of await lines.evaluateAll((ls) => ls.map((l) => l.getAttribute('points') ?? ''))) expect(pts.split(' ').length).toBeGreaterThan(10);
  await panel.screenshot({ path: '/tmp/shots/compare-panel.png' });

  await page.getByTestId('compare-close').click();
  await expect(panel).toHaveCount(0);
});
