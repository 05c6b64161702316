// The UI's snapshot store: immutable app state that components read with useSyncExternalStore.
import { useSyncExternalStore } from 'react';
import type { CellKind } from '../engine/config';
import type { RunRecord } from '../storage/checkpoint_store';
import type { SavedTune } from '../storage/tune_store';
import type { TuneEnd, TuneSnapshot } from '../training/tune_runner';
import { IDLE_SNAPSHOT, type RunDiagnosis, type DataView, type EngineInfo, type Evaluation, type ExportFile, type ModelInfo, type ProbeView, type TrainingSnapshot } from '../worker/protocol';
import { EMPTY_FORM, type DataForm } from './data_choices';
import { DEFAULT_KNOBS, type Knobs } from './knobs';
import { DEFAULT_TUNE_FORM, type TuneForm } from './tune_form';
import { DEFAULT_TUNE_SORT, type TuneSort } from './tune_view';

/** One point of the loss chart; null where the value cannot be drawn (NaN, or not positive on a log axis). */
export interface ChartRow {
  [key: string]: number | null;
  epoch: number;
  train: number | null;
  val: number | null;
  lr: number | null;
}

/** Gradient-flow profile of one probe: ‖dL/dh_t‖ per time step. */
export interface GradColumn {
  step: number;
  epoch: number;
  norms: Float32Array;
}

/** A search as the worker reports it: its snapshot, each trial's saved run, and how it ended (null while it runs). */
export interface TuneState {
  snapshot: TuneSnapshot;
  runIds: Record<number, string>;
  end: { reason: TuneEnd; best: number | null; bestRunId: string | null } | null;
  /** The search's saved record (null or absent where nothing is stored): a stopped one resumes from it. */
  tuneId?: string | null;
}

export interface AppState {
  data: DataView | null;
  loadingData: boolean;
  dataProgress: { name: string; bytesRead: number; totalBytes: number | null; rowsRead: number } | null;
  /** The data panel's choices as the person edits them. */
  form: DataForm;
  /** Problems that keep the form from making choices (shown beside it). */
  formProblems: string[];
  knobs: Knobs;
  training: TrainingSnapshot;
  chart: ChartRow[];
  /** Changes at most once a second while training (and on every state change): redraws the per-step chart. */
  stepTick: number;
  chartLog: boolean;
  /** 0 (raw) … 0.95 (smoothest). */
  chartSmoothing: number;
  error: string | null;
  engine: EngineInfo | null;
  exporting: ExportFile | null;
  /** A recovered fault (device loss) or other news: shown while training goes on. */
  notice: string | null;
  probe: ProbeView | null;
  probeSample: number;
  probeLayer: number;
  probeDirection: number;
  sortUnits: boolean;
  /** Gradient profiles across training (the run's probes, oldest first, thinned when long). */
  gradHistory: GradColumn[];
  /** The latest gradient profile per cell type, to compare an RNN with an LSTM on the same data. */
  gradByCell: Partial<Record<CellKind, GradColumn & { window: number }>>;
  evaluation: Evaluation | null;
  /** The run's diagnosis (the Why panel). */
  diagnosis: RunDiagnosis | null;
  model: ModelInfo | null;
  predictions: { name: string; rows: number; notes: string[] } | null;
  theme: 'light' | 'dark';
  /** An unfinished run from an earlier visit that can continue where it stopped. */
  resumeOffer: RunRecord | null;
  runs: RunRecord[];
  compareIds: string[];
  /** Whether the Compare panel shows the ticked runs side by side. */
  compareOpen: boolean;
  /** The Compare panel lists only the settings the runs differ in. */
  compareOnlyDiffs: boolean;
  /** What the preset being applied is doing ("… loading the data", "… training the GRU (3 of 3)"), or null. */
  presetStatus: string | null;
  activeRunId: string | null;
  /** The search of this visit (the latest), or null before one. */
  tune: TuneState | null;
  /** A search was asked for and its first snapshot has not come yet. */
  tuneStarting: boolean;
  tuneForm: TuneForm;
  /** Whether the Tune panel shows its form (it always does while a search has results). */
  tuneOpen: boolean;
  tuneSort: TuneSort;
  /** The trial made the current model (its run opened), or null. */
  tunePromoted: number | null;
  /** A search from an earlier visit, cut off by a reload or stopped, that can continue where it was. */
  tuneOffer: SavedTune | null;
}

export const INITIAL_STATE: AppState = {
  data: null,
  loadingData: false,
  dataProgress: null,
  form: EMPTY_FORM,
  formProblems: [],
  knobs: DEFAULT_KNOBS,
  training: IDLE_SNAPSHOT,
  chart: [],
  stepTick: 0,
  chartLog: true,
  chartSmoothing: 0,
  error: null,
  engine: null,
  exporting: null,
  notice: null,
  probe: null,
  probeSample: 0,
  probeLayer: 0,
  probeDirection: 0,
  sortUnits: false,
  gradHistory: [],
  gradByCell: {},
  evaluation: null,
  diagnosis: null,
  model: null,
  predictions: null,
  theme: 'light',
  resumeOffer: null,
  runs: [],
  compareIds: [],
  compareOpen: false,
  compareOnlyDiffs: false,
  presetStatus: null,
  activeRunId: null,
  tune: null,
  tuneStarting: false,
  tuneForm: DEFAULT_TUNE_FORM,
  tuneOpen: false,
  tuneSort: DEFAULT_TUNE_SORT,
  tunePromoted: null,
  tuneOffer: null,
};

/** Whether a search is going (asked for, or running): the run bar's other controls wait for it. */
export function isTuning(s: AppState): boolean {
  return s.tuneStarting || (s.tune !== null && s.tune.end === null && s.tune.snapshot.state === 'running');
}

export interface Store<T> {
  get(): T;
  update(patch: Partial<T>): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<T extends object>(initial: T): Store<T> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    update(patch) {
      state = { ...state, ...patch };
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export const appStore = createStore<AppState>(INITIAL_STATE);

/** Subscribes a component to one slice of the app state (the selector must return stored references). */
export function useAppState<S>(select: (s: AppState) => S): S {
  return useSyncExternalStore(appStore.subscribe, () => select(appStore.get()));
}
