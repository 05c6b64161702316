// Applies a preset and trains it: its knobs and data choices go in through the knobs' and a link's path, training
// starts once its example has loaded, and a preset of several cells trains each in turn, then opens Compare on them.
import type { CellKind } from '../engine/config';
import type { RunRecord } from '../storage/checkpoint_store';
import type { ExampleId } from '../worker/protocol';
import { loadExampleWith, scheduleHash, showError, train } from './controller';
import { presetById, presetKnobs, type Preset } from './presets';
import { appStore } from './store';

interface Sequence {
  preset: Preset;
  cells: CellKind[];
  /** The cell being trained (index into cells). */
  index: number;
  /** Runs of this preset, in the order they were first saved. */
  ids: string[];
  phase: 'loading' | 'training' | 'finished';
  /** When the preset was applied (Date.now()): runs created earlier are not its own. */
  startedAt: number;
}

let seq: Sequence | null = null;

function status(text: string | null): void {
  appStore.update({ presetStatus: text });
}

/** Applies a preset's settings in one click and trains it once its data has loaded. */
export function applyPreset(id: string): void {
  const preset = presetById(id);
  if (!preset) return;
  const state = appStore.get().training.state;
  if (state === 'training' || state === 'paused') return showError('Stop the current run before applying a preset.');
  const knobs = presetKnobs(preset);
  seq = { preset, cells: preset.cells ?? [knobs.cell as CellKind], index: 0, ids: [], phase: 'loading', startedAt: Date.now() };
  appStore.update({ knobs, compareOpen: false });
  status(`${preset.label}: loading the data…`);
  scheduleHash();
  loadExampleWith(preset.example, preset.form);
}

function startCurrent(s: Sequence): void {
  const cell = s.cells[s.index];
  if (s.cells.length > 1) {
    appStore.update({ knobs: { ...appStore.get().knobs, cell } });
    scheduleHash();
  }
  s.phase = 'training';
  const many = s.cells.length > 1 ? ` the ${cell.toUpperCase()} (${s.index + 1} of ${s.cells.length})` : '';
  if (train()) status(`${s.preset.label}: training${many}…`);
  else {
    seq = null;
    status(null);
  }
}

/** A fresh table arrived (its choices already sent): the preset's first run starts when it is the preset's example. */
export function presetDataLoaded(example: ExampleId | null): void {
  const s = seq;
  if (!s || s.phase !== 'loading') return;
  if (example !== s.preset.example) return cancelPreset();
  startCurrent(s);
}

/** The data did not load, or the person changed course: the preset stops where it is. */
export function cancelPreset(): void {
  if (seq && seq.phase !== 'finished') status(null);
  seq = null;
}

/** A run's record was saved: remember it as one of this preset's runs (a late write of an older run is not). */
export function presetRunSaved(run: RunRecord): void {
  const s = seq;
  if (!s || s.phase === 'loading' || run.createdAt < s.startedAt || s.ids.includes(run.id)) return;
  s.ids.push(run.id);
  if (s.phase === 'finished' && s.cells.length > 1) appStore.update({ compareIds: [...s.ids] });
}

/** A run ended: the next cell trains, or, after the last, Compare opens on the preset's runs. */
export function presetRunEnded(completed: boolean): void {
  const s = seq;
  if (!s || s.phase !== 'training') return;
  if (!completed) {
    status(`${s.preset.label}: stopped.`);
    seq = null;
    return;
  }
  s.index++;
  if (s.index < s.cells.length) return startCurrent(s);
  s.phase = 'finished';
  if (s.cells.length > 1) {
    appStore.update({ compareIds: [...s.ids], compareOpen: true });
    status(`${s.preset.label}: done; the runs are compared under Compare runs.`);
  } else status(`${s.preset.label}: done.`);
}
