// e2e, TF.js and Keras files in the page: a .keras model opens in the worker (h5wasm under the page's CSP), a damaged
// one is refused by name keeping the current model, and the model exports back as model.keras and as TF.js files.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { expect, test, type Download, type Page } from '@playwright/test';
import { openApp } from './helpers';

async function downloadsOf(page: Page, testId: string, count: number): Promise<Map<string, Download>> {
  const got: Download[] = [];
  const on = (d: Download) => got.push(d);
  page.on('download', on);
  await page.getByTestId(testId).click();
  await expect.poll(() => got.length, { timeout: 30_000 }).toBe(count);
  page.off('download', on);
  return new Map(got.map((d) => [d.suggestedFilename(), d]));
}

/** A small LSTM forecaster of one column as a .keras file, built on the Node side (e2e/keras_fixture.ts under tsx). */
async function kerasFile(path: string): Promise<Buffer> {
  execFileSync(process.execPath, ['--import', 'tsx', resolve('e2e', 'keras_fixture.ts'), path], { stdio: 'pipe', timeout: 120_000 });
  return readFile(path);
}

test('open a .keras model, refuse a damaged one, export Keras and TF.js, each format saying where it loads', async ({ page }, testInfo) => {
  await openApp(page);
  for (const id of ['safetensors', 'onnx', 'tfjs', 'keras', 'json', 'load-script', 'train-script']) {
    await expect(page.getByTestId(`export-${id}-loads`)).not.toBeEmpty();
  }
  await expect(page.getByTestId('export-keras-loads')).toContainText('Keras 3');
  await expect(page.getByTestId('export-tfjs-loads')).toContainText('tf.loadLayersModel');

  const good = await kerasFile(join(mkdtempSync(join(tmpdir(), 'e2e-keras-')), 'mine.keras'));
  const input = page.getByTestId('import-model-input');
  await input.setInputFiles({ name: 'mine.keras', mimeType: 'application/zip', buffer: good });
  const info = page.getByTestId('model-info');
  await expect(info).toHaveAttribute('data-source', 'imported');
  await expect(info).toContainText('LSTM 1 × 6');

  // A damaged archive is refused by name; the model already open stays.
  await input.setInputFiles({ name: 'broken.keras', mimeType: 'application/zip', buffer: good.subarray(0, good.length >> 1) });
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText('Could not import the model');
  await expect(banner).toContainText('model.keras');
  await expect(info).toHaveAttribute('data-source', 'imported');
  await expect(info).toContainText('LSTM 1 × 6');
  await banner.getByRole('button', { name: 'Dismiss error' }).click();

  const keras = await downloadsOf(page, 'export-keras', 1);
  const kerasPath = testInfo.outputPath('model.keras');
  await keras.get('model.keras')!.saveAs(kerasPath);
  expect(Object.keys(unzipSync(new Uint8Array(await readFile(kerasPath))))).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);

  const tfjs = await downloadsOf(page, 'export-tfjs', 2);
  expect([...tfjs.keys()].sort()).toEqual(['group1-shard1of1.bin', 'tfjs-model.json']);
  const tfjsPath = testInfo.outputPath('tfjs-model.json');
  await tfjs.get('tfjs-model.json')!.saveAs(tfjsPath);
  const tfjsJson = JSON.parse(await readFile(tfjsPath, 'utf8'));
  expect(tfjsJson.format).toBe('layers-model');
  expect(tfjsJson.modelTopology.config.layers[0].class_name).toBe('LSTM');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});
