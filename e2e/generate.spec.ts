// e2e: text generation — drop a .txt file, train a small character model, and watch samples appear and change by epoch.
import { expect, test } from '@playwright/test';
import { openApp, panelShot, setKnob } from './helpers';

const verse = [
  'Shall I compare thee to a summer\'s day?',
  'Thou art more lovely and more temperate:',
  'Rough winds do shake the darling buds of May,',
  'And summer\'s lease hath all too short a date;',
  '',
].join('\n');

test('a dropped .txt trains a language model: bits per character beside the baselines, and a sample after every epoch', async ({ page }, testInfo) => {
  await openApp(page);
  await page.getByTestId('dataset-file-input').setInputFiles({ name: 'sonnet.txt', mimeType: 'text/plain', buffer: Buffer.from(verse.repeat(8), 'utf8') });
  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toContainText('sonnet.txt');
  await expect(page.getByTestId('task-select')).toHaveValue('generate');
  await expect(page.getByLabel('Text column')).toHaveValue('text');
  await setKnob(page, 'Window', '24');
  const setSummary = page.getByTestId('set-summary');
  await expect(setSummary).toContainText(/unigram.*bits per character/s);
  await expect(setSummary).toContainText(/bigram.*bits per character/s);
  await setKnob(page, 'Hidden size', '8');
  await setKnob(page, 'Epochs', '3');
  const samples = page.getByTestId('samples-panel');
  await expect(samples).toBeVisible();
  await page.getByLabel('Length').fill('40');

  await page.getByTestId('train-button').click();
  const list = samples.getByTestId('sample');
  await expect(list).toHaveCount(3, { timeout: 240_000 });
  await expect(page.getByTestId('training-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const epochs = await list.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.epoch)));
  expect(epochs).toEqual([1, 2, 3]);
  const texts = await list.locator('pre').allTextContents();
  for (const t of texts) expect(Array.from(t)).toHaveLength(40);
  // The weights change between epochs, so (with the same seed) the samples do too.
  expect(new Set(texts).size).toBeGreaterThan(1);

  // On the button: the same seed and the same (final) weights write the same text again.
  await samples.getByTestId('sample-now').click();
  await expect(list).toHaveCount(4);
  const again = await list.locator('pre').allTextContents();
  expect(again[3]).toBe(again[2]);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await panelShot(samples, testInfo, 'samples');

  // The loss chart speaks bits per character; the gate heatmaps carry the passage's characters along time.
  await expect(page.locator('#chart-heading')).toHaveText('Loss (bits per character)');
  const metrics = page.getByTestId('metrics-table');
  await expect(metrics).toHaveAttribute('data-kind', 'generate');
  await expect(metrics.getByTestId('metrics-model')).toContainText(/This model \(epoch 3\)\s*\d/);
  await expect(metrics).toContainText(/Baseline: bigram\s*\d/);
  const gates = page.getByTestId('gate-heatmap');
  await expect(gates.getByTestId('token-strip').first()).toBeVisible();
  const strip = (await gates.getByTestId('token-strip').first().textContent()) ?? '';
  expect(Array.from(strip)).toHaveLength(24);
  const canvas = gates.getByTestId('heatmap-canvas').first();
  await canvas.hover({ position: { x: 2, y: 2 } });
  await expect(gates.getByTestId('heatmap-tooltip')).toContainText(/t 0 ".*" · unit \d+ · -?\d/);
  await panelShot(page.locator('section.gates'), testInfo, 'gates-with-characters');
});

test('an empty or binary .txt is refused with a message that says why', async ({ page }) => {
  await openApp(page);
  const input = page.getByTestId('dataset-file-input');
  await input.setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText(/empty/);
  await input.setInputFiles({ name: 'picture.txt', mimeType: 'text/plain', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49, 0x48]) });
  await expect(banner).toContainText(/looks binary/);
});

test('the built-in Shakespeare loads in one click as a text-generation set of 67 characters with its baselines', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('example-shakespeare').click();
  await expect(page.getByTestId('dataset-summary')).toContainText('Tiny Shakespeare');
  await expect(page.getByTestId('task-select')).toHaveValue('generate');
  const setSummary = page.getByTestId('set-summary');
  await expect(setSummary).toContainText('67 tokens in the vocabulary');
  await expect(setSummary).toContainText(/bigram.*3\.6\d* bits per character/s);
  await expect(page.getByTestId('samples-panel')).toBeVisible();
  // The page starts from `train --task generate`'s model: one LSTM layer of 128, clipping at 5, 10 epochs.
  await expect(page.getByLabel('Hidden size', { exact: true })).toHaveValue('128');
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('10');
  await expect(page.getByTestId('train-button')).toBeEnabled();
});
