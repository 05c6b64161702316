// The UI's snapshot store: immutable app state that components read with useSyncExternalStore.
import { useSyncExternalStore } from 'react';
import type { RunRecord } from '../storage/checkpoint_store';
import { IDLE_SNAPSHOT, type TrainingSnapshot } from '../worker/protocol';
import { DEFAULT_KNOBS, type Knobs } from './knobs';

/** What the dataset section shows; the parsed table itself stays in the controller. */
export interface DatasetView {
  name: string;
  rowCount: number;
  columnCount: number;
  /** Columns offered as forecasting targets (the numeric ones). */
  columnChoices: string[];
  column: string;
  /** Null when the current window does not fit the series (see problem). */
  windows: { train: number; val: number } | null;
  mean: number;
  std: number;
  problem: string | null;
}

/** One point of the loss chart; null where the value cannot be drawn on a log axis. */
export interface ChartRow {
  epoch: number;
  train: number | null;
  val: number | null;
}

export interface AppState {
  dataset: DatasetView | null;
  loadingData: boolean;
  knobs: Knobs;
  training: TrainingSnapshot;
  chart: ChartRow[];
  error: string | null;
  adapterInfo: string | null;
  exporting: boolean;
  /** A recovered fault (device loss): shown while training goes on. */
  notice: string | null;
  /** An unfinished run from an earlier visit that can continue where it stopped. */
  resumeOffer: RunRecord | null;
  /** Saved runs, most recent first. */
  runs: RunRecord[];
  /** Ids of the saved runs drawn together on the comparison chart. */
  compareIds: string[];
  /** The run the worker is training or showing now (null before the first run). */
  activeRunId: string | null;
}

export const INITIAL_STATE: AppState = {
  dataset: null,
  loadingData: false,
  knobs: DEFAULT_KNOBS,
  training: IDLE_SNAPSHOT,
  chart: [],
  error: null,
  adapterInfo: null,
  exporting: false,
  notice: null,
  resumeOffer: null,
  runs: [],
  compareIds: [],
  activeRunId: null,
};

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
