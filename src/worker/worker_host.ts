// The training worker's state and commands: the data, the training session and the model, on the engine EngineHost
// keeps (WebGPU or the CPU engine); it answers the UI's commands through `post`. training_worker.ts binds it to the
// Web Worker; tests drive it directly in Node.
import { trainConfigFields } from '../data/index';
import { validateConfig, type TrainConfig } from '../engine/config';
import type { NamedTensor } from '../engine/tensor';
import type { DataDescription, ModelManifest } from '../export/manifest';
import type { LoadedModel } from '../export/model_files';
import { describeTrainingData } from '../model_io/data_description';
import type { RunRecord } from '../storage/checkpoint_store';
import type { EnginePreference } from '../training/engine_choice';
import { datasetFingerprint } from '../training/fingerprint';
import { trainingDataOf } from '../training/from_training_set';
import { TrainingSession } from '../training/session';
import type { Checkpoint, DeviceFactory, SessionCallbacks, SessionResult, TrainingData } from '../training/types';
import { dataSource, dataView, loadData, messageOf, restoreData, withChoices, type LoadedData } from './data_host';
import type { DataSource } from '../storage/checkpoint_store';
import { DiagnosisHost } from './diagnosis_host';
import { EngineHost } from './engine_host';
import { Inspector, type Inspected } from './inspector';
import { descriptionOf, exportBundle, importCheckpoint, importLayersModel, importModel, manifestFor, predictFile, runMetrics, trainableProblem, validationLoss } from './model_files';
import { ModelView } from './model_view';
import { IDLE_SNAPSHOT, type RunOptions, type TuneRequest, type WorkerCommand, type WorkerEvent } from './protocol';
import { runExtrasOf } from './run_extras';
import { RunPersistence } from './run_persistence';
import { SampleHost } from './sample_host';
import { TuneHost, type TuneHostOptions } from './tune_host';
import { loadTune, openTuneStorage } from './tune_persistence';
import type { TuneStore } from '../storage/tune_store';

export type Post = (event: WorkerEvent, transfer?: Transferable[]) => void;

export interface WorkerDeps {
  post: Post;
  /** Makes a WebGPU device (the browser's in the worker); rejects where there is none. */
  requestDevice: DeviceFactory;
  /** Opens saved-run storage; resolves to null where there is none (training works, nothing survives a reload). */
  openPersistence?: (post: Post) => Promise<RunPersistence | null>;
  /** Opens saved-search storage; resolves to null where there is none (searches run, nothing survives a reload). */
  openTunes?: (post: Post) => Promise<TuneStore | null>;
}

interface Active {
  session: TrainingSession;
  data: LoadedData;
  config: TrainConfig;
  /** model.json's data part for this run (what export and prediction use). */
  description: DataDescription | null;
  ended: boolean;
  /** The run's diagnosis (the Why panel). */
  diagnosis?: DiagnosisHost;
}

/** A model a person imported that does not fit the loaded data: it can still predict and be exported. */
interface Imported {
  config: TrainConfig;
  tensors: NamedTensor[];
  manifest: ModelManifest;
}

interface StartFrom {
  run?: RunRecord;
  checkpoint?: Checkpoint;
  description?: DataDescription | null;
  paused: boolean;
}

/** Saved searches in IndexedDB (the browser's, or `factory`), reporting a storage error to the UI. */
export function openTuneStore(post: Post, factory?: IDBFactory): Promise<TuneStore | null> {
  return openTuneStorage((e) => post({ type: 'error', message: e.message, kind: 'storage' }), factory);
}

/** Saved runs in IndexedDB (the browser's, or `factory`), reporting storage errors and saved runs to the UI. */
export function openRunStorage(post: Post, factory?: IDBFactory): Promise<RunPersistence | null> {
  return RunPersistence.open(
    (e) => post({ type: 'error', message: e.message, kind: 'storage' }),
    (run, saved) => post({ type: 'run', run, saved }),
    factory,
  );
}

export class TrainingWorker {
  private readonly post: Post;
  private readonly engine: EngineHost;
  private data: LoadedData | null = null;
  private loading = false;
  private config: TrainConfig | null = null;
  private options: RunOptions = { earlyStoppingPatience: 0 };
  private active: Active | null = null;
  private imported: Imported | null = null;
  private starting = false;
  /** The search going now (its trials are runs of their own; none is `active`). */
  private tune: TuneHost | null = null;
  private view: { key: string; view: ModelView } | null = null;
  private readonly inspector: Inspector;
  private readonly samples: SampleHost;
  private readonly persistenceReady: Promise<RunPersistence | null>;
  private readonly tunesReady: Promise<TuneStore | null>;
  private persistence: RunPersistence | null = null;
  /** Every command still running (tests wait for them with idle()). */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(deps: WorkerDeps) {
    this.post = deps.post;
    this.engine = new EngineHost(this.post, deps.requestDevice);
    this.persistenceReady = deps.openPersistence ? deps.openPersistence(this.post) : Promise.resolve(null);
    void this.persistenceReady.then((p) => (this.persistence = p));
    this.tunesReady = deps.openTunes ? deps.openTunes(this.post) : Promise.resolve(null);
    this.samples = new SampleHost((e) => this.post(e));
    this.inspector = new Inspector((e, t) => this.inspectorPost(e, t), () => this.inspected(), (c) => this.viewFor(c));
  }

  /**
   * Looks for a device at startup and tells the UI which engine trains (or why there is none): for `preference`
   * 'auto', WebGPU on a GPU and the CPU engine on a software adapter. Once per worker; a second call waits for the first.
   */
  boot(preference: EnginePreference = 'auto'): Promise<void> {
    return this.track(this.engine.boot(preference));
  }

  /** The session of the current run (null before the first). */
  get session(): TrainingSession | null {
    return this.active?.session ?? null;
  }

  /** Resolves once every command handled so far, and the run they started, have finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Stops the run and frees what the worker holds (the device itself is left alone). */
  async dispose(): Promise<void> {
    this.active?.session.stop();
    this.tune?.stop();
    await this.idle();
    await this.active?.session.dispose();
    this.inspector.dispose();
    this.view?.view.dispose();
    this.view = null;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  /**
   * Rebuilds the data a saved run or search trained on and shows it; without WebGPU here (it trained on the CPU, or on
   * another browser's GPU) the CPU engine takes over, and `continues` says so ("the run continues on …").
   */
  private async reopenData(source: DataSource, continues: string): Promise<LoadedData> {
    this.loading = true;
    let data: LoadedData;
    try {
      data = this.data = await restoreData(source);
    } finally {
      this.loading = false;
    }
    this.post({ type: 'data', view: dataView(data) });
    if (this.engine.cpuWhereNone()) this.post({ type: 'notice', message: `This browser has no usable WebGPU, so ${continues}.` });
    return data;
  }

  // ---------- looking inside the model ----------

  /** The inspector's probes and evaluations go to the UI, and are kept with the active run's stored record. */
  private inspectorPost(e: WorkerEvent, transfer?: Transferable[]): void {
    const extra = this.active ? runExtrasOf(e) : null;
    if (extra) this.persistence?.note(extra);
    this.active?.diagnosis?.observe(e);
    this.post(e, transfer);
  }

  /** The model the dashboard shows: the run's session, or nothing. */
  private inspected(): Inspected | null {
    const a = this.active;
    if (!a) return null;
    return { config: a.config, data: a.data, params: () => a.session.exportParameters(), snapshot: () => a.session.snapshot() };
  }

  /** A viewer engine for the model's shape on the current engine (rebuilt after a device change). */
  private async viewFor(c: TrainConfig): Promise<ModelView | null> {
    const shape = JSON.stringify([c.cell, c.inputSize, c.hiddenSize, c.numLayers, c.bidirectional, c.outputSize, c.vocabSize, c.window, c.headOn, c.loss, c.batchSize]);
    let device: GPUDevice | null = null;
    if (this.engine.current.kind !== 'cpu') {
      const ctx = this.active?.session.deviceContext ?? (await this.engine.getDevice().catch(() => null));
      if (!ctx) return null;
      device = ctx.device;
    }
    if (this.view && (this.view.view.device !== device || this.view.key !== shape)) {
      this.view.view.dispose();
      this.view = null;
    }
    this.view ??= { key: shape, view: new ModelView(device, c) };
    return this.view.view;
  }

  // ---------- data ----------

  private async load(cmd: Extract<WorkerCommand, { type: 'load' }>): Promise<void> {
    const name = cmd.source.kind === 'file' ? cmd.source.file.name : cmd.source.id;
    this.loading = true;
    let last = 0;
    try {
      const source = cmd.source.kind === 'file' ? { kind: 'file' as const, file: cmd.source.file, name: cmd.source.file.name } : cmd.source;
      const loaded = await loadData(source, cmd.choices, (p) => {
        const now = performance.now();
        if (now - last < 80 && p.totalBytes !== null && p.bytesRead < p.totalBytes) return;
        last = now;
        this.post({ type: 'data-progress', name, bytesRead: p.bytesRead, totalBytes: p.totalBytes, rowsRead: p.rowsRead });
      });
      this.data = loaded;
      this.post({ type: 'data', view: dataView(loaded) });
    } catch (e) {
      this.post({ type: 'data-error', name, message: messageOf(e), during: 'load' });
    } finally {
      this.loading = false;
    }
  }

  // ---------- runs ----------

  private runConfig(d: LoadedData, base: TrainConfig): TrainConfig {
    const set = d.set!;
    const val = d.choices?.valFraction ?? 0.2;
    const fields = trainConfigFields(set, base.headOn);
    // class weights where they apply (a classifier), as the Training panel says; unweighted otherwise
    const classWeights = fields.loss === 'cross_entropy' && fields.headOn === 'last_step' ? base.classWeights : 'none';
    return { ...base, ...fields, classWeights, valFraction: val > 0 && val <= 0.9 ? val : base.valFraction };
  }

  private isLive(): boolean {
    return this.starting || this.tune !== null || (this.active !== null && !this.active.ended);
  }

  private describe(d: LoadedData): DataDescription | null {
    try {
      return describeTrainingData(d.used, d.choices!, d.set!, d.name);
    } catch {
      return null;
    }
  }

  private callbacks(entry: Active, store: RunPersistence | null): SessionCallbacks {
    const { post, inspector } = this;
    return {
      onSnapshot: (snapshot) => {
        store?.state(snapshot.state);
        entry.diagnosis?.noteSnapshot(snapshot);
        post({ type: 'snapshot', snapshot });
        inspector.changed();
        if (snapshot.state === 'paused') inspector.evaluateSoon();
      },
      onEpochEnd: (loss) => {
        post({ type: 'epoch-end', loss });
        if (this.samples.afterEachEpoch && loss.epoch > 0) void this.track(this.writeSample(entry));
        entry.diagnosis?.epochEnd();
        inspector.evaluateSoon();
      },
      onCheckpoint: (cp) => store?.checkpoint(cp, entry.session.snapshot().state),
      onNotice: (message) => post({ type: 'notice', message }),
      onDeviceChange: (ctx) => this.engine.adopt(ctx),
      onError: (e) => post({ type: 'error', message: e.message, kind: e.kind }),
      onDone: (result: SessionResult) => {
        entry.ended = true;
        store?.end(result);
        post({ type: 'done', snapshot: result.snapshot, stopped: result.reason === 'stopped', reason: result.reason, message: result.message });
        entry.diagnosis?.done(result.reason);
        inspector.evaluateSoon();
      },
    };
  }

  /** Starts a session on the loaded data and config: fresh, or from a checkpoint (saved or imported). */
  private async startRun(from: StartFrom = { paused: false }, cfgOverride?: TrainConfig): Promise<TrainingSession | null> {
    const post = this.post;
    if (this.isLive()) {
      post({ type: 'error', message: 'A run is already going: stop it before starting another.' });
      return null;
    }
    const d = this.data;
    if (this.loading || !d) return post({ type: 'error', message: 'Load a dataset before training.' }), null;
    if (!d.set) return post({ type: 'error', message: `Cannot train on "${d.name}": ${d.problem ?? 'the choices do not make a training set'}` }), null;
    if (!cfgOverride && !this.config) return post({ type: 'error', message: 'Set the model options before training.' }), null;
    const cfg = cfgOverride ?? this.runConfig(d, this.config!);
    const problems = validateConfig(cfg);
    if (problems.length > 0) return post({ type: 'error', message: `Cannot train: ${problems.join('; ')}.` }), null;
    if (d.set.train.count < 1 || d.set.validation.count < 1) return post({ type: 'error', message: 'The dataset has no training or no validation samples; use more data or a shorter window.' }), null;
    this.starting = true;
    try {
      const previous = this.active;
      this.active = null;
      await previous?.session.dispose();
      const trainingData: TrainingData = trainingDataOf(d.set, [d.name, JSON.stringify(d.choices), JSON.stringify(d.uses)], cfg.headOn);
      const engines = await this.engine.engines();
      const store = await this.persistenceReady;
      if (from.run) store?.adopt(from.run, dataSource(d));
      else store?.begin(cfg, d.name, dataSource(d));
      store?.note({ baselines: d.set.baselines });
      const entry: Active = { session: null as unknown as TrainingSession, data: d, config: cfg, description: from.description !== undefined ? from.description : this.describe(d), ended: false };
      entry.diagnosis = new DiagnosisHost(post, cfg, this.options.earlyStoppingPatience, d.set, () => entry.session.snapshot());
      entry.diagnosis.begin();
      const session = new TrainingSession({
        config: cfg,
        data: trainingData,
        engines,
        resumeFrom: from.checkpoint,
        startPaused: from.paused,
        earlyStoppingPatience: this.options.earlyStoppingPatience,
        callbacks: this.callbacks(entry, store),
      });
      entry.session = session;
      this.active = entry;
      this.imported = null;
      void this.track(session.start());
      post({ type: 'model', model: { source: from.checkpoint && !from.run ? 'imported' : 'trained', config: cfg, trainable: true, description: d.name, patience: this.options.earlyStoppingPatience } });
      return session;
    } catch (e) {
      post({ type: 'error', message: messageOf(e), kind: 'setup' });
      return null;
    } finally {
      this.starting = false;
    }
  }

  /** Runs a search on the loaded data and model options: its trials one after another, each saved as a run. */
  private async startTune(request: TuneRequest): Promise<void> {
    const post = this.post;
    if (this.isLive()) return post({ type: 'error', message: 'A run is going: stop it before starting a search.' });
    const d = this.data;
    if (this.loading || !d?.set) return post({ type: 'error', message: 'Load a dataset, with choices that make a training set, before a search.' });
    if (!this.config) return post({ type: 'error', message: 'Set the model options before a search.' });
    const config = this.runConfig(d, this.config);
    await this.runTune(async () => ({ data: d, config, patience: this.options.earlyStoppingPatience, request }));
  }

  /** Continues a saved search where it was: its data rebuilt from storage, its finished trials kept (not trained again). */
  private async resumeTune(tuneId: string): Promise<void> {
    const post = this.post;
    if (this.isLive()) return post({ type: 'error', message: 'A run is going: stop it before resuming a search.' });
    const [store, tunes] = await Promise.all([this.persistenceReady, this.tunesReady]);
    if (!store || !tunes) return post({ type: 'error', message: 'Saved searches are not available in this browser (no IndexedDB).', kind: 'storage' });
    await this.runTune(async () => {
      const saved = await loadTune(tunes, store, tuneId);
      const data = await this.reopenData(saved.source, 'the search continues on the CPU engine (slower, the same models)');
      const t = saved.tune;
      return { data, config: t.config, patience: t.patience, request: t.definition, saved };
    });
  }

  private async runTune(setup: () => Promise<Pick<TuneHostOptions, 'data' | 'config' | 'patience' | 'request' | 'saved'>>): Promise<void> {
    const post = this.post;
    let host: TuneHost;
    this.starting = true;
    try {
      const previous = this.active;
      this.active = null;
      await previous?.session.dispose();
      const what = await setup();
      const onStorageError = (message: string) => post({ type: 'error', message, kind: 'storage' });
      host = new TuneHost({ post, store: await this.persistenceReady, tunes: await this.tunesReady, engines: await this.engine.engines(), onStorageError, ...what });
    } catch (e) {
      return post({ type: 'error', message: `Cannot search: ${messageOf(e)}`, kind: 'setup' });
    } finally {
      this.starting = false;
    }
    this.tune = host;
    try {
      const result = await host.start();
      const best = result.best;
      post({ type: 'tune-done', reason: result.reason, best, bestRunId: best !== null ? (host.runOf(best)?.id ?? null) : null });
    } catch (e) {
      post({ type: 'error', message: `The search failed: ${messageOf(e)}`, kind: 'setup' });
    } finally {
      this.tune = null;
    }
  }

  private async openRun(runId: string, resume: boolean): Promise<void> {
    const post = this.post;
    if (this.isLive()) return post({ type: 'error', message: 'Stop the current run before opening another.' });
    const store = await this.persistenceReady;
    if (!store) return post({ type: 'error', message: 'Saved runs are not available in this browser (no IndexedDB).', kind: 'storage' });
    try {
      const [run, checkpoint] = await Promise.all([store.getRun(runId), store.loadCheckpoint(runId)]);
      if (!run || !checkpoint) return post({ type: 'error', message: 'This run has no saved checkpoint to open; it may have been deleted.' });
      const source = await store.getDataset(run.fingerprint);
      if (!source) return post({ type: 'error', message: `The data this run trained on ("${run.datasetName}") is not stored, so the run cannot be opened. Load it again and train a new run.` });
      await this.reopenData(source, 'the run continues on the CPU engine (slower, the same model)');
      await this.startRun({ run, checkpoint, paused: !resume }, checkpoint.config);
    } catch (e) {
      post({ type: 'error', message: messageOf(e), kind: 'storage' });
    }
  }

  // ---------- model files ----------

  private async exportFiles(file: Extract<WorkerCommand, { type: 'export' }>['file']): Promise<void> {
    try {
      let files;
      const { active, imported } = this;
      if (active) {
        if (!active.description) throw new Error('This model’s data cannot be described for model.json.');
        files = await exportBundle(file, await active.session.exportParameters(), active.session.config, active.description, runMetrics(active.session.snapshot()));
      } else if (imported) {
        files = await exportBundle(file, imported.tensors, imported.config, descriptionOf(imported.manifest), {});
      } else throw new Error('Train at least one epoch (or import a model) before exporting.');
      this.post({ type: 'exported', file, files }, files.map((f) => f.bytes.buffer as ArrayBuffer));
    } catch (e) {
      this.post({ type: 'error', message: `Export failed: ${messageOf(e)}`, kind: 'export' });
    }
  }

  private async importFiles(read: () => LoadedModel | Promise<LoadedModel>): Promise<void> {
    const post = this.post;
    // The file is checked first: a damaged one is refused for what is wrong with it, whatever runs.
    let model;
    try {
      model = await read();
    } catch (e) {
      return post({ type: 'error', message: `Could not import the model: ${messageOf(e)}`, kind: 'import' });
    }
    if (this.isLive()) return post({ type: 'error', message: 'Stop the current run before importing a model.', kind: 'import' });
    const d = this.data;
    const problem = d ? trainableProblem(model.config, d.set) : 'no data is loaded';
    if (problem || !d) {
      this.active = null;
      this.imported = { config: model.config, tensors: model.tensors, manifest: model.manifest };
      post({ type: 'model', model: { source: 'imported', config: model.config, trainable: false, description: `${model.manifest.dataset.name} (predict only: ${problem})` } });
      post({ type: 'notice', message: `Imported the model. It does not fit the loaded data (${problem}), so it can predict on a CSV with its own columns and be exported, but not train here.` });
      return;
    }
    const cfg: TrainConfig = { ...model.config, ...trainConfigFields(d.set!, model.config.headOn) };
    const description = descriptionOf(model.manifest);
    const trainingData = trainingDataOf(d.set!, [d.name, JSON.stringify(d.choices), JSON.stringify(d.uses)], cfg.headOn);
    const checkpoint = importCheckpoint(cfg, model.tensors, await datasetFingerprint(trainingData), await validationLoss(cfg, model.tensors, d.set!));
    const session = await this.startRun({ checkpoint, description, paused: true }, cfg);
    if (session) post({ type: 'notice', message: `Imported the model (${cfg.cell.toUpperCase()}, ${cfg.numLayers} × ${cfg.hiddenSize}). It is paused at its imported weights: Resume or Step to keep training, or predict on a CSV.` });
  }

  private async predictOn(file: File): Promise<void> {
    try {
      let manifest: ModelManifest;
      let params: NamedTensor[];
      let cfg: TrainConfig;
      const { active, imported } = this;
      if (active) {
        if (!active.description) throw new Error('This model’s data cannot be described, so new data cannot be fed to it.');
        cfg = active.session.config;
        params = await active.session.exportParameters();
        manifest = manifestFor(cfg, active.description, runMetrics(active.session.snapshot()));
      } else if (imported) {
        ({ config: cfg, tensors: params, manifest } = imported);
      } else throw new Error('Train or import a model before predicting.');
      const v = await this.viewFor(cfg);
      if (!v) throw new Error('No engine is available to run the model.');
      const out = await predictFile(file, manifest, params, v);
      this.post({ type: 'predictions', name: file.name, ...out });
    } catch (e) {
      this.post({ type: 'error', message: `Could not predict on "${file.name}": ${messageOf(e)}`, kind: 'data' });
    }
  }

  /** A sample from the weights `entry` trains now (text generation only). */
  private writeSample(entry: Active): Promise<void> {
    const snap = entry.session.snapshot();
    return this.samples.write({ config: entry.config, set: entry.data.set!, choices: entry.data.choices, params: () => entry.session.exportParameters(), epoch: snap.epoch, step: snap.step });
  }

  // ---------- commands ----------

  /** Answers one command from the UI (work that takes time runs on; idle() waits for it). */
  handle(cmd: WorkerCommand): void {
    const a = this.active;
    const live = a && !a.ended ? a.session : null;
    switch (cmd.type) {
      case 'load':
        void this.track(this.load(cmd));
        break;
      case 'set-choices':
        if (this.data && !this.loading) {
          this.data = withChoices(this.data, cmd.choices, cmd.uses);
          this.post({ type: 'data', view: dataView(this.data, false) });
        }
        break;
      case 'configure':
        this.config = cmd.config;
        this.options = { ...this.options, ...cmd.options };
        break;
      case 'start':
        void this.track(this.startRun());
        break;
      case 'pause':
        live?.pause();
        break;
      case 'resume':
        live?.resume();
        break;
      case 'step':
        if (live) live.stepOnce();
        else void this.track(this.startRun({ paused: true }).then((s) => s?.stepOnce()));
        break;
      case 'stop':
        live?.stop();
        this.tune?.stop();
        break;
      case 'tune':
        void this.track(this.startTune(cmd.request));
        break;
      case 'resume-tune':
        void this.track(this.resumeTune(cmd.tuneId));
        break;
      case 'export':
        void this.track(this.exportFiles(cmd.file));
        break;
      case 'open-run':
        void this.track(this.openRun(cmd.runId, cmd.resume));
        break;
      case 'import-model':
        void this.track(this.importFiles(() => importModel(cmd.safetensors, cmd.json)));
        break;
      case 'import-layers-model':
        void this.track(this.importFiles(() => importLayersModel(cmd.files, this.data?.set?.window)));
        break;
      case 'predict-file':
        void this.track(this.predictOn(cmd.file));
        break;
      case 'sample': {
        const problems = this.samples.configure(cmd.request);
        if (problems.length > 0) this.post({ type: 'error', message: `Sampling: ${problems.join('; ')}.` });
        else if (cmd.now && a?.data.set?.task === 'generate') void this.track(this.writeSample(a));
        else if (cmd.now) this.post({ type: 'error', message: 'Train a text-generation model first: samples come from its weights.' });
        break;
      }
      case 'probe-settings':
        this.inspector.setSettings(cmd.settings);
        break;
      case 'boot':
        void this.boot(cmd.engine);
        break;
      case 'use-cpu':
        if (this.isLive()) this.post({ type: 'error', message: 'Stop the current run before switching engines.' });
        else this.engine.useCpu();
        this.post({ type: 'snapshot', snapshot: this.active?.session.snapshot() ?? IDLE_SNAPSHOT });
        break;
      case 'use-webgpu':
        if (this.isLive()) this.post({ type: 'error', message: 'Stop the current run before switching engines.' });
        else void this.track(this.engine.useWebgpu());
        break;
      case 'test-lose-device':
        if (!live?.simulateDeviceLoss()) this.post({ type: 'error', message: 'No run is going, so there is no device to lose.' });
        break;
    }
  }
}
