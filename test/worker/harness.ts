// A TrainingWorker driven in Node for the worker tests: its events recorded, commands sent, and `until` waiting for an
// event (polling every 10 ms, `polls` times at most) from a given position in the log.
import type { IDBFactory } from 'fake-indexeddb';
import type { WorkerCommand, WorkerEvent } from '../../src/worker/protocol';
import { openRunStorage, openTuneStore, TrainingWorker } from '../../src/worker/worker_host';

export type EventOf<K extends WorkerEvent['type']> = Extract<WorkerEvent, { type: K }>;

export function workerHarness(idb: IDBFactory, o: { requestDevice?: () => Promise<never>; polls?: number } = {}) {
  const requestDevice = o.requestDevice ?? (() => Promise.reject(new Error('No WebGPU adapter in this test.')));
  const polls = o.polls ?? 2000;
  const events: WorkerEvent[] = [];
  const worker = new TrainingWorker({ post: (e) => events.push(e), requestDevice, openPersistence: (post) => openRunStorage(post, idb), openTunes: (post) => openTuneStore(post, idb) });
  const send = (cmd: WorkerCommand) => worker.handle(cmd);
  const until = async <K extends WorkerEvent['type']>(type: K, ok: (e: EventOf<K>) => boolean = () => true, from = 0): Promise<EventOf<K>> => {
    const find = () => events.slice(from).find((e): e is EventOf<K> => e.type === type && ok(e as EventOf<K>));
    for (let i = 0; i < polls && !find(); i++) await new Promise((r) => setTimeout(r, 10));
    const found = find();
    if (!found) throw new Error(`no "${type}" event came; events: ${events.map((e) => e.type).join(' ')}`);
    return found;
  };
  return { worker, events, send, until };
}

/** Boots the worker on the CPU engine, loads the built-in sine as a forecast (window 8) and configures `config`. */
export async function loadSineOnCpu(h: ReturnType<typeof workerHarness>, config: unknown): Promise<void> {
  await h.worker.boot();
  h.send({ type: 'use-cpu' });
  await h.until('engine', (e) => e.engine.kind === 'cpu');
  h.send({ type: 'load', source: { kind: 'example', id: 'sine' }, choices: { task: 'forecast', targets: ['value'], window: 8 } as never });
  await h.until('data');
  h.send({ type: 'configure', config } as WorkerCommand);
}
