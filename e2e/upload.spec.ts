// e2e: uploading CSVs through the file input — a bad cell is reported by row and column, a good file replaces the data.
import { expect, test } from '@playwright/test';
import { BUILTIN_DATASET_NAME } from '../src/data/builtin_datasets';
import { openApp } from './helpers';

function csv(rows: number, cell: (r: number) => string): Buffer {
  const lines = ['time,value'];
  for (let r = 0; r < rows; r++) lines.push(`${r},${cell(r)}`);
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

test('a text cell in the target column is reported by row and column; the built-in data stays', async ({ page }, testInfo) => {
  await openApp(page);
  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toContainText(BUILTIN_DATASET_NAME);

  // Data row 37 of "value" holds text.
  const buffer = csv(120, (r) => (r === 36 ? 'oops' : Math.sin(r / 5).toFixed(3)));
  await page.getByTestId('dataset-file-input').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer });

  const banner = page.getByTestId('error-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('role', 'alert');
  await expect(banner).toContainText('bad.csv');
  await expect(banner).toContainText(/row 37\b/i);
  await expect(banner).toContainText('"value"');
  await expect(banner).toContainText('oops');
  await expect(summary).toContainText(BUILTIN_DATASET_NAME);
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await page.screenshot({ path: testInfo.outputPath('bad-csv.png'), fullPage: true });
});

test('a valid CSV with two numeric columns replaces the dataset and both columns can be chosen', async ({ page }, testInfo) => {
  await openApp(page);
  const lines = ['load,temperature'];
  for (let r = 0; r < 200; r++) lines.push(`${(100 + 10 * Math.sin(r / 7)).toFixed(2)},${(20 + 5 * Math.cos(r / 11)).toFixed(2)}`);
  await page
    .getByTestId('dataset-file-input')
    .setInputFiles({ name: 'two-columns.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n'), 'utf8') });

  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toContainText('two-columns.csv');
  await expect(summary).not.toContainText(BUILTIN_DATASET_NAME);
  await expect(summary).toContainText('200');
  const select = page.getByLabel('Target column');
  await expect(select.locator('option')).toHaveText(['load', 'temperature']);
  await expect(select).toHaveValue('temperature');

  await select.selectOption('load');
  await expect(summary.getByText('load', { exact: true })).toBeVisible();
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('two-columns.png'), fullPage: true });
});

test('a CSV dropped on the drop zone is loaded', async ({ page }) => {
  await openApp(page);
  const text = csv(150, (r) => (Math.cos(r / 4) * 3).toFixed(3)).toString('utf8');
  const dataTransfer = await page.evaluateHandle((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], 'dropped.csv', { type: 'text/csv' }));
    return dt;
  }, text);
  const zone = page.locator('.dropzone');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toContainText('dropped.csv');
  await expect(summary).toContainText('150');
  await expect(page.getByLabel('Target column')).toHaveValue('value');
});
