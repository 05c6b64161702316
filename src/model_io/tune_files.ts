// What `tune --out DIR` writes: trials.csv (one row per trial) and the best trial's model files, written by the
// same code path as `train --out` (so the same names, metrics and export formats).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataTable } from '../data/table';
import type { TrainingChoices, TrainingSet } from '../data/training_types';
import type { TrialRecord } from '../training/tune_runner';
import type { Checkpoint, DeviceFactory } from '../training/types';
import type { EnginePreference } from '../training/engine_choice';
import { runTraining, type TrainRunResult } from './train_run';

export const TRIALS_FILE = 'trials.csv';

const cell = (v: unknown) => {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v ?? '');
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** trials.csv: a header row, then `trial`, one column per varied setting, best_val_loss, epochs, seconds, status. */
export function trialsCsv(settings: string[], trials: TrialRecord[]): string {
  const header = ['trial', ...settings, 'best_val_loss', 'epochs', 'seconds', 'status'];
  const rows = trials.map((t) =>
    [t.trial, ...settings.map((s) => t.settings[s]), t.bestValLoss, t.epochs, Number(t.seconds.toFixed(3)), t.status].map(cell).join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

export function writeTrialsCsv(dir: string, settings: string[], trials: TrialRecord[]): string {
  const path = join(dir, TRIALS_FILE);
  writeFileSync(path, trialsCsv(settings, trials));
  return path;
}

export interface BestTrialFiles {
  dir: string;
  table: DataTable;
  /** The data choices of the trial (its window, where window varied) and the set built from them. */
  choices: TrainingChoices;
  set: TrainingSet;
  checkpoint: Checkpoint;
  datasetName: string;
  patience: number;
  deviceFactory?: DeviceFactory;
  /** The engine the search trained on ('auto' when absent). */
  engine?: EnginePreference;
}

/**
 * Writes the trial's model files as `train --out` does: its checkpoint is continued with the epochs it has (nothing
 * more is trained), then scored on validation and test in original units and exported.
 */
export function writeBestTrial(o: BestTrialFiles): Promise<TrainRunResult> {
  const cp = o.checkpoint;
  return runTraining({
    table: o.table,
    choices: o.choices,
    set: o.set,
    config: { ...cp.config, epochs: Math.max(1, cp.epoch) },
    datasetName: o.datasetName,
    outDir: o.dir,
    patience: o.patience,
    resumeFrom: cp,
    deviceFactory: o.deviceFactory,
    engine: o.engine,
  });
}
