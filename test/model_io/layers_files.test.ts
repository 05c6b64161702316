// `train --out DIR`'s TF.js and Keras files: DIR/tfjs/model.json + weights and DIR/model.keras for an LSTM, Keras only
// for a GRU, neither for a differenced forecast, each skip a one-line note with the reason, and what is written opens.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModelManifest } from '../../src/export/manifest';
import { loadKerasModel } from '../../src/export/keras_import';
import { loadTfjsModel } from '../../src/export/tfjs_import';
import { writeLayersFiles } from '../../src/model_io/layers_files';
import { dataFor, modelConfig } from '../export/helpers';
import { seededParams } from '../export/keras_fixtures';

const root = mkdtempSync(join(tmpdir(), 'layers-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeLayersFiles', () => {
  it('an LSTM: tfjs/model.json, tfjs/group1-shard1of1.bin and model.keras, which open back', async () => {
    const c = modelConfig({ cell: 'lstm' });
    const manifest = buildModelManifest(c, dataFor(c));
    const dir = join(root, 'lstm');
    const out = await writeLayersFiles(dir, manifest, seededParams(c));
    expect(out.notes).toEqual([]);
    expect(out.written).toEqual([join(dir, 'tfjs', 'model.json'), join(dir, 'tfjs', 'group1-shard1of1.bin'), join(dir, 'model.keras')]);
    const tfjs = loadTfjsModel(readFileSync(join(dir, 'tfjs', 'model.json'), 'utf8'), new Map([['group1-shard1of1.bin', new Uint8Array(readFileSync(join(dir, 'tfjs', 'group1-shard1of1.bin')))]]));
    expect(tfjs.manifest).toEqual(manifest);
    expect((await loadKerasModel(new Uint8Array(readFileSync(join(dir, 'model.keras'))))).manifest).toEqual(manifest);
  });

  it('a GRU: model.keras only, and one line saying why there is no tfjs/', async () => {
    const c = modelConfig({ cell: 'gru' });
    const dir = join(root, 'gru');
    const out = await writeLayersFiles(dir, buildModelManifest(c, dataFor(c)), seededParams(c));
    expect(out.written).toEqual([join(dir, 'model.keras')]);
    expect(existsSync(join(dir, 'tfjs'))).toBe(false);
    expect(out.notes).toHaveLength(1);
    expect(out.notes[0]).toMatch(/^skipped tfjs\/ \(TF.js\): TF.js's GRU cannot express PyTorch's GRU: it rejects reset_after.*\.$/);
    expect(out.notes[0]).not.toContain('\n');
  });

  it('a differenced forecast: neither, one line each, nothing thrown', async () => {
    const c = modelConfig({ cell: 'lstm' });
    const manifest = { ...buildModelManifest(c, dataFor(c)), transform: { name: 'difference' as const, season: null, columns: [{ column: 't0', inputScale: 1, outputScale: 1 }] } };
    const out = await writeLayersFiles(join(root, 'diff'), manifest, seededParams(c));
    expect(out.written).toEqual([]);
    expect(out.notes).toEqual([
      'skipped tfjs/ (TF.js): the difference transform mixes time steps (each feature is a step minus the one before, and predictions add back the last value), which TF.js layers cannot express; export to ONNX or PyTorch instead.',
      'skipped model.keras (Keras): the difference transform mixes time steps (each feature is a step minus the one before, and predictions add back the last value), which Keras layers cannot express; export to ONNX or PyTorch instead.',
    ]);
  });
});
