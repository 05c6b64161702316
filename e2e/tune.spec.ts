// e2e: a search from the page — bad input refused with the CLI's words, then a small successive-halving search on the
// built-in sine (4 tiny trials, up to 2 epochs) started from the run bar's Tune button: trials finish, the curves and
// scatters fill (the pruned trials' curves shorter), the table sorts, and the best trial becomes the current model
// (loaded, and exported with its own hidden size); a search survives a reload (offered, resumed to its end) and a
// stopped one stays resumable (its offer can be discarded).
import { expect, test } from '@playwright/test';
import { exportedTensors, openApp, setKnob, smallModel } from './helpers';

test('a small search: bad input explained, trials watched, the best made the current model and exported', async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await smallModel(page, { hidden: '8', epochs: '2' });
  const panel = page.getByTestId('tune-panel');
  const tuneButton = page.getByTestId('tune-button');
  await expect(panel).toHaveAttribute('data-open', 'false');

  // The run bar's Tune opens the search setup.
  await tuneButton.click();
  await expect(panel).toHaveAttribute('data-open', 'true');
  await expect(page.getByRole('heading', { name: 'Tune', exact: true })).toBeInViewport();

  // Bad input: a clear message, and no search starts.
  const problem = page.getByTestId('tune-problem');
  const start = page.getByTestId('tune-start');
  const values = (name: string) => page.getByTestId(`tune-values-${name}`);
  await values('lr').fill('0.03..0.001');
  await expect(problem).toHaveText('Cannot search: lr=0.03..0.001 is inverted: write the smaller end first (lr=0.001..0.03).');
  await expect(start).toBeDisabled();
  await panel.screenshot({ path: testInfo.outputPath('tune-problem.png') });
  await tuneButton.click();
  await expect(page.getByTestId('tune-status')).toHaveCount(0);
  await values('lr').fill('0.01..0.01');
  await expect(problem).toContainText('lr=0.01..0.01 is empty (both ends are 0.01)');
  await values('lr').fill('0.003..0.03');
  await values('hidden').fill('');
  await expect(problem).toContainText('hidden= has no values');
  await values('hidden').fill('4,8');
  await page.getByTestId('tune-trials').fill('0');
  await expect(problem).toHaveText('Cannot search: the trial budget must be at least 1 trial (got 0).');
  await page.getByTestId('tune-trials').fill('4');
  await page.getByTestId('tune-minutes').fill('0');
  await expect(problem).toHaveText('Cannot search: the time budget must be above 0 minutes (got 0).');
  await page.getByTestId('tune-minutes').fill('');
  await expect(problem).toHaveCount(0);
  await expect(page.getByTestId('tune-strategy')).toHaveValue('halving');
  await expect(page.getByTestId('tune-plan')).toHaveText('4 trials: 4 × 1 epoch, then 2 × 2');
  await panel.screenshot({ path: testInfo.outputPath('tune-form.png') });

  // Start it from the run bar; the bar says it is tuning, Train and Step wait, Stop would end it.
  const t0 = Date.now();
  await tuneButton.click();
  const status = page.getByTestId('tune-status');
  await expect(status).toBeVisible();
  await expect(status).toContainText(/Tuning|Starting/);
  await expect(page.getByTestId('train-button')).toBeDisabled();
  await expect(page.getByTestId('step-button')).toBeDisabled();
  await expect(page.getByTestId('stop-button')).toBeEnabled();
  await expect(tuneButton).toBeDisabled();
  await expect(page.getByTestId('tune-trial-row')).toHaveCount(4);
  await panel.screenshot({ path: testInfo.outputPath('tune-running.png') });

  const summary = page.getByTestId('tune-summary');
  await expect(summary).toHaveAttribute('data-state', 'done', { timeout: 360_000 });
  const seconds = (Date.now() - t0) / 1000;
  testInfo.annotations.push({ type: 'search time', description: `${seconds.toFixed(1)} s for 4 trials (6 sessions) on ${await page.getByTestId('status-device').textContent()}` });
  await expect(status).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('train-button')).toBeEnabled();

  // Every trial finished: two went on to epoch 2, two were pruned after epoch 1.
  const rows = page.getByTestId('tune-trial-row');
  const statuses = (await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')))).sort();
  expect(statuses).toEqual(['completed', 'completed', 'pruned', 'pruned']);
  const losses = await rows.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-val-loss'))));
  for (const v of losses) expect(v).toBeGreaterThan(0);

  // The chart of all curves: four lines from the untrained model, the pruned ones one epoch long.
  const curves = page.getByTestId('tune-curves');
  await expect(curves).toHaveAttribute('data-lines', '4');
  await expect(curves).toHaveAttribute('data-points', '3'); // epochs 0 (untrained), 1 and 2
  const lengths = ((await curves.getAttribute('data-epochs')) ?? '').split(' ').map((p) => Number(p.split(':')[1])).sort();
  expect(lengths).toEqual([1, 1, 2, 2]);
  await expect(curves.locator('path.recharts-line-curve')).toHaveCount(4);
  // Each varied setting against the loss, every trial a point, the best one marked.
  const best = Number(await summary.getAttribute('data-best'));
  expect(best).toBeGreaterThanOrEqual(1);
  for (const name of ['hidden', 'lr']) {
    const scatter = page.getByTestId(`tune-scatter-${name}`);
    await expect(scatter).toHaveAttribute('data-points', '4');
    await expect(scatter).toHaveAttribute('data-best', String(best));
    await expect(scatter.locator('.recharts-scatter-symbol')).toHaveCount(4);
  }

  // The best trial is marked and has the lowest loss; sorting by loss puts it first, then last.
  const bestRow = page.locator(`[data-testid="tune-trial-row"][data-best="true"]`);
  await expect(bestRow).toHaveAttribute('data-trial', String(best));
  await expect(bestRow).toContainText('★ best');
  expect(Number(await bestRow.getAttribute('data-val-loss'))).toBe(Math.min(...losses));
  await page.getByTestId('tune-sort-bestValLoss').click();
  await expect(rows.first()).toHaveAttribute('data-trial', String(best));
  await page.getByTestId('tune-sort-bestValLoss').click();
  await expect(rows.last()).toHaveAttribute('data-trial', String(best));
  const sorted = await rows.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-val-loss'))));
  expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
  await page.getByTestId('tune-sort-setting:lr').click();
  await expect(page.getByTestId('tune-trials-table')).toHaveAttribute('data-sort', 'setting:lr:asc');
  const lrs = await rows.evaluateAll((rs) => rs.map((r) => Number(r.querySelectorAll('td')[2].textContent)));
  expect(lrs).toEqual([...lrs].sort((a, b) => a - b));
  const bestHidden = Number(await bestRow.locator('td').nth(1).textContent());
  await panel.screenshot({ path: testInfo.outputPath('tune-results.png') });

  // Each trial is a run in Past runs.
  await expect(page.getByTestId('run-history').getByTestId('run-row')).toHaveCount(4);

  // One click: the best trial becomes the current model — its run loaded (finished, its settings in the knobs), exportable.
  const training = page.getByTestId('training-status');
  await expect(training).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('export-safetensors')).toBeDisabled();
  await page.getByTestId('tune-promote-best').click();
  await expect(training).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(training).toHaveAttribute('data-epoch', '2');
  await expect(bestRow).toHaveAttribute('data-current', 'true');
  await expect(page.getByTestId('tune-promote-best')).toHaveText(`Trial ${best} is the current model`);
  await expect(page.getByLabel('Hidden size', { exact: true })).toHaveValue(String(bestHidden));
  await expect(training).toContainText('Finished 2 of 2 epochs');
  await expect(page.getByTestId('run-history').locator(`[data-run-id]`)).toHaveCount(4);

  const tensors = await exportedTensors(page, testInfo);
  expect(tensors.find((t) => t.name === 'lstm.weight_hh_l0')?.shape).toEqual([4 * bestHidden, bestHidden]);
  await page.screenshot({ path: testInfo.outputPath('tune-page.png'), fullPage: false });
});

test('the run bar stops a search cleanly; a trial of a stopped search still becomes the current model', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await smallModel(page, { hidden: '8', epochs: '2' });
  await page.getByTestId('tune-button').click();
  await page.getByTestId('tune-strategy').selectOption('random');
  await page.getByTestId('tune-vary-hidden').uncheck();
  await page.getByTestId('tune-vary-cell').check();
  await page.getByTestId('tune-values-cell').fill('lstm,gru');
  await page.getByTestId('tune-trials').fill('40');
  await expect(page.getByTestId('tune-plan')).toHaveText('40 trials: 40 × 2 epochs');
  await page.getByTestId('tune-start').click();
  const status = page.getByTestId('tune-status');
  await expect.poll(async () => Number(await status.getAttribute('data-finished')), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  await page.getByTestId('stop-button').click();
  const summary = page.getByTestId('tune-summary');
  await expect(summary).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(summary).toContainText('(stopped)');
  await expect(status).toHaveAttribute('data-state', 'done');
  const statuses = await page.getByTestId('tune-trial-row').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')));
  expect(statuses.filter((s) => s === 'completed').length).toBeGreaterThanOrEqual(2);
  expect(statuses.filter((s) => s === 'queued').length).toBeGreaterThan(0);
  expect(statuses).not.toContain('running');
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await expect(page.getByTestId('tune-button')).toBeEnabled();
  // The cell is a choice: its scatter has one column per cell tried, a point per trial with a loss.
  const withLoss = await page.locator('[data-testid="tune-trial-row"]:not([data-val-loss=""])').count();
  await expect(page.getByTestId('tune-scatter-cell')).toHaveAttribute('data-points', String(withLoss));
  await page.getByTestId('theme-toggle').click();
  await page.getByTestId('tune-panel').screenshot({ path: testInfo.outputPath('tune-stopped-dark.png') });

  // Any trial's Use opens its run; the best is marked among the finished ones.
  const first = page.locator('[data-testid="tune-trial-row"][data-status="completed"]').first();
  const trial = await first.getAttribute('data-trial');
  await first.getByTestId('tune-use-trial').click();
  await expect(page.getByTestId('training-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.locator(`[data-testid="tune-trial-row"][data-trial="${trial}"]`)).toHaveAttribute('data-current', 'true');
  await expect(page.locator('[data-testid="tune-trial-row"][data-best="true"]')).toHaveCount(1);
});

test('a search survives a reload: its trials come back, it resumes where it was and finishes every trial', async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await smallModel(page, { hidden: '8', epochs: '2' });
  // Batches of 16: twice the steps of an epoch, so the moment to reload at (below) lasts a few seconds, not one.
  await setKnob(page, 'Batch size', '16');
  await page.getByTestId('tune-button').click();
  await page.getByTestId('tune-values-hidden').fill('4,8');
  await page.getByTestId('tune-values-lr').fill('0.003..0.03');
  await page.getByTestId('tune-trials').fill('4');
  await expect(page.getByTestId('tune-plan')).toHaveText('4 trials: 4 × 1 epoch, then 2 × 2');
  await page.getByTestId('tune-start').click();
  const rows = page.getByTestId('tune-trial-row');
  const statuses = () => rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status') ?? ''));
  // Reload once two trials have trained their first rung, while the third trains: polled every 100 ms, since that
  // moment ends when the last first-rung trial does (a CI run once polled past the whole 5 s search at 1 s intervals).
  await expect.poll(async () => (await statuses()).filter((s) => s === 'waiting').length, { timeout: 240_000, intervals: [100] }).toBeGreaterThanOrEqual(2);
  const before = await rows.evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-trial'), r.getAttribute('data-val-loss')]));

  await page.reload();
  const offer = page.getByTestId('tune-resume-offer');
  await expect(offer).toBeVisible();
  await expect(offer).toContainText('Continue your last search?');
  await expect(offer).toHaveAttribute('data-status', 'running');
  await expect(offer).toHaveAttribute('data-trials', '4');
  // No trial is offered as a run of its own: the search resumes them.
  await expect(page.getByTestId('resume-offer')).toHaveCount(0);
  // The trials table and curves as they were: every trial, those that had trained a rung with the same loss.
  await expect(rows).toHaveCount(4);
  const back = await statuses();
  expect(back.filter((s) => s === 'waiting').length).toBeGreaterThanOrEqual(2);
  expect(back).not.toContain('running');
  for (const [trial, loss] of before) {
    if (!loss) continue;
    await expect(page.locator(`[data-testid="tune-trial-row"][data-trial="${trial}"]`)).toHaveAttribute('data-val-loss', loss!);
  }
  const curves = page.getByTestId('tune-curves');
  expect(Number(await curves.getAttribute('data-lines'))).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: testInfo.outputPath('tune-reload-offer.png'), fullPage: false });

  await offer.getByTestId('tune-resume-offer-button').click();
  await expect(offer).toHaveCount(0);
  const summary = page.getByTestId('tune-summary');
  await expect(summary).toHaveAttribute('data-state', 'done', { timeout: 360_000 });
  await expect(summary).not.toContainText('(stopped)');
  expect((await statuses()).sort()).toEqual(['completed', 'completed', 'pruned', 'pruned']);
  // The losses of the trials that had trained before the reload are kept (a pruned one was not trained again).
  for (const [trial, loss] of before) {
    const row = page.locator(`[data-testid="tune-trial-row"][data-trial="${trial}"]`);
    if (loss && (await row.getAttribute('data-status')) === 'pruned') await expect(row).toHaveAttribute('data-val-loss', loss);
  }
  await expect(curves).toHaveAttribute('data-lines', '4');
  // Still one saved run per trial.
  await expect(page.getByTestId('run-history').getByTestId('run-row')).toHaveCount(4);
  await page.screenshot({ path: testInfo.outputPath('tune-reload-done.png'), fullPage: false });
  // A finished search is not offered again.
  await page.reload();
  await expect(page.getByTestId('run-history').getByTestId('run-row')).toHaveCount(4);
  await expect(page.getByTestId('tune-resume-offer')).toHaveCount(0);
  await expect(page.getByTestId('resume-offer')).toHaveCount(0);
});

test('a stopped search is kept, resumable; after a reload its offer can be discarded', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await smallModel(page, { hidden: '4', epochs: '1' });
  await page.getByTestId('tune-button').click();
  await page.getByTestId('tune-strategy').selectOption('random');
  await page.getByTestId('tune-vary-lr').uncheck();
  await page.getByTestId('tune-values-hidden').fill('3,4,5,6,7,8');
  await page.getByTestId('tune-trials').fill('6');
  await page.getByTestId('tune-start').click();
  const status = page.getByTestId('tune-status');
  await expect.poll(async () => Number(await status.getAttribute('data-finished')), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  await page.getByTestId('tune-stop').click();
  await expect(page.getByTestId('tune-summary')).toContainText('(stopped)', { timeout: 60_000 });
  const resume = page.getByTestId('tune-resume');
  await expect(resume).toBeVisible();
  const finished = Number(await status.getAttribute('data-finished'));

  await page.reload();
  const offer = page.getByTestId('tune-resume-offer');
  await expect(offer).toHaveAttribute('data-status', 'stopped');
  await expect(offer).toHaveAttribute('data-finished', String(finished));
  await expect(page.getByTestId('tune-trial-row')).toHaveCount(6);
  await offer.getByTestId('tune-resume-offer-discard').click();
  await expect(offer).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('run-history').getByTestId('run-row').first()).toBeVisible();
  await expect(page.getByTestId('tune-resume-offer')).toHaveCount(0);
  await expect(page.getByTestId('resume-offer')).toHaveCount(0);
  await expect(page.getByTestId('tune-trial-row')).toHaveCount(0);
});
