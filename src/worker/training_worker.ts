// The Web Worker entry: binds the worker's state (worker_host.ts) to `self`, with the browser's WebGPU and IndexedDB.
/// <reference lib="webworker" />
import { requestBrowserDevice } from '../gpu/device';
import type { WorkerCommand, WorkerEvent } from './protocol';
import { openRunStorage, openTuneStore, TrainingWorker } from './worker_host';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const worker = new TrainingWorker({
  post: (event: WorkerEvent, transfer: Transferable[] = []) => scope.postMessage(event, transfer),
  requestDevice: requestBrowserDevice,
  openPersistence: (post) => openRunStorage(post),
  openTunes: (post) => openTuneStore(post),
});

// The page's first command is 'boot', with the engine preference (the URL's or the one saved in this browser).
scope.onmessage = (ev: MessageEvent<WorkerCommand>) => worker.handle(ev.data);
