// e2e: a real series (monthly CO2 at Mauna Loa, Scripps CO2 Program, as shipped in the vega-datasets npm package) uploaded
// with only its target picked: the page's defaults (transform, window, calendar) come from the data, are shown, and
// the trained model beats persistence in the metrics table.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openApp, setKnob, trainToEnd } from './helpers';

test('monthly CO2: the defaults come from the data and the model beats persistence', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await openApp(page);
  const buffer = readFileSync(new URL('../test/fixtures/csv/co2_concentration.csv', import.meta.url));
  await page.getByTestId('dataset-file-input').setInputFiles({ name: 'co2-concentration.csv', mimeType: 'text/csv', buffer });
  await expect(page.getByTestId('dataset-summary')).toContainText('co2-concentration.csv');
  await page.getByLabel('Target column').selectOption('CO2');

  // What the data chose, shown and changeable: the transform (auto → difference, with the reason), monthly calendar.
  await expect(page.locator('#data-transform')).toHaveValue('');
  await expect(page.getByTestId('set-summary')).toContainText('Transform difference');
  await expect(page.getByLabel('month')).toBeChecked();
  await expect(page.locator('#data-window')).toHaveValue('24');
  await setKnob(page, 'Epochs', '8');
  await trainToEnd(page, 200_000);

  const table = page.getByTestId('metrics-table');
  await expect(table).toHaveAttribute('data-kind', 'forecast');
  const rmse = Number(await page.getByTestId('metrics-model').locator('td').nth(1).textContent());
  const persistence = Number(await table.locator('tr', { hasText: 'Baseline: persistence' }).locator('td').nth(1).textContent());
  console.log(`[co2 in the page] validation RMSE ${rmse} vs persistence ${persistence}`);
  expect(rmse).toBeGreaterThan(0);
  expect(rmse).toBeLessThan(0.8 * persistence);
  await page.screenshot({ path: testInfo.outputPath('co2.png'), fullPage: true });
});
