// What a stored run keeps of the dashboard: the latest probe's gradient flow and metrics, copied out of the events,
// held with the record until the next checkpoint while it trains, and written at once after it ended.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { CheckpointStore } from '../../src/storage/checkpoint_store';
import type { Checkpoint, SessionResult } from '../../src/training/types';
import { IDLE_SNAPSHOT, type WorkerEvent } from '../../src/worker/protocol';
import { runExtrasOf } from '../../src/worker/run_extras';
import { RunPersistence } from '../../src/worker/run_persistence';

function probeEvent(norms: number[]): WorkerEvent {
  return {
    type: 'probe',
    probe: { step: 7, epoch: 1, sample: 0, layer: 0, direction: 0, cell: 'rnn', window: norms.length, hidden: 4, names: [], values: [], gradNorm: Float32Array.from(norms), loss: 1 },
  };
}

function checkpoint(epoch: number): Checkpoint {
  return {
    version: 1,
    config: DEFAULT_CONFIG,
    fingerprint: 'f1',
    epoch,
    stepInEpoch: 0,
    step: epoch * 10,
    parameters: [],
    optimizer: { step: epoch * 10, moment1: new Float32Array(0), moment2: null },
    partialTrain: { sum: 0, count: 0 },
    learningRate: 0.01,
    schedule: { epoch, lr: 0.01, best: Infinity, badEpochs: 0 },
    best: { epoch: null, valLoss: Infinity, badEpochs: 0 },
    bestParameters: null,
    history: [],
    elapsedMs: 0,
    finished: false,
    savedAt: 1,
  } as Checkpoint;
}

describe('runExtrasOf', () => {
  it('copies a probe’s gradient norms (the event’s array is transferred afterwards)', () => {
    const e = probeEvent([0.5, 0.25]);
    const extra = runExtrasOf(e);
    expect(extra).toEqual({ gradFlow: { step: 7, epoch: 1, layer: 0, direction: 0, norms: [0.5, 0.25] } });
    if (e.type === 'probe') e.probe.gradNorm.fill(0);
    expect(extra && 'gradFlow' in extra && extra.gradFlow.norms).toEqual([0.5, 0.25]);
  });

  it('keeps a forecast’s errors and a classifier’s accuracy, and nothing of other events', () => {
    const forecast: WorkerEvent = {
      type: 'evaluation',
      evaluation: { epoch: 3, step: 30, result: { kind: 'forecast', target: 'v', horizon: 1, x: [], xLabels: null, actual: [], predicted: [], groupNote: null, metrics: { count: 4, mse: 0.04, rmse: 0.2, mae: 0.1, normalizedMse: 0.5 } } },
    };
    expect(runExtrasOf(forecast)).toEqual({ metrics: { kind: 'forecast', epoch: 3, mse: 0.04, rmse: 0.2, mae: 0.1 } });
    const classes: WorkerEvent = { type: 'evaluation', evaluation: { epoch: 2, step: 9, result: { kind: 'classify', classNames: ['a'], confusion: [[1]], perClass: [], accuracy: 0.75, macroF1: 0.5, count: 4 } } };
    expect(runExtrasOf(classes)).toEqual({ metrics: { kind: 'classify', epoch: 2, accuracy: 0.75, macroF1: 0.5 } });
    expect(runExtrasOf({ type: 'notice', message: 'x' })).toBeNull();
  });
});

describe('RunPersistence.note', () => {
  it('stores the gradient flow with the next checkpoint while training, and at once after the run ended', async () => {
    const idb = new IDBFactory();
    const p = (await RunPersistence.open((e) => { throw e; }, () => undefined, idb))!;
    const run = p.begin(DEFAULT_CONFIG, 'sine', null);
    const store = await CheckpointStore.open(idb);
    p.note(runExtrasOf(probeEvent([1, 2]))!);
    await p.flush();
    expect(await store.getRun(run.id)).toBeNull();
    p.checkpoint(checkpoint(1), 'training');
    await p.flush();
    expect((await store.getRun(run.id))?.gradFlow?.norms).toEqual([1, 2]);

    p.end({ reason: 'completed', message: null, snapshot: { ...IDLE_SNAPSHOT, state: 'done', epoch: 1 } } as unknown as SessionResult);
    p.note(runExtrasOf(probeEvent([3, 4]))!);
    await p.flush();
    const saved = await store.getRun(run.id);
    expect(saved?.gradFlow?.norms).toEqual([3, 4]);
    expect(saved?.status).toBe('done');
    // Record-only writes after a checkpoint landed keep saying the run has one (Open stays possible).
    expect(saved?.hasCheckpoint).toBe(true);
  });
});
