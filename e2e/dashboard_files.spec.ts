// e2e, Model files (issue 7): export safetensors + model.json, ONNX, model.json and the PyTorch scripts; import the
// pair back (validated: a corrupt file is refused and the model kept); predict on a new CSV and download the CSV.
import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from '@playwright/test';
import { noisySineCsv } from '../src/data/builtin_datasets';
import { decodeSafetensors } from '../src/export/safetensors';
import { openApp, panel, panelShot, smallModel, trainToEnd } from './helpers';

async function downloadsOf(page: Page, testId: string, count: number): Promise<Map<string, Download>> {
  const got: Download[] = [];
  const on = (d: Download) => got.push(d);
  page.on('download', on);
  await page.getByTestId(testId).click();
  await expect.poll(() => got.length, { timeout: 30_000 }).toBe(count);
  page.off('download', on);
  return new Map(got.map((d) => [d.suggestedFilename(), d]));
}

test('export every format, import the pair back to keep training, refuse a corrupt file, predict on a CSV', async ({ page }, testInfo) => {
  await openApp(page);
  await smallModel(page, { window: '12', epochs: '1' });
  await trainToEnd(page, 120_000);

  const pair = await downloadsOf(page, 'export-safetensors', 2);
  expect([...pair.keys()].sort()).toEqual(['model.json', 'model.safetensors']);
  const stPath = testInfo.outputPath('model.safetensors');
  const jsonPath = testInfo.outputPath('model.json');
  await pair.get('model.safetensors')!.saveAs(stPath);
  await pair.get('model.json')!.saveAs(jsonPath);
  const st = new Uint8Array(await readFile(stPath));
  expect(decodeSafetensors(st).tensors.map((t) => t.name)).toContain('lstm.weight_hh_l0');
  const manifest = JSON.parse(await readFile(jsonPath, 'utf8'));
  expect(manifest).toMatchObject({ format: 'lstm-playground/model', task: 'forecast', window: 12, inputColumns: ['value'], targetColumns: ['value'] });

  const onnx = await downloadsOf(page, 'export-onnx', 1);
  const onnxPath = testInfo.outputPath('model.onnx');
  await onnx.get('model.onnx')!.saveAs(onnxPath);
  const onnxBytes = await readFile(onnxPath);
  expect(onnxBytes.length).toBeGreaterThan(1000);
  expect(onnxBytes.includes(Buffer.from('LSTM'))).toBe(true);
  const json = await downloadsOf(page, 'export-json', 1);
  expect([...json.keys()]).toEqual(['model.json']);
  const load = await downloadsOf(page, 'export-load-script', 1);
  const loadPath = testInfo.outputPath('load_in_pytorch.py');
  await load.get('load_in_pytorch.py')!.saveAs(loadPath);
  expect(await readFile(loadPath, 'utf8')).toContain('safetensors');
  const trainScript = await downloadsOf(page, 'export-train-script', 1);
  expect([...trainScript.keys()]).toEqual(['train_pytorch.py']);

  // A corrupt weight file is refused by name and the trained model stays.
  const input = page.getByTestId('import-model-input');
  await input.setInputFiles([
    { name: 'model.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(st.subarray(0, st.length - 17)) },
    { name: 'model.json', mimeType: 'application/json', buffer: await readFile(jsonPath) },
  ]);
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText('Could not import the model');
  await expect(banner).toContainText('model.safetensors');
  await expect(page.getByTestId('model-info')).toHaveAttribute('data-source', 'trained');
  await expect(page.getByTestId('training-status')).toHaveAttribute('data-state', 'done');
  await banner.getByRole('button', { name: 'Dismiss error' }).click();

  // The good pair comes back as the current model, paused at its weights, and keeps training with Step.
  await input.setInputFiles([stPath, jsonPath]);
  await expect(page.getByTestId('model-info')).toHaveAttribute('data-source', 'imported');
  await expect(page.getByTestId('model-info')).toHaveAttribute('data-trainable', 'true');
  const status = page.getByTestId('training-status');
  await expect(status).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', '1');
  await page.getByTestId('step-button').click();
  await expect(status).toHaveAttribute('data-step', '1');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);

  // Predictions on a new CSV with the same columns, downloaded as CSV.
  const got: Download[] = [];
  page.on('download', (d) => got.push(d));
  await page.getByTestId('predict-file-input').setInputFiles({ name: 'fresh.csv', mimeType: 'text/csv', buffer: Buffer.from(noisySineCsv(60, 99)) });
  await expect.poll(() => got.length, { timeout: 30_000 }).toBe(1);
  expect(got[0].suggestedFilename()).toBe('predictions-fresh.csv');
  const predPath = testInfo.outputPath('predictions.csv');
  await got[0].saveAs(predPath);
  const lines = (await readFile(predPath, 'utf8')).trim().split('\n');
  expect(lines[0]).toBe('last_row,last_step,value t+1');
  expect(lines.length).toBe(1 + 60 - 12 + 1);
  expect(lines.slice(1).every((l) => Number.isFinite(Number(l.split(',')[2])))).toBe(true);
  await expect(page.getByTestId('predictions-info')).toContainText('fresh.csv');
  await panelShot(panel(page, 'Model files'), testInfo, 'model-files');
  await page.getByTestId('stop-button').click();
});
