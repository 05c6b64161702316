// The Samples panel's state (outside React): the sampling settings and the samples written so far, oldest first.
import { useSyncExternalStore } from 'react';
import type { SampleRequest, SampleView } from '../worker/protocol';
import { DEFAULT_SAMPLE_REQUEST } from '../worker/sample_host';
import { send } from './controller';
import { createStore } from './store';

/** Samples kept (the oldest go first past this). */
export const MAX_SAMPLES = 12;

export interface SamplesState {
  request: SampleRequest;
  samples: SampleView[];
  /** A sample was asked for and has not arrived yet. */
  waiting: boolean;
  /** The loss chart of a text model in bits per character (token): the cross-entropy divided by ln 2. */
  showBits: boolean;
}

export const samplesStore = createStore<SamplesState>({ request: DEFAULT_SAMPLE_REQUEST, samples: [], waiting: false, showBits: true });

export function setShowBits(showBits: boolean): void {
  samplesStore.update({ showBits });
}

/** Loss-chart rows in bits (nats / ln 2). */
export function rowsInBits<R extends { train: number | null; val: number | null }>(rows: R[]): R[] {
  return rows.map((r) => ({ ...r, train: r.train === null ? null : r.train / Math.LN2, val: r.val === null ? null : r.val / Math.LN2 }));
}

export function useSamples<S>(select: (s: SamplesState) => S): S {
  return useSyncExternalStore(samplesStore.subscribe, () => select(samplesStore.get()));
}

/** Changes a setting; the worker takes it for the next sample (after an epoch or on the button). */
export function setSampleRequest(patch: Partial<SampleRequest>): void {
  const request = { ...samplesStore.get().request, ...patch };
  samplesStore.update({ request });
  send({ type: 'sample', request, now: false });
}

/** Asks for a sample from the current weights now. */
export function sampleNow(): void {
  samplesStore.update({ waiting: true });
  send({ type: 'sample', request: samplesStore.get().request, now: true });
}

export function onSample(sample: SampleView): void {
  const before = samplesStore.get().samples;
  // Weights from an earlier step than the last sample's mean a new run: its samples start a new row.
  const kept = before.length > 0 && sample.step < before[before.length - 1].step ? [] : before;
  const samples = [...kept, sample].slice(-MAX_SAMPLES);
  samplesStore.update({ samples, waiting: false });
}

/** A new run (or new data) starts a new row of samples. */
export function clearSamples(): void {
  samplesStore.update({ samples: [], waiting: false });
}
