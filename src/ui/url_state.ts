// The page's setup in the URL hash (every knob, the seed, the data choices, the built-in example), so a link reproduces it.
import type { ExampleId } from '../worker/protocol';
import { EMPTY_FORM, type DataForm } from './data_choices';
import { DEFAULT_KNOBS, KNOB_KEYS, type Knobs } from './knobs';

export const HASH_VERSION = '1';
const EXAMPLES: ExampleId[] = ['sine', 'shapes', 'seattle', 'digits'];
/** Form fields kept in the hash (column uses are not: they belong to a file's columns). */
const FORM_TEXT = ['task', 'target', 'textColumn', 'timeColumn', 'groupColumn', 'format', 'window', 'horizon', 'valFraction', 'testFraction', 'scaling', 'missing', 'tokens'] as const;
const FORM_CHOICES: Partial<Record<(typeof FORM_TEXT)[number], readonly string[]>> = {
  task: ['forecast', 'classify-sequences', 'classify-text'],
  format: ['wide', 'long'],
  scaling: ['zscore', 'minmax'],
  missing: ['drop', 'forward-fill', 'interpolate'],
  tokens: ['word', 'char'],
};

export interface HashState {
  knobs: Knobs;
  /** The built-in example to load, or null (an uploaded file cannot travel in a link). */
  example: ExampleId | null;
  /** Data choices to apply once the example is loaded (null: the example's suggestions). */
  form: Partial<DataForm> | null;
}

/** "#v=1&example=sine&cell=lstm&…": knobs by their config names, data choices prefixed with "d.". */
export function encodeHash(knobs: Knobs, example: ExampleId | null, form: DataForm | null): string {
  const p = new URLSearchParams();
  p.set('v', HASH_VERSION);
  if (example) p.set('example', example);
  for (const key of KNOB_KEYS) p.set(key, knobs[key]);
  if (form && example) {
    for (const key of FORM_TEXT) p.set(`d.${key}`, form[key]);
    if (form.inputs.length > 0) p.set('d.inputs', JSON.stringify(form.inputs));
  }
  return `#${p.toString()}`;
}

/** Reads a hash written by encodeHash; unknown or malformed entries fall back to the defaults (never throws). */
export function decodeHash(hash: string): HashState | null {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text === '') return null;
  const p = new URLSearchParams(text);
  if (p.get('v') !== HASH_VERSION) return null;
  const knobs: Knobs = { ...DEFAULT_KNOBS };
  for (const key of KNOB_KEYS) {
    const v = p.get(key);
    if (v !== null && v.length <= 64) knobs[key] = v;
  }
  const ex = p.get('example');
  const example = EXAMPLES.includes(ex as ExampleId) ? (ex as ExampleId) : null;
  let form: Partial<DataForm> | null = null;
  if (example && p.has('d.task')) {
    const f: Partial<Record<(typeof FORM_TEXT)[number], string>> = {};
    for (const key of FORM_TEXT) {
      const v = p.get(`d.${key}`);
      if (v === null || v.length > 200) continue;
      const allowed = FORM_CHOICES[key];
      if (allowed && !allowed.includes(v)) continue;
      f[key] = v;
    }
    form = f as Partial<DataForm>;
    const inputs = p.get('d.inputs');
    if (inputs) {
      try {
        const parsed: unknown = JSON.parse(inputs);
        if (Array.isArray(parsed) && parsed.every((s) => typeof s === 'string')) form.inputs = parsed as string[];
      } catch {
        // ignore a malformed list
      }
    }
  }
  return { knobs, example, form };
}

/** The form with the hash's picks laid over it (uses stay as inferred). */
export function applyHashForm(form: DataForm, picks: Partial<DataForm> | null): DataForm {
  if (!picks) return form;
  const next = { ...form };
  for (const key of FORM_TEXT) if (picks[key] !== undefined) (next as Record<string, unknown>)[key] = picks[key];
  if (picks.inputs) next.inputs = picks.inputs;
  return next;
}

export { EMPTY_FORM };
