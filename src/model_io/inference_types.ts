// The shape of a saved model's inputs built from a new table, and the note on what was left out.
import type { ForecastDecoder } from '../data/target_transform';
import type { ModelManifest } from '../export/manifest';

/** What one model input is about, for the predictions CSV. */
export interface InferenceKey {
  /** 0-based data row: the last input step (forecast; -1 for a time step filled into a gap), the row (wide, text), the series' first row (long). */
  row: number;
  /** The series (group column value), or null without a group column. */
  group: string | null;
  /** Forecast with a time column: the time of the last input step, as written in the file; else null. */
  time: string | null;
}

export interface InferenceInputs {
  count: number;
  /** [count][window][inputSize] normalized as in training; token ids [count][window] for text. */
  x: Float32Array;
  keys: InferenceKey[];
  /** Plain-language notes: windows or rows left out and why. */
  notes: string[];
  /** Forecast: how the model's outputs go back to original units, per window (its target transform). */
  decoder?: ForecastDecoder;
}

/** A note on inputs left out for missing values (empty when none were). */
export function droppedNote(dropped: number, what: string, missing: ModelManifest['missing']): string[] {
  if (dropped === 0) return [];
  const plural = what === 'series' ? what : `${what}s`;
  return [`${dropped} ${dropped === 1 ? what : plural} left out for missing values the model's policy (${missing}) does not fill.`];
}
