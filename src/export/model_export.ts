// Packages trained weights as a PyTorch-loadable safetensors state_dict plus a JSON description of the run.
import type { TrainConfig } from '../engine/config';
import type { Normalization } from '../data/forecast_dataset';
import { encodeSafetensors } from './safetensors';
import type { NamedTensor } from './tensor';

export const EXPORT_FORMAT = 'lstm-playground/1';

export interface ModelExport {
  safetensors: Uint8Array;
  json: string;
}

export interface ExportMetrics {
  trainLoss?: number;
  valLoss?: number;
  epochs?: number;
}

const LSTM_PARAM = /^(weight|bias)_(ih|hh)_l\d+(_reverse)?$/;

/**
 * Maps an engine parameter name to its key in the state_dict of a module with attributes
 * `lstm` (nn.LSTM, batch_first=True) and `head` (nn.Linear): 'weight_ih_l0' -> 'lstm.weight_ih_l0'; 'head.weight' stays.
 */
export function torchKey(name: string): string {
  if (LSTM_PARAM.test(name)) return `lstm.${name}`;
  if (name === 'head.weight' || name === 'head.bias') return name;
  throw new Error(
    `Unknown parameter name ${JSON.stringify(name)}: expected an LSTM parameter such as "weight_ih_l0" or "head.weight" / "head.bias".`,
  );
}

/**
 * Builds the .safetensors bytes (keys lstm.* and head.*, in state_dict order; metadata `format`, `config` and
 * `normalization` as JSON strings) and the pretty-printed JSON sidecar. Throws if `params` do not match `config`.
 */
export function buildModelExport(
  params: NamedTensor[],
  config: TrainConfig,
  normalization: Normalization,
  extra: ExportMetrics = {},
): ModelExport {
  const byName = new Map(params.map((p) => [p.name, p]));
  const expected = expectedShapes(config);
  const unexpected = params.filter((p) => !expected.some(([name]) => name === p.name)).map((p) => p.name);
  if (unexpected.length > 0) {
    throw new Error(
      `Unexpected parameter${unexpected.length === 1 ? '' : 's'} ${unexpected.map((n) => JSON.stringify(n)).join(', ')} for a ${config.numLayers}-layer LSTM with a linear head.`,
    );
  }
  const ordered: NamedTensor[] = expected.map(([name, shape]) => {
    const p = byName.get(name);
    if (!p) throw new Error(`Parameter ${JSON.stringify(name)} is missing; a ${config.numLayers}-layer LSTM needs it.`);
    if (p.shape.length !== shape.length || p.shape.some((d, i) => d !== shape[i])) {
      throw new Error(
        `Parameter ${JSON.stringify(name)} has shape [${p.shape.join(', ')}] but the config (hiddenSize ${config.hiddenSize}, inputSize ${config.inputSize}, outputSize ${config.outputSize}) needs [${shape.join(', ')}].`,
      );
    }
    return { name: torchKey(name), shape: shape.slice(), data: p.data };
  });

  const safetensors = encodeSafetensors(ordered, {
    format: EXPORT_FORMAT,
    config: JSON.stringify(config),
    normalization: JSON.stringify(normalization),
  });
  const json = JSON.stringify(
    {
      format: EXPORT_FORMAT,
      config,
      normalization,
      targetColumn: normalization.column,
      parameters: ordered.map((t) => ({ name: t.name, shape: t.shape })),
      metrics: extra,
      createdAt: new Date().toISOString(),
    },
    null,
    2,
  );
  return { safetensors, json };
}

/** Engine names and torch shapes of every parameter, in nn.LSTM state_dict order followed by the head. */
function expectedShapes(c: TrainConfig): [string, number[]][] {
  const H = c.hiddenSize;
  const shapes: [string, number[]][] = [];
  for (let l = 0; l < c.numLayers; l++) {
    const inSize = l === 0 ? c.inputSize : H;
    shapes.push([`weight_ih_l${l}`, [4 * H, inSize]], [`weight_hh_l${l}`, [4 * H, H]], [`bias_ih_l${l}`, [4 * H]], [`bias_hh_l${l}`, [4 * H]]);
  }
  shapes.push(['head.weight', [c.outputSize, H]], ['head.bias', [c.outputSize]]);
  return shapes;
}
