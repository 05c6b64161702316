// model.onnx of a text-generation model: a stateful step graph (tokens and recurrent state in, logits and new state out).
import { directionsOf } from '../engine/param_layout';
import type { NamedTensor } from '../engine/tensor';
import type { ModelManifest } from './manifest';
import { linearHead, ONNX_OPSET, onnxLayerWeights } from './onnx_export';
import { GraphBuilder, attributes, stringsAttribute, valueInfo } from './onnx_proto';
import { toStateDict } from './state_dict';

const IR_VERSION = 8;
const OP_TYPE = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' } as const;

/**
 * Encodes the generation graph. Inputs: `tokens` int64 [batch, steps] (any number of steps: a whole prime, or one
 * token at a time), `h0` float32 [numLayers, batch, hidden] (zeros to start), and for an LSTM `c0` of the same
 * shape. Outputs: `logits` float32 [batch, steps, vocab] (the next-token logits after each step; softmax for
 * probabilities), `hn` (and `cn`) to feed back as h0 (c0) with the next tokens. Token ids are model.json's
 * vocabulary.tokens indices.
 */
export function buildGenerateOnnx(manifest: ModelManifest, params: NamedTensor[]): Uint8Array {
  const c = manifest.config;
  if (c.vocabSize <= 0 || directionsOf(c) !== 1 || c.headOn !== 'every_step') throw new Error('The generation graph needs a left-to-right model with an embedding and a head on every step.');
  toStateDict(params, c);
  const byName = new Map(params.map((p) => [p.name, p]));
  const H = c.hiddenSize, V = c.vocabSize, L = c.numLayers;
  const lstm = c.cell === 'lstm';
  const g = new GraphBuilder();
  const emb = g.constFloat('embedding_weight', [V, c.inputSize], byName.get('embedding.weight')!.data);
  const x = g.node('Gather', [emb, 'tokens'], attributes({ axis: 0 })); // [B, S, E]
  let seq = g.node('Transpose', [x], attributes({ perm: [1, 0, 2] })); // [S, B, E]
  const layerState = (input: string, l: number) =>
    g.node('Slice', [input, g.constInt64(`${input}_start`, [1], [l]), g.constInt64(`${input}_end`, [1], [l + 1]), g.constInt64(`${input}_axis`, [1], [0])]); // [1, B, H]
  const hs: string[] = [];
  const cs: string[] = [];
  for (let l = 0; l < L; l++) {
    const w = onnxLayerWeights(byName, c, l);
    const attrs = attributes({ hidden_size: H, direction: 'forward' });
    if (c.cell === 'gru') attrs.push(...attributes({ linear_before_reset: 1 }));
    if (c.cell === 'rnn') attrs.push(stringsAttribute('activations', ['Tanh']));
    const inputs = [seq, g.constFloat(`W_l${l}`, w.dims.W, w.W), g.constFloat(`R_l${l}`, w.dims.R, w.R), g.constFloat(`B_l${l}`, w.dims.B, w.B), '', layerState('h0', l)];
    if (lstm) inputs.push(layerState('c0', l));
    const Y = g.fresh(`Y_l${l}`), Yh = g.fresh(`Yh_l${l}`), Yc = g.fresh(`Yc_l${l}`);
    g.nodes.push({ opType: OP_TYPE[c.cell], input: inputs, output: lstm ? [Y, Yh, Yc] : [Y, Yh], name: g.fresh(`${OP_TYPE[c.cell]}_node`), attribute: attrs });
    hs.push(Yh);
    if (lstm) cs.push(Yc);
    seq = g.node('Squeeze', [Y, g.constInt64('direction_axis', [1], [1])]); // [S, B, H]
  }
  if (L === 1) {
    g.node('Identity', [hs[0]], [], 'hn');
    if (lstm) g.node('Identity', [cs[0]], [], 'cn');
  } else {
    g.node('Concat', hs, attributes({ axis: 0 }), 'hn');
    if (lstm) g.node('Concat', cs, attributes({ axis: 0 }), 'cn');
  }
  const features = g.node('Transpose', [seq], attributes({ perm: [1, 0, 2] })); // [B, S, H]
  linearHead(g, byName, features, H, V, 'logits');
  const state = ['numLayers', 'batch', 'hidden'].map((d) => (d === 'numLayers' ? L : d === 'hidden' ? H : 'batch'));
  return g.encode({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'lstm-playground',
    producerVersion: manifest.versions.app,
    docString:
      `Text generation: ${L}-layer ${c.cell.toUpperCase()} (hidden ${H}) over a ${V}-token ${manifest.vocabulary?.level ?? 'char'} vocabulary. ` +
      `tokens: int64 [batch, steps]; h0${lstm ? ', c0' : ''}: float32 [${L}, batch, ${H}] (zeros to start). ` +
      `logits: [batch, steps, ${V}] next-token logits; hn${lstm ? ', cn' : ''}: the state after the last step, to feed back.`,
    graph: {
      name: 'lstm_playground_generator',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('tokens', 'int64', ['batch', 'steps']), valueInfo('h0', 'float', state), ...(lstm ? [valueInfo('c0', 'float', state)] : [])],
      output: [valueInfo('logits', 'float', ['batch', 'steps', V]), valueInfo('hn', 'float', state), ...(lstm ? [valueInfo('cn', 'float', state)] : [])],
    },
    metadataProps: [
      { key: 'format', value: manifest.format },
      { key: 'task', value: 'generate' },
      { key: 'output', value: 'logits' },
    ],
  });
}
