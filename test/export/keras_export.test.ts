// model.keras read back with zipfile + h5py (Debian's python3-h5py) and run in numpy with Keras's conventions (the
// gate orders, GRU reset_after bias [2, 3u], Bidirectional, the layer paths of Keras 3's saving_lib) against the
// float64 reference: every cell, stacked, bidirectional, embedding, both heads. Skips loudly without h5py.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModelManifest } from '../../src/export/manifest';
import { buildKerasModel, kerasConfig, kerasProblem, KERAS_METADATA_KEY } from '../../src/export/keras_export';
import { readH5 } from '../../src/export/h5_file';
import type { TrainConfig } from '../../src/engine/config';
import { dataFor, maxAbsDiff, modelConfig, rawInputs } from './helpers';
import { KERAS_CASES, referenceOriginal, seededParams } from './keras_fixtures';

const PYTHON = process.env.LSTM_TEST_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const SCRIPT = join(__dirname, 'keras_forward.py');

function h5pyProblem(): string | null {
  try {
    execFileSync(PYTHON, ['-c', 'import h5py, numpy'], { stdio: 'pipe', timeout: 60_000 });
    return null;
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    return `${PYTHON} cannot import h5py and numpy (${err.stderr?.toString().trim().split('\n').at(-1) ?? err.message}); install python3-h5py (Debian) or set LSTM_TEST_PYTHON`;
  }
}
const problem = h5pyProblem();
if (problem) console.warn(`[keras export] SKIPPING the h5py checks: ${problem}`);

const dir = mkdtempSync(join(tmpdir(), 'keras-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface PyResult {
  zip: string[];
  layout: [string, number[], string][];
  metadata_keys: string[];
  prediction: number[];
  shape: number[];
}

function runPython(bytes: Uint8Array, c: TrainConfig, raw: Float32Array, batch: number, name: string): PyResult {
  const path = join(dir, `${name.replace(/\W+/g, '_')}.keras`);
  writeFileSync(path, bytes);
  const shape = c.vocabSize > 0 ? [batch, c.window] : [batch, c.window, c.inputSize];
  const out = execFileSync(PYTHON, [SCRIPT], { input: JSON.stringify({ path, inputs: Array.from(raw), shape }), timeout: 120_000, maxBuffer: 64 << 20 });
  return JSON.parse(out.toString()) as PyResult;
}

/** The datasets Keras 3 writes for this model, by its saving_lib's paths. */
function expectedLayout(c: TrainConfig): [string, number[]][] {
  const H = c.hiddenSize, G = c.cell === 'lstm' ? 4 : c.cell === 'gru' ? 3 : 1, D = c.bidirectional ? 2 : 1;
  const cls = c.cell === 'lstm' ? 'lstm' : c.cell === 'gru' ? 'gru' : 'simple_rnn';
  const out: [string, number[]][] = [];
  if (c.vocabSize > 0) out.push(['layers/embedding/vars/0', [c.vocabSize, c.inputSize]]);
  for (let l = 0; l < c.numLayers; l++) {
    const base = `layers/${c.bidirectional ? 'bidirectional' : cls}${l === 0 ? '' : `_${l}`}`;
    for (const owner of c.bidirectional ? [`${base}/backward_layer`, `${base}/forward_layer`] : [base]) {
      out.push([`${owner}/cell/vars/0`, [l === 0 ? c.inputSize : D * H, G * H]], [`${owner}/cell/vars/1`, [H, G * H]], [`${owner}/cell/vars/2`, c.cell === 'gru' ? [2, G * H] : [G * H]]);
    }
  }
  out.push(['layers/dense/vars/0', [D * H, c.outputSize]], ['layers/dense/vars/1', [c.outputSize]]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

describe.skipIf(problem !== null)('model.keras read with h5py and run with Keras conventions matches the float64 reference', () => {
  for (const [name, c] of KERAS_CASES) {
    it(`${name}: the Keras 3 layout, and max |diff| <= 1e-4`, async () => {
      const data = dataFor(c);
      const p = seededParams(c);
      const bytes = await buildKerasModel(buildModelManifest(c, data), p);
      const batch = 4;
      const raw = rawInputs(c, data, batch, c.seed + 200);
      const py = runPython(bytes, c, raw, batch, name);
      expect(py.zip).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
      expect(py.metadata_keys).toEqual(['date_saved', 'keras_version', KERAS_METADATA_KEY, 'producer'].sort());
      const layout = py.layout.map(([path, shape, dtype]) => { expect(dtype).toBe('float32'); return [path, shape]; }).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      expect(layout).toEqual(expectedLayout(c));
      expect(py.shape).toEqual(c.headOn === 'every_step' ? [batch, c.window, c.outputSize] : [batch, c.outputSize]);
      const want = referenceOriginal(c, data, p, raw, batch);
      const diff = maxAbsDiff(py.prediction, want);
      console.log(`[keras (h5py + numpy) vs reference] ${name}: max |diff| ${diff.toExponential(2)} (outputs up to ${Math.max(...Array.from(want, Math.abs)).toFixed(2)})`);
      expect(diff).toBeLessThanOrEqual(1e-4);
    });
  }

  it('negative control: PyTorch gate order written as is (GRU r,z,n taken for z,r,h) misses by far more than 1e-4', async () => {
    const c = modelConfig({ cell: 'gru', seed: 8 });
    const data = dataFor(c);
    const p = seededParams(c);
    const H = c.hiddenSize;
    // Swapping PyTorch's r and z blocks before the export is exactly what skipping the reorder would write.
    const swapped = p.map((t) => {
      if (!t.name.startsWith('weight_') && !t.name.startsWith('bias_')) return t;
      const cols = t.shape[1] ?? 1, d = t.data.slice();
      d.set(t.data.subarray(H * cols, 2 * H * cols), 0);
      d.set(t.data.subarray(0, H * cols), H * cols);
      return { ...t, data: d };
    });
    const raw = rawInputs(c, data, 3, 5);
    const py = runPython(await buildKerasModel(buildModelManifest(c, data), swapped), c, raw, 3, 'swapped');
    expect(maxAbsDiff(py.prediction, referenceOriginal(c, data, p, raw, 3))).toBeGreaterThan(1e-2);
  });
});

describe('model.keras content', () => {
  it('config.json is a Keras 3 Sequential with an InputLayer, GRU reset_after=True and sigmoid gates', () => {
    const c = modelConfig({ cell: 'gru', numLayers: 2, bidirectional: true });
    const cfg = kerasConfig(c) as { class_name: string; config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    expect(cfg.class_name).toBe('Sequential');
    expect(cfg.config.layers.map((l) => l.class_name)).toEqual(['InputLayer', 'Bidirectional', 'Bidirectional', 'Reshape', 'Cropping2D', 'Reshape', 'Dense']);
    const inner = cfg.config.layers[1].config.layer as { class_name: string; config: Record<string, unknown> };
    expect(inner.class_name).toBe('GRU');
    expect(inner.config).toMatchObject({ reset_after: true, recurrent_activation: 'sigmoid', activation: 'tanh', return_sequences: true });
    expect(cfg.config.layers[4].config.cropping).toEqual([[c.window - 1, 0], [0, 0]]);
  });

  it('metadata.json carries model.json, and the weights are readable back with h5wasm', async () => {
    const c = modelConfig({ cell: 'lstm' });
    const manifest = buildModelManifest(c, dataFor(c));
    const files = unzipSync(await buildKerasModel(manifest, seededParams(c)));
    expect(Object.keys(files)).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    const meta = JSON.parse(strFromU8(files['metadata.json']));
    expect(meta[KERAS_METADATA_KEY]).toEqual(manifest);
    const shape = await readH5(files['model.weights.h5'], (r) => r.dataset('layers/lstm/cell/vars/0')?.shape);
    expect(shape).toEqual([c.inputSize, 4 * c.hiddenSize]);
  });

  it('a target transform is refused with the reason', async () => {
    const c = modelConfig({ cell: 'gru' });
    const manifest = { ...buildModelManifest(c, dataFor(c)), transform: { name: 'log' as const, season: null, columns: [{ column: 't0', inputScale: 1, outputScale: 1 }] } };
    expect(kerasProblem(manifest)).toMatch(/^the log transform .* which Keras layers cannot express; export to ONNX or PyTorch instead$/);
    await expect(buildKerasModel(manifest, seededParams(c))).rejects.toThrow(/No Keras export: the log transform/);
  });
});
