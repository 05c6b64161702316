// Writes a small LSTM forecaster of one column as a .keras file (argv[2]) for layers_files.spec.ts; run with tsx,
// which reads the app's JSON imports that Playwright's own loader refuses.
import { writeFileSync } from 'node:fs';
import { DEFAULT_CONFIG, type TrainConfig } from '../src/engine/config';
import { initialParameters } from '../src/engine/init';
import { paramLayout } from '../src/engine/param_layout';
import { buildModelManifest, zscore, type DataDescription } from '../src/export/manifest';
import { buildKerasModel } from '../src/export/keras_export';

const c: TrainConfig = { ...DEFAULT_CONFIG, inputSize: 1, hiddenSize: 6, window: 24, outputSize: 1 };
const data: DataDescription = {
  task: 'forecast',
  dataset: { name: 'mine.csv', rows: 200, columns: [{ name: 'value', type: 'number' }] },
  inputColumns: ['value'],
  targetColumns: ['value'],
  window: 24,
  horizon: 1,
  stride: 1,
  timeColumn: null,
  groupColumn: null,
  layout: 'long',
  missing: 'drop',
  split: { valFraction: 0.2, testFraction: 0 },
  normalization: { inputs: [zscore('value', 0.1, 0.7)], targets: [zscore('value', 0.1, 0.7)] },
  vocabulary: null,
  classNames: null,
};
const layout = paramLayout(c);
const flat = initialParameters(layout, c.hiddenSize, 5);
const params = layout.slots.map((s) => ({ name: s.name, shape: s.shape, data: flat.slice(s.offset, s.offset + s.size) }));
writeFileSync(process.argv[2], await buildKerasModel(buildModelManifest(c, data), params));
