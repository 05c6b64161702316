// model.onnx in ONNX Runtime against the float64 reference model (no GPU): every cell, direction, depth, head and input kind.
import { describe, expect, it } from 'vitest';
import { initialParameters } from '../../src/engine/init';
import { paramLayout } from '../../src/engine/param_layout';
import { buildModelManifest } from '../../src/export/manifest';
import { buildOnnxModel, ONNX_OPSET } from '../../src/export/onnx_export';
import { onnx, type GraphProto, type NodeProto } from '../../src/export/onnx_proto';
import type { NamedTensor } from '../../src/engine/tensor';
import { forward } from '../../src/reference/recurrent_reference';
import type { TrainConfig } from '../../src/engine/config';
import { dataFor, denormalizeOutputs, maxAbsDiff, MODEL_CASES, modelConfig, normalizeInputs, rawInputs, runOnnx } from './helpers';
import { referenceSpec } from '../../src/reference/reference_spec';

/** Seeded parameters, scaled up so that gates saturate and a wrong gate order cannot hide. */
function params(c: TrainConfig, scale = 3): NamedTensor[] {
  const layout = paramLayout(c);
  const flat = initialParameters(layout, c.hiddenSize, c.seed);
  return layout.slots.map((s) => ({
    name: s.name,
    shape: s.shape,
    data: Float32Array.from(flat.subarray(s.offset, s.offset + s.size), (v) => (s.name === 'embedding.weight' ? v : v * scale)),
  }));
}

function referencePrediction(c: TrainConfig, p: NamedTensor[], x: Float32Array, batch: number): Float64Array {
  const map = new Map(p.map((t) => [t.name, Float64Array.from(t.data)]));
  return forward(referenceSpec(c), map, x, batch, c.window).prediction;
}

describe('model.onnx in ONNX Runtime matches the float64 reference', () => {
  for (const [name, c] of MODEL_CASES) {
    it(`${name}: raw inputs in, original units (or logits) out, max |diff| <= 1e-4`, async () => {
      const data = dataFor(c);
      const p = params(c);
      const manifest = buildModelManifest(c, data);
      const model = buildOnnxModel(manifest, p);
      const batch = 5;
      const raw = rawInputs(c, data, batch, c.seed + 100);
      const { data: got, dims } = await runOnnx(model, c, raw, batch);
      expect(dims).toEqual(c.headOn === 'every_step' ? [batch, c.window, c.outputSize] : [batch, c.outputSize]);
      const want = denormalizeOutputs(c, data, referencePrediction(c, p, normalizeInputs(c, data, raw), batch));
      const diff = maxAbsDiff(got, want);
      console.log(`[onnx vs reference] ${name}: max |diff| ${diff.toExponential(2)} (outputs up to ${Math.max(...Array.from(want, Math.abs)).toFixed(2)})`);
      expect(diff).toBeLessThanOrEqual(1e-4);
    });
  }

  it('a wrong gate order would be caught: swapping two LSTM gate blocks changes the output by far more than 1e-4', async () => {
    const c = modelConfig({ cell: 'lstm' });
    const data = dataFor(c);
    const p = params(c);
    const H = c.hiddenSize;
    const swapped = p.map((t) => {
      if (t.name !== 'weight_hh_l0') return t;
      const d = t.data.slice();
      d.set(t.data.subarray(2 * H * H, 3 * H * H), H * H); // f ← g
      d.set(t.data.subarray(H * H, 2 * H * H), 2 * H * H); // g ← f
      return { ...t, data: d };
    });
    const raw = rawInputs(c, data, 3, 5);
    const manifest = buildModelManifest(c, data);
    const good = await runOnnx(buildOnnxModel(manifest, p), c, raw, 3);
    const bad = await runOnnx(buildOnnxModel(manifest, swapped), c, raw, 3);
    expect(maxAbsDiff(good.data, bad.data)).toBeGreaterThan(1e-2);
  });
});

describe('model.onnx structure', () => {
  it('is opset 17 with one input `input` [batch, window, features] and one output `output`', () => {
    const c = modelConfig({ cell: 'gru', numLayers: 2, bidirectional: true });
    const m = onnx.ModelProto.decode(buildOnnxModel(buildModelManifest(c, dataFor(c)), params(c)));
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
    const g = m.graph as GraphProto;
    expect(g.input.map((i) => i.name)).toEqual(['input']);
    expect(g.output.map((o) => o.name)).toEqual(['output']);
    const dims = g.input[0].type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(dims).toEqual(['batch', c.window, c.inputSize]);
    expect(g.input[0].type!.tensorType!.elemType).toBe(1);
    const grus = (g.node as NodeProto[]).filter((n) => n.opType === 'GRU');
    expect(grus).toHaveLength(2);
    const attr = (n: NodeProto, name: string) => n.attribute.find((a) => a.name === name)!;
    expect(new TextDecoder().decode(attr(grus[0], 'direction').s!)).toBe('bidirectional');
    expect(Number(attr(grus[0], 'linear_before_reset').i)).toBe(1);
    expect(Number(attr(grus[1], 'hidden_size').i)).toBe(c.hiddenSize);
    const W1 = g.initializer.find((t) => t.name === grus[1].input[1])!;
    expect(W1.dims!.map(Number)).toEqual([2, 3 * c.hiddenSize, 2 * c.hiddenSize]);
    expect(g.node.map((n) => n.opType).slice(0, 3)).toEqual(['Sub', 'Div', 'Transpose']);
    expect(g.node.map((n) => n.opType).slice(-2)).toEqual(['Mul', 'Add']);
  });

  it('takes int64 token ids [batch, window] for an embedding model and ends at the logits for a classifier', () => {
    const c = modelConfig({ vocabSize: 11, inputSize: 4, outputSize: 3, loss: 'cross_entropy' });
    const m = onnx.ModelProto.decode(buildOnnxModel(buildModelManifest(c, dataFor(c)), params(c)));
    const g = m.graph as GraphProto;
    expect(g.input[0].type!.tensorType!.elemType).toBe(7);
    expect(g.input[0].type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', c.window]);
    expect(g.node[0].opType).toBe('Gather');
    const last = g.node[g.node.length - 1] as NodeProto;
    expect([last.opType, last.output[0]]).toEqual(['Add', 'output']);
  });

  it('refuses parameters that do not match the config', () => {
    const c = modelConfig({ cell: 'lstm' });
    const manifest = buildModelManifest(c, dataFor(c));
    expect(() => buildOnnxModel(manifest, params(c).slice(1))).toThrow('Parameter "weight_ih_l0" is missing');
    expect(() => buildOnnxModel(manifest, params(modelConfig({ cell: 'lstm', hiddenSize: 6 })))).toThrow('has shape [24, 3] but a 1-layer LSTM');
  });
});
