// Tests `train FILE.txt --task generate` and `generate DIR` end to end on the GPU engine (Dawn; SwiftShader here: --engine webgpu): the
// metrics language modellers use, baselines, per-epoch samples, seeded sampling, and messages for bad input.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args';
import type { CliCommand } from '../../src/cli/command';
import { generateCommand } from '../../src/cli/commands/generate';
import { predictCommand } from '../../src/cli/commands/predict';
import { trainCommand, type ProgressIo } from '../../src/cli/commands/train';
import { buildGenerateSet } from '../../src/data/generate_set';
import { requestNodeDevice } from '../../src/gpu/node_device';
import { readModelDir } from '../../src/model_io/model_dir';
import { generateChoicesFromManifest } from '../../src/model_io/generate_description';
import { RecurrentTrainer } from '../../src/engine/recurrent_trainer';
import { StepModel } from '../../src/model_io/step_model';

async function run(command: CliCommand, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: ProgressIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const code = await command.run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'lstm-generate-'));
const textPath = join(dir, 'verse.txt');
const runDir = join(dir, 'run');
const TINY = ['--epochs', '2', '--hidden', '12', '--window', '16', '--batch', '16', '--embedding', '8', '--seed', '5', '--lr', '0.02', '--engine', 'webgpu'];
const text = 'The quick brown fox jumps over the lazy dog.\nA stitch in time saves nine.\n'.repeat(12);
let trained: Awaited<ReturnType<typeof run>>;

beforeAll(async () => {
  writeFileSync(textPath, text);
  trained = await run(trainCommand, [textPath, '--out', runDir, '--sample', '20', '--prime', 'The', ...TINY]);
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lstm-playground train FILE.txt --task generate', () => {
  it('writes metrics.json with bits per character, perplexity, unigram and bigram baselines and a sample per epoch', () => {
    expect(trained.code, trained.err).toBe(0);
    expect(trained.out).toMatch(/Validation: [\d.]+ bits per character, perplexity/);
    expect(trained.err).toMatch(/sample after epoch 2:\nThe/);
    const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    expect(m.task).toBe('generate');
    const set = buildGenerateSet(text, { task: 'generate', window: 16 });
    for (const split of ['validation', 'test'] as const) {
      const s = m[split];
      expect(s.count).toBe(set[split].count * 16);
      expect(s.bitsPerChar).toBeCloseTo(s.loss / Math.LN2, 9);
      expect(s.perplexity).toBeCloseTo(Math.exp(s.loss), 6);
    }
    // The engine's own validation loss of the last epoch is the same cross-entropy.
    expect(m.validation.loss).toBeCloseTo(m.epochs.at(-1).valLoss, 3);
    expect(m.baselines.map((b: { name: string }) => b.name)).toEqual(['unigram', 'bigram']);
    for (const b of m.baselines) expect(Object.keys(b.validation).sort()).toEqual(['bitsPerChar', 'count', 'loss', 'perplexity']);
    expect(m.baselines[1].validation.bitsPerChar).toBeLessThan(m.baselines[0].validation.bitsPerChar);
    expect(m.samples.map((s: { epoch: number }) => s.epoch)).toEqual([1, 2]);
    expect(m.samples[0].text).toHaveLength(20);
    const json = JSON.parse(readFileSync(join(runDir, 'model.json'), 'utf8'));
    expect(json.vocabulary.level).toBe('char');
    expect(json.vocabulary.lowercase).toBe(false);
    expect(json.vocabulary.tokens).toContain('\n');
    expect(json.config).toMatchObject({ headOn: 'every_step', loss: 'cross_entropy', window: 16, hiddenSize: 12 });
    expect(json.metrics.val_bits_per_char).toBeCloseTo(m.validation.bitsPerChar, 9);
    expect(generateChoicesFromManifest(readModelDir(runDir).manifest)).toMatchObject({ task: 'generate', textColumn: null, tokens: 'char', window: 16, stride: 16 });
  });

  it("the step model's logits for a primed sequence equal the GPU engine's every-step logits (1e-4)", async () => {
    const model = readModelDir(runDir);
    const v = model.manifest.vocabulary!;
    const ids = Array.from('The quick brown ', (ch) => v.tokens.indexOf(ch));
    const ctx = await requestNodeDevice();
    try {
      const trainer = await RecurrentTrainer.create(ctx.device, { ...model.config, batchSize: 1 });
      trainer.writeParameters(model.tensors);
      const gpu = await trainer.predict(Float32Array.from(ids), 1);
      trainer.dispose();
      const step = new StepModel(model.config, model.tensors);
      const V = model.config.vocabSize;
      let worst = 0;
      ids.forEach((id, t) => {
        const logits = step.step(id);
        for (let k = 0; k < V; k++) worst = Math.max(worst, Math.abs(logits[k] - gpu[t * V + k]) / Math.max(1, Math.abs(gpu[t * V + k])));
      });
      expect(worst).toBeLessThan(1e-4);
    } finally {
      ctx.device.destroy();
    }
  });
});

describe('lstm-playground generate', () => {
  it('prints only the generated text; the same seed writes the same text, another seed another', async () => {
    const a = await run(generateCommand, [runDir, '--prime', 'The', '--length', '40', '--temperature', '0.9', '--seed', '1']);
    const b = await run(generateCommand, [runDir, '--prime', 'The', '--length', '40', '--temperature', '0.9', '--seed', '1']);
    const c = await run(generateCommand, [runDir, '--prime', 'The', '--length', '40', '--temperature', '0.9', '--seed', '2']);
    expect([a.code, a.err]).toEqual([0, '']);
    expect(Array.from(a.out)).toHaveLength(40);
    expect(b.out).toBe(a.out);
    expect(c.out).not.toBe(a.out);
    const greedy = await run(generateCommand, [runDir, '--prime', 'The', '--length', '30', '--temperature', '0', '--top-k', '5']);
    const greedy2 = await run(generateCommand, [runDir, '--prime', 'The', '--length', '30', '--temperature', '0', '--seed', '9']);
    expect(greedy.out).toBe(greedy2.out);
  });

  it('refuses bad options and models that do not write text', async () => {
    await expect(run(generateCommand, [runDir, '--temperature', '-1'])).rejects.toThrow(UsageError);
    await expect(run(generateCommand, [runDir, '--top-p', '0'])).rejects.toThrow(/top-p/);
    await expect(run(generateCommand, [])).rejects.toThrow(/model folder/);
    const predicted = await run(predictCommand, [runDir, textPath]);
    expect([predicted.code, predicted.err]).toEqual([1, expect.stringMatching(/text-generation model.*lstm-playground generate/)]);
    const missing = await run(generateCommand, [join(dir, 'nothing')]);
    expect([missing.code, missing.err]).toEqual([1, expect.stringMatching(/Cannot read the model folder/)]);
  });
});

/** The Python with torch (as test/export/pytorch_run.test.ts): LSTM_TEST_PYTHON, else Debian's /usr/bin/python3. */
const PYTHON = process.env.LSTM_TEST_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const noTorch = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'pipe', timeout: 60_000 });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
})();
if (noTorch) console.warn(`SKIPPED: the PyTorch generate() checks in test/cli/generate.test.ts: ${PYTHON} cannot import torch.`);

describe('exports of a text-generation model', () => {
  const prime = 'The quick brown fox';
  const engineLogits = () => {
    const model = readModelDir(runDir);
    const v = model.manifest.vocabulary!;
    const ids = Array.from(prime, (ch) => v.tokens.indexOf(ch));
    const step = new StepModel(model.config, model.tensors);
    return { model, ids, logits: ids.map((id) => step.step(id)) };
  };
  const worstGap = (a: ArrayLike<number>[], b: (t: number, k: number) => number) => {
    let worst = 0;
    a.forEach((row, t) => {
      for (let k = 0; k < row.length; k++) worst = Math.max(worst, Math.abs(row[k] - b(t, k)) / Math.max(1, Math.abs(row[k])));
    });
    return worst;
  };

  it('ONNX Runtime: the stateful graph gives the same next-token logits, whole or one token at a time, and the same greedy text', async () => {
    const { model, ids, logits } = engineLogits();
    const session = await ort.InferenceSession.create(readFileSync(join(runDir, 'model.onnx')));
    expect(session.inputNames).toEqual(['tokens', 'h0', 'c0']);
    expect(session.outputNames).toEqual(['logits', 'hn', 'cn']);
    const { numLayers: L, hiddenSize: H, vocabSize: V } = model.config;
    const zeros = () => new ort.Tensor('float32', new Float32Array(L * H), [L, 1, H]);
    const tokens = (list: number[]) => new ort.Tensor('int64', BigInt64Array.from(list, (i) => BigInt(i)), [1, list.length]);
    const whole = await session.run({ tokens: tokens(ids), h0: zeros(), c0: zeros() });
    const wholeLogits = whole.logits.data as Float32Array;
    expect(worstGap(logits, (t, k) => wholeLogits[t * V + k])).toBeLessThan(1e-4);
    // Incrementally: the state out of one call is the state into the next.
    let h: ort.Tensor = zeros(), c: ort.Tensor = zeros();
    const stepped: Float32Array[] = [];
    for (const id of ids) {
      const r = await session.run({ tokens: tokens([id]), h0: h, c0: c });
      stepped.push(r.logits.data as Float32Array);
      h = r.hn as ort.Tensor;
      c = r.cn as ort.Tensor;
    }
    expect(worstGap(logits, (t, k) => stepped[t][k])).toBeLessThan(1e-4);
    // Greedy decoding with ONNX Runtime writes what `generate --temperature 0` writes.
    const v = model.manifest.vocabulary!;
    let last = stepped.at(-1)!;
    const written: string[] = [];
    for (let n = 0; n < 30; n++) {
      let best = 2;
      for (let k = 2; k < V; k++) if (last[k] > last[best]) best = k;
      written.push(v.tokens[best]);
      const r = await session.run({ tokens: tokens([best]), h0: h, c0: c });
      [last, h, c] = [r.logits.data as Float32Array, r.hn as ort.Tensor, r.cn as ort.Tensor];
    }
    const cli = await run(generateCommand, [runDir, '--prime', prime, '--length', '30', '--temperature', '0']);
    expect(written.join('')).toBe(cli.out);
  });

  const SETTINGS = [
    { temperature: 0, topK: 0, topP: 1, seed: 1 },
    { temperature: 0.9, topK: 0, topP: 1, seed: 7 },
    { temperature: 1.2, topK: 5, topP: 0.9, seed: 3 },
  ];

  it.skipIf(noTorch !== null)('load_in_pytorch.py: generate() gives the same logits (1e-4), the same greedy text and the same seeded sample', async () => {
    const { logits } = engineLogits();
    const script = join(runDir, 'load_in_pytorch.py');
    const code = [
      'import importlib.util, json, sys',
      `spec = importlib.util.spec_from_file_location("lp", ${JSON.stringify(script)})`,
      'lp = importlib.util.module_from_spec(spec); spec.loader.exec_module(lp)',
      `model, m = lp.load_model(${JSON.stringify(runDir)})`,
      `out, _ = lp.step_logits(model, lp.prime_ids(m, ${JSON.stringify(prime)}))`,
      `samples = [lp.generate(model, m, ${JSON.stringify(prime)}, 50, *s) for s in ${JSON.stringify(SETTINGS.map((s) => [s.temperature, s.topK, s.topP, s.seed]))}]`,
      'print(json.dumps({"logits": out.double().tolist(), "samples": samples}))',
    ].join('\n');
    const torch = JSON.parse(execFileSync(PYTHON, ['-c', code], { encoding: 'utf8' })) as { logits: number[][]; samples: string[] };
    expect(worstGap(logits, (t, k) => torch.logits[t][k])).toBeLessThan(1e-4);
    for (const [i, s] of SETTINGS.entries()) {
      const cli = await run(generateCommand, [runDir, '--prime', prime, '--length', '50', '--temperature', String(s.temperature), '--top-k', String(s.topK), '--top-p', String(s.topP), '--seed', String(s.seed)]);
      expect(torch.samples[i], JSON.stringify(s)).toBe(cli.out);
    }
    // The script's own command line writes the same greedy text.
    const py = execFileSync(PYTHON, [script, '--prime', prime, '--length', '50', '--temperature', '0'], { encoding: 'utf8' });
    expect(py).toBe(`${torch.samples[0]}\n`);
  });
});

describe('train --task generate with bad input', () => {
  const bad = async (name: string, content: string | Uint8Array, extra: string[] = []) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return run(trainCommand, [path, '--out', join(dir, `out-${name}`), ...extra]);
  };

  it('says so for an empty file, a binary file, non-UTF-8 text and a text shorter than one window', async () => {
    expect(await bad('empty.txt', '')).toMatchObject({ code: 1, err: expect.stringMatching(/empty\.txt is empty/) });
    expect(await bad('image.txt', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toMatchObject({ code: 1, err: expect.stringMatching(/looks binary/) });
    expect(await bad('latin1.txt', Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a]))).toMatchObject({ code: 1, err: expect.stringMatching(/not UTF-8/) });
    expect(await bad('short.txt', 'Too short to learn from.', ['--window', '64'])).toMatchObject({ code: 1, err: expect.stringMatching(/fewer than one window of 64/) });
  });

  it('says so for a vocabulary over the head limit and for logits that do not fit the GPU buffer limit', async () => {
    expect(await bad('vocab.txt', text, ['--tokens', 'word', '--vocab', '5000'])).toMatchObject({ code: 1, err: expect.stringMatching(/vocabulary size must be a whole number from 3 to 4096/) });
    const big = 'The quick brown fox jumps over the lazy dog.\nA stitch in time saves nine.\n'.repeat(300);
    // the GPU engine's limit (the CPU engine allocates for the batches the few windows make, and trains this)
    const r = await bad('big.txt', big, ['--epochs', '1', '--hidden', '8', '--window', '4096', '--batch', '4096', '--val', '0.4', '--test', '0', '--engine', 'webgpu']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/over this GPU's limit.*batch × window × vocabulary \(4096 × 4096 × \d+\) floats: lower --vocab, --window or --batch/);
  });

  it('refuses options that do not apply', async () => {
    await expect(bad('ok.txt', text, ['--task', 'forecast'])).rejects.toThrow(/plain-text file, which trains only --task generate/);
    await expect(bad('ok2.txt', text, ['--bidirectional'])).rejects.toThrow(/reads left to right/);
    await expect(bad('ok3.txt', text, ['--label', 'x'])).rejects.toThrow(/--label does not apply to generate/);
  });
});
