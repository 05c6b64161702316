// e2e, Data panel: upload a wide CSV through the file input, a virtualized preview, change a column's type, switch the
// task and target, class counts and baselines; a bad file keeps the previous dataset.
import { expect, test } from '@playwright/test';
import { csvFile, openApp, panel, panelShot } from './helpers';

/** 80 sequences of 300 steps: a rising or a falling ramp with noise, labelled up / down. */
function wideCsv(): string[] {
  const steps = 300;
  const lines = [['label', ...Array.from({ length: steps }, (_, t) => `v${t + 1}`)].join(',')];
  for (let r = 0; r < 80; r++) {
    const up = r % 2 === 0;
    const cells = Array.from({ length: steps }, (_, t) => ((up ? t : steps - t) / steps + 0.1 * Math.sin(r * 7 + t)).toFixed(3));
    lines.push([up ? 'up' : 'down', ...cells].join(','));
  }
  return lines;
}

test('data panel: a wide CSV is previewed virtually, its types and task can be changed, class counts and baselines show', async ({ page }, testInfo) => {
  await openApp(page);
  await page.getByTestId('dataset-file-input').setInputFiles(csvFile('ramps.csv', wideCsv()));
  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toContainText('ramps.csv');
  await expect(summary).toContainText('80');

  // The suggested task: one sequence per row, labelled by "label".
  const task = page.getByTestId('task-select');
  await expect(task).toHaveValue('classify-sequences');
  await expect(page.getByTestId('target-select')).toHaveValue('label');
  await expect(page.getByTestId('class-counts').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('set-summary')).toContainText('× 300 steps');
  await expect(page.getByTestId('set-summary')).toContainText('majority-class');

  // Only the columns in view are in the DOM; scrolling right brings later ones in.
  const preview = page.getByTestId('data-preview');
  const rendered = Number(await preview.getAttribute('data-rendered-columns'));
  expect(rendered).toBeGreaterThan(2);
  expect(rendered).toBeLessThan(20);
  await expect(preview.locator('.grid-head')).toHaveCount(rendered);
  await expect(preview.getByText('v250', { exact: true })).toHaveCount(0);
  await preview.evaluate((el) => (el.scrollLeft = 249 * 132));
  await expect(preview.getByText('v250', { exact: true })).toBeVisible();
  await preview.evaluate((el) => (el.scrollLeft = 0));

  // A value column read as a category is no longer a time step.
  await page.getByLabel('Type of column v1', { exact: true }).selectOption('category');
  await expect(page.getByTestId('set-summary')).toContainText('× 299 steps');
  await page.getByLabel('Type of column v1', { exact: true }).selectOption('number');
  await expect(page.getByTestId('set-summary')).toContainText('× 300 steps');

  // Switch the task: forecasting offers the numeric columns as targets.
  await task.selectOption('forecast');
  const target = page.getByTestId('target-select');
  await expect(target.locator('option')).toHaveCount(300);
  await target.selectOption('v7');
  await expect(page.getByTestId('dataset-target')).toHaveText('v7');
  await expect(page.getByTestId('set-summary')).toContainText('persistence');
  await panelShot(panel(page, 'Data'), testInfo, 'data-panel');
  await panelShot(panel(page, /^Preview/), testInfo, 'data-preview');

  // A bad file is reported and the loaded data stays.
  await page.getByTestId('dataset-file-input').setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.from('') });
  await expect(page.getByTestId('error-banner')).toContainText('empty.csv');
  await expect(summary).toContainText('ramps.csv');
  await expect(page.getByTestId('dataset-target')).toHaveText('v7');
});

test('the real Seattle weather series loads in one click and forecasts the maximum temperature', async ({ page }, testInfo) => {
  await openApp(page);
  await page.getByTestId('example-seattle').click();
  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toContainText('Seattle daily weather');
  await expect(summary).toContainText('1461');
  await expect(page.getByTestId('target-select')).toHaveValue('temp_max');
  await expect(page.getByLabel('Window', { exact: true })).toHaveValue('14');
  await expect(page.getByTestId('data-preview')).toContainText('2012-01-01');
  await page.getByTestId('example-shapes').click();
  await expect(summary).toContainText('Synthetic shapes');
  await expect(page.getByTestId('task-select')).toHaveValue('classify-sequences');
  await panelShot(panel(page, 'Data'), testInfo, 'data-panel-shapes');
});
