// The built-in examples: what each is, where it comes from, and the choices it starts with.
import { BUILTIN_DATASET_NAME, noisySineCsv } from '../builtin_datasets';
import type { TrainingChoices } from '../training_types';
import { shapesCsv } from './shapes';

/** Built-in examples, loaded in one click. */
export type ExampleId = 'sine' | 'shapes' | 'seattle' | 'shakespeare';

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
  const response = await fetch(new URL('datasets/seattle-weather.csv', baseUrl));
  if (!response.ok) throw new Error(`The Seattle weather file could not be read (HTTP ${response.status}).`);
  return response.text();
}
