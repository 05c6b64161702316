// e2e, the Why panel: a run built to go wrong (a plain RNN on a 64-step window) is diagnosed with a vanishing gradient
// and its Apply button switches the cell to an LSTM; a learning rate of 1e-6 underfits and Apply raises it; a sound
// short-window LSTM run is not diagnosed at all.
import { expect, test } from '@playwright/test';
import { openApp, panel, panelShot, readStatus, setKnob, smallModel, trainToEnd } from './helpers';

test('an RNN on a long window: the Why panel names the vanishing gradient, and Apply switches to an LSTM', async ({ page }, testInfo) => {
  await openApp(page);
  const why = page.getByTestId('why-panel');
  await expect(why).toContainText('Train to see');
  await page.getByTestId('cell-select').selectOption('rnn');
  await smallModel(page, { hidden: '8', window: '64', epochs: '1' });
  await trainToEnd(page, 180_000);
  const finding = why.locator('[data-testid="finding"][data-check="vanishing-gradient"]');
  await expect(finding).toBeVisible({ timeout: 60_000 });
  await expect(finding).toHaveAttribute('data-severity', 'warning');
  await expect(finding).toContainText(/‖∂L\/∂h_t‖ at the window's first step is .+ of its last step's .+window 64/);
  await expect(finding).toContainText('Use an LSTM');
  await panelShot(panel(page, 'Why'), testInfo, 'why-panel');
  const apply = finding.getByTestId('apply-vanishing-gradient');
  await expect(apply).toHaveText('Apply: cell LSTM');
  await apply.click();
  await expect(page.getByTestId('cell-select')).toHaveValue('lstm');
  await expect(apply).toHaveText(/^Applied: cell LSTM/);
});

test('a sound LSTM run on a short window: the Why panel finds nothing', async ({ page }) => {
  await openApp(page);
  await smallModel(page, { hidden: '16', window: '12', epochs: '3' });
  await trainToEnd(page, 180_000);
  const why = page.getByTestId('why-panel');
  await expect(why).toHaveAttribute('data-final', 'true');
  // The worker checks each probe before sending it: once the gate panel shows the probe of the final weights, the
  // diagnosis has seen it.
  const { step } = await readStatus(page);
  await expect(page.getByTestId('gate-heatmap')).toHaveAttribute('data-step', String(step), { timeout: 60_000 });
  await expect(why.getByTestId('why-healthy')).toContainText('The run ended: no check found a problem');
  await expect(why).toHaveAttribute('data-findings', '');
});

test('a learning rate of 1e-6 underfits: the Why panel says so, and Apply sets a usual learning rate', async ({ page }) => {
  await openApp(page);
  await smallModel(page, { hidden: '8', window: '12', epochs: '2' });
  await setKnob(page, 'Learning rate', '0.000001');
  await trainToEnd(page, 180_000);
  const finding = page.getByTestId('why-panel').locator('[data-testid="finding"][data-check="underfitting"]');
  await expect(finding).toBeVisible({ timeout: 60_000 });
  await expect(finding).toContainText(/of the untrained model's loss/);
  await finding.getByTestId('apply-underfitting').click();
  await expect(page.getByLabel('Learning rate', { exact: true })).toHaveValue('0.01');
});
