// e2e, the page as a whole: a link's hash reproduces a setup (config, seed, example and its choices), light and
// dark themes, usable at 1280×720 without sideways scrolling, and keyboard focus that can be seen.
import { expect, test } from '@playwright/test';
import { openApp, panelShot } from './helpers';

test('the URL hash carries the whole setup, and a link reproduces it', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('example-shapes').click();
  await expect(page.getByTestId('dataset-summary')).toContainText('Synthetic shapes');
  await page.getByTestId('cell-select').selectOption('gru');
  await page.getByLabel('Hidden size', { exact: true }).fill('12');
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByLabel('Validation share', { exact: true }).fill('0.25');
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('seed=7');
  const hash = await page.evaluate(() => location.hash);
  expect(hash).toContain('example=shapes');
  expect(hash).toContain('cell=gru');
  expect(hash).toContain('d.valFraction=0.25');

  const other = await page.context().newPage();
  await other.goto(`/${hash}`);
  await expect(other.getByTestId('dataset-summary')).toContainText('Synthetic shapes');
  await expect(other.getByTestId('cell-select')).toHaveValue('gru');
  await expect(other.getByLabel('Hidden size', { exact: true })).toHaveValue('12');
  await expect(other.getByLabel('Seed', { exact: true })).toHaveValue('7');
  await expect(other.getByTestId('task-select')).toHaveValue('classify-sequences');
  await expect(other.getByLabel('Validation share', { exact: true })).toHaveValue('0.25');
  await other.close();
});

test('light and dark themes, 1280×720 without sideways scrolling, visible keyboard focus', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath('light-1280x720.png') });

  // Keyboard: Tab reaches the Train button and its focus ring shows.
  const train = page.getByTestId('train-button');
  await page.keyboard.press('Tab');
  for (let i = 0; i < 60 && !(await train.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(train).toBeFocused();
  const outline = await train.evaluate((el) => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth);
  expect(outline).toMatch(/^solid [1-9]/);

  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(13, 17, 23)');
  await page.screenshot({ path: testInfo.outputPath('dark-1280x720.png') });
  await panelShot(page.getByTestId('status-bar'), testInfo, 'status-bar-dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});
