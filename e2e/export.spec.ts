// e2e: after one epoch, Export downloads model.safetensors (PyTorch state_dict keys, right shapes) and model.json.
import { readFile } from 'node:fs/promises';
import { expect, test, type Download } from '@playwright/test';
import { decodeSafetensors } from '../src/export/safetensors';
import { openApp, setKnob, trainToEnd } from './helpers';

test('exports the trained weights as safetensors and the run as JSON', async ({ page }, testInfo) => {
  await openApp(page);
  await setKnob(page, 'Hidden size', '16');
  await setKnob(page, 'Epochs', '1');
  await trainToEnd(page, 120_000);

  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByTestId('export-safetensors').click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);

  const byName = new Map(downloads.map((d) => [d.suggestedFilename(), d]));
  expect([...byName.keys()].sort()).toEqual(['model.json', 'model.safetensors']);
  const stPath = testInfo.outputPath('model.safetensors');
  const jsonPath = testInfo.outputPath('model.json');
  await byName.get('model.safetensors')!.saveAs(stPath);
  await byName.get('model.json')!.saveAs(jsonPath);

  const { tensors, metadata } = decodeSafetensors(new Uint8Array(await readFile(stPath)));
  const H = 16;
  const expected: Record<string, number[]> = {
    'lstm.weight_ih_l0': [4 * H, 1],
    'lstm.weight_hh_l0': [4 * H, H],
    'lstm.bias_ih_l0': [4 * H],
    'lstm.bias_hh_l0': [4 * H],
    'head.weight': [1, H],
    'head.bias': [1],
  };
  expect(tensors.map((t) => t.name).sort()).toEqual(Object.keys(expected).sort());
  for (const t of tensors) {
    expect(t.shape, t.name).toEqual(expected[t.name]);
    expect(t.data.length, t.name).toBe(t.shape.reduce((a, b) => a * b, 1));
    expect(t.data.every(Number.isFinite), `${t.name} is finite`).toBe(true);
  }
  expect(tensors.find((t) => t.name === 'lstm.weight_hh_l0')!.data.some((v) => v !== 0)).toBe(true);
  expect(JSON.parse(metadata.config).hiddenSize).toBe(H);

  const json = JSON.parse(await readFile(jsonPath, 'utf8'));
  expect(json.config).toMatchObject({ cell: 'lstm', hiddenSize: H, inputSize: 1, outputSize: 1, window: 24, epochs: 1 });
  // model.json (issue 7 manifest): normalization per input feature and per target, normalized = (raw - a) / b.
  expect(json.normalization.targets).toHaveLength(1);
  expect(json.normalization.targets[0]).toMatchObject({ kind: 'zscore', column: 'value' });
  expect(Number.isFinite(json.normalization.targets[0].a)).toBe(true);
  expect(json.normalization.targets[0].b).toBeGreaterThan(0);
  expect(json).toMatchObject({ task: 'forecast', inputColumns: ['value'], targetColumns: ['value'], window: 24, horizon: 1 });
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});
