// The worker's current export (safetensors + a run description keyed on today's single-column Normalization);
// new callers use exportModelFiles in model_files.ts, which also writes model.onnx and the Python scripts.
import type { TrainConfig } from '../engine/config';
import type { Normalization } from '../data/forecast_dataset';
import { encodeSafetensors } from './safetensors';
import { toStateDict } from './state_dict';
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

/**
 * Builds the .safetensors bytes (the state_dict of a module with `lstm`/`gru`/`rnn`, optional `embedding` and `head`;
 * metadata `format`, `config` and `normalization` as JSON strings) and a pretty-printed JSON sidecar.
 * Throws if `params` do not match `config`.
 */
export function buildModelExport(
  params: NamedTensor[],
  config: TrainConfig,
  normalization: Normalization,
  extra: ExportMetrics = {},
): ModelExport {
  const ordered = toStateDict(params, config);
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
