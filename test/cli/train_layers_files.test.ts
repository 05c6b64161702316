// `lstm-playground train --out DIR` (the engine --engine auto picks, tiny data) also writes DIR/tfjs/model.json + weights and
// DIR/model.keras; a GRU gets model.keras only, a differenced forecast neither, each skip one `train:` line, exit 0.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainCommand, type ProgressIo } from '../../src/cli/commands/train';
import { loadKerasModel } from '../../src/export/keras_import';
import { loadTfjsModel } from '../../src/export/tfjs_import';

async function train(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: ProgressIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false, progress: () => {} };
  const code = await trainCommand.run(argv, io);
  return { code, err };
}

const dir = mkdtempSync(join(tmpdir(), 'lstm-cli-layers-'));
const csv = join(dir, 'sine.csv');
writeFileSync(csv, `t,value\n${Array.from({ length: 160 }, (_, i) => `${i},${Math.sin(i * 0.3).toFixed(5)}`).join('\n')}\n`);
const TINY = ['--epochs', '1', '--hidden', '4', '--window', '6', '--batch', '32', '--seed', '3'];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('train --out writes the TF.js and Keras files', () => {
  it('an LSTM: tfjs/model.json + group1-shard1of1.bin and model.keras, both opening back as the run’s model', async () => {
    const out = join(dir, 'lstm');
    const r = await train([csv, '--out', out, '--transform', 'none', ...TINY]);
    expect(r.code).toBe(0);
    expect(r.err.filter((l) => l.startsWith('train: skipped'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    const tfjs = loadTfjsModel(readFileSync(join(out, 'tfjs', 'model.json'), 'utf8'), new Map([['group1-shard1of1.bin', new Uint8Array(readFileSync(join(out, 'tfjs', 'group1-shard1of1.bin')))]]));
    expect(tfjs.manifest).toEqual(manifest);
    expect((await loadKerasModel(new Uint8Array(readFileSync(join(out, 'model.keras'))))).config).toEqual(manifest.config);
  });

  it('a GRU with a difference transform: neither file, one line each, and the run still succeeds', async () => {
    const out = join(dir, 'gru');
    const r = await train([csv, '--out', out, '--cell', 'gru', '--transform', 'difference', ...TINY]);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
    expect(existsSync(join(out, 'tfjs'))).toBe(false);
    expect(existsSync(join(out, 'model.keras'))).toBe(false);
    const skipped = r.err.filter((l) => l.startsWith('train: skipped'));
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatch(/^train: skipped tfjs\/ \(TF.js\): TF.js's GRU cannot express PyTorch's GRU/);
    expect(skipped[1]).toMatch(/^train: skipped model.keras \(Keras\): the difference transform mixes time steps/);
  });
});
