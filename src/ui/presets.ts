// One-click presets: the classic textbook recurrent models, each a built-in example, data choices and knob values
// laid over the defaults — applied through the same path as the knobs and a link's hash, then trained.
import type { CellKind } from '../engine/config';
import type { ExampleId } from '../worker/protocol';
import type { DataForm } from './data_choices';
import { DEFAULT_KNOBS, type Knobs } from './knobs';

export interface Preset {
  id: string;
  /** The button's text. */
  label: string;
  /** What it reproduces, on which data, and what to look at. */
  description: string;
  example: ExampleId;
  /** Data choices laid over the example's suggestions (as a link's "d." entries are). */
  form: Partial<DataForm>;
  /** Knob values laid over the defaults. */
  knobs: Partial<Knobs>;
  /** Train once with each of these cells, the rest the same, then compare the runs. */
  cells?: CellKind[];
}

export const PRESETS: Preset[] = [
  {
    id: 'stacked-lstm-classifier',
    label: 'Stacked LSTM classifier',
    description:
      'Three stacked LSTM(32) layers and a softmax head, cross-entropy and Adam, classifying the built-in shapes (sine, square, sawtooth, pulse; 32 steps each).',
    example: 'shapes',
    form: {},
    knobs: { cell: 'lstm', numLayers: '3', hiddenSize: '32', optimizer: 'adam', learningRate: '0.005', batchSize: '32', epochs: '10' },
  },
  {
    id: 'lstm128-regressor',
    label: 'LSTM(128) regressor',
    description: 'One LSTM(128) layer and a linear output, MSE and Adam (lr 0.001) for 10 epochs, forecasting the next value of the noisy sine from 24 steps.',
    example: 'sine',
    form: { window: '24', horizon: '1' },
    knobs: { cell: 'lstm', numLayers: '1', hiddenSize: '128', optimizer: 'adam', learningRate: '0.001', batchSize: '32', epochs: '10' },
  },
  {
    id: 'stacked-lstm128-softmax',
    label: '2 × LSTM(128) softmax',
    description:
      'The textbook MNIST row-by-row classifier: two stacked LSTM(128) layers and a 10-class softmax, Adam (lr 0.001), batch 32, 10 epochs, reading each built-in MNIST digit (14×14) one pixel row per step; test accuracy under Metrics.',
    example: 'digits',
    form: { testFraction: '0.1' },
    knobs: { cell: 'lstm', numLayers: '2', hiddenSize: '128', optimizer: 'adam', learningRate: '0.001', batchSize: '32', epochs: '10' },
  },
  {
    id: 'lstm128-softmax-b32',
    label: 'LSTM(128) softmax, batch 32',
    description: 'One LSTM(128) layer and a softmax head at batch size 32, cross-entropy and Adam, 10 epochs on the built-in shapes; loss and accuracy under Metrics.',
    example: 'shapes',
    form: { testFraction: '0.1' },
    knobs: { cell: 'lstm', numLayers: '1', hiddenSize: '128', optimizer: 'adam', learningRate: '0.001', batchSize: '32', epochs: '10' },
  },
  {
    id: 'rnn-lstm-gru',
    label: 'RNN vs LSTM vs GRU',
    description:
      'The same noisy sine (32-step windows), model and seed trained three times, with an RNN, an LSTM and a GRU, then compared: curves, settings, metrics, and how far back each cell’s gradient ‖∂L/∂h_t‖ reaches.',
    example: 'sine',
    form: { window: '32', horizon: '1' },
    knobs: { numLayers: '1', hiddenSize: '16', optimizer: 'adam', learningRate: '0.01', batchSize: '32', epochs: '3' },
    cells: ['rnn', 'lstm', 'gru'],
  },
];

export function presetById(id: string): Preset | null {
  return PRESETS.find((p) => p.id === id) ?? null;
}

/** The knobs a preset sets: every knob at its default, the preset's values over them, the first cell when it has several. */
export function presetKnobs(p: Preset): Knobs {
  return { ...DEFAULT_KNOBS, ...p.knobs, ...(p.cells ? { cell: p.cells[0] } : {}) };
}
