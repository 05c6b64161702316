// e2e, Gate activations and gradient flow: heatmaps of every gate refresh while training, hover shows t, unit and
// value, units sort by activity; ‖∂L/∂h_t‖ per step and across training, and switching the cell compares RNN and LSTM.
import { expect, test, type Locator } from '@playwright/test';
import { openApp, panel, panelShot, readStatus, smallModel, trainToEnd } from './helpers';

/** Distinct colours drawn on a canvas (a heatmap with values in it has many). */
function colours(canvas: Locator): Promise<number> {
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  });
}

test('gate heatmaps: every LSTM gate drawn and refreshed while training, hover tooltip, sorting, sequence choice', async ({ page }, testInfo) => {
  await openApp(page);
  await smallModel(page, { window: '12', epochs: '200' });
  const gates = page.getByTestId('gate-heatmap');
  await page.getByTestId('train-button').click();
  await expect(gates).toHaveAttribute('data-gates', 'i,f,g,o,c,h', { timeout: 60_000 });
  // Refreshed while training: the probe's step moves on.
  const first = Number(await gates.getAttribute('data-step'));
  await expect.poll(async () => Number(await gates.getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(first);
  expect((await readStatus(page)).state).toBe('training');
  await page.getByTestId('pause-button').click();
  await expect(page.getByTestId('training-status')).toHaveAttribute('data-state', 'paused');

  const forget = gates.locator('canvas[data-gate="f"]');
  expect(await colours(forget)).toBeGreaterThan(10);
  await forget.hover({ position: { x: 125, y: 55 } });
  const tip = page.getByTestId('heatmap-tooltip');
  await expect(tip).toHaveText(/^f · t (\d+) · unit (\d+) · (0\.\d{4}|1\.0000)$/);
  const [, t, unit] = /t (\d+) · unit (\d+)/.exec((await tip.textContent())!)!;
  expect(Number(t)).toBeLessThan(12);
  expect(Number(unit)).toBeLessThan(8);
  await panelShot(panel(page, 'Gate activations'), testInfo, 'gate-heatmaps');
  // Keyboard: focus a heatmap and walk its cells with the arrow keys.
  await page.mouse.move(0, 0);
  const input = gates.locator('canvas[data-gate="i"]');
  await input.focus();
  await expect(tip).toHaveText(/^i · t 0 · unit \d+ · /);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(tip).toHaveText(/^i · t 2 · unit \d+ · /);
  await page.keyboard.press('End');
  await expect(tip).toHaveText(/^i · t 11 · /);

  await page.getByTestId('sort-units').check();
  await expect(gates).toHaveAttribute('data-sorted', 'true');
  await page.getByTestId('probe-sample').fill('5');
  await expect(page.getByText(/^Sequence 5 · layer 1/)).toBeVisible();
  await expect(page.getByTestId('gate-saturation').locator('polyline.spark-line')).toHaveCount(5);
  await page.getByTestId('stop-button').click();
});

test('gradient flow: per-step norms now and across training; an RNN run is drawn beside the LSTM one', async ({ page }, testInfo) => {
  await openApp(page);
  // enough epochs for several probes (they are spaced in time), however fast this machine trains
  await smallModel(page, { window: '16', epochs: '8' });
  await trainToEnd(page, 120_000);
  const flow = page.getByTestId('gradient-flow');
  await expect(flow).toHaveAttribute('data-cells', 'lstm');
  await expect(flow.locator('polyline.spark-line')).toHaveCount(1);
  expect(await flow.locator('polyline.spark-line').getAttribute('points')).toMatch(/^([\d.]+,[\d.]+ ){15}[\d.]+,[\d.]+$/);
  await expect.poll(async () => Number(await flow.getAttribute('data-columns'))).toBeGreaterThanOrEqual(2);
  await expect(flow.getByTestId('gradient-heatmap')).toBeVisible();

  await page.getByTestId('cell-select').selectOption('rnn');
  await trainToEnd(page, 120_000);
  await expect(page.getByTestId('gate-heatmap')).toHaveAttribute('data-gates', 'h');
  await expect(flow).toHaveAttribute('data-cells', 'lstm,rnn');
  await expect(flow.locator('polyline.spark-line')).toHaveCount(2);
  await flow.getByTestId('gradient-heatmap').hover({ position: { x: 300, y: 20 } });
  await expect(page.getByTestId('heatmap-tooltip')).toHaveText(/^step \d+ · t \d+ · ‖∂L\/∂h‖ \d\.\d\de[-+]\d+$/);
  await panelShot(panel(page, 'Gradient flow through time'), testInfo, 'gradient-flow');
});
