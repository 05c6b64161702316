// One training loop for the Web Worker and for Node, on any engine (WebGPU or CPU): seeded epochs of mini-batches,
// per-epoch validation, LR schedules, early stopping, checkpoints, and recovery from divergence and device loss.
import { validateConfig, type TrainConfig } from '../engine/config';
import type { Losses, TrainingEngine } from '../engine/engine';
import type { NamedTensor } from '../engine/tensor';
import { BatchGatherer, checkData, epochOrder, queueValidation, sampleWidths } from './batches';
import { captureCheckpoint, modelDifferences, restoreCheckpoint } from './checkpoints';
import { DeviceWatch } from './device_watch';
import { balancedClassWeights } from './class_weights';
import type { EngineFactory } from './engine_factory';
import { DeviceFault, DivergenceFault, checkpointPlace, divergenceMessage, largestMagnitude } from './faults';
import { datasetFingerprint } from './fingerprint';
import { usableLr } from './lr_schedule';
import { RunControl } from './run_control';
import { RunPosition } from './run_position';
import { SessionMeter } from './session_meter';
import { messageOf, resolveOptions, SessionFailure, type ResolvedOptions, type SessionOptions } from './session_options';
import type { Checkpoint, CheckpointReason, DeviceContext, EpochRecord, SessionCallbacks, SessionResult, TrainingData, TrainingSnapshot, TrainingState } from './types';

export type { SessionOptions } from './session_options';

export class TrainingSession {
  readonly config: TrainConfig;
  private readonly data: TrainingData;
  private readonly cb: SessionCallbacks;
  private readonly opts: ResolvedOptions;
  private readonly patience: number;
  /** Keeps the best epoch's weights (early stopping, or a run that starts at its baseline) to end on them. */
  private readonly keepsBest: boolean;
  private readonly now: () => number;
  private readonly meter: SessionMeter;
  private readonly gatherer: BatchGatherer;
  private readonly stepsPerEpoch: number;
  private readonly engines: EngineFactory;

  private ctx: DeviceContext | null;
  /** Watches the engine's device for loss; null for an engine without one (the CPU). */
  private watch: DeviceWatch | null = null;
  private trainer: TrainingEngine | null = null;
  private fingerprintValue = '';
  private runPromise: Promise<SessionResult> | null = null;
  private ended = false;
  private disposed = false;

  private readonly pos: RunPosition;
  private readonly control: RunControl;
  private lastGood: Checkpoint | null = null;
  private state: TrainingState = 'idle';
  private trainLoss = NaN;
  private gradNorm = NaN;
  private recoveries = 0;
  private lastSnapshotAt = -Infinity;
  private lastCheckpointAt = 0;
  private stepsSinceCheckpoint = 0;

  constructor(private readonly options: SessionOptions) {
    // a config saved before class weights existed trains unweighted, as it did
    this.config = { ...options.config, classWeights: options.config.classWeights ?? 'none' };
    this.data = options.data;
    this.cb = options.callbacks ?? {};
    this.opts = resolveOptions(options);
    this.patience = this.opts.earlyStoppingPatience;
    this.keepsBest = this.patience > 0 || this.data.startAtBaseline === true;
    this.now = this.opts.now;
    this.meter = new SessionMeter(this.now);
    this.engines = options.engines;
    this.ctx = this.engines.context;
    this.control = new RunControl(options.startPaused ?? false);
    this.pos = new RunPosition(this.config);
    const w = sampleWidths(this.config);
    this.gatherer = new BatchGatherer(w.x, w.y, this.config.batchSize);
    this.stepsPerEpoch = Math.ceil(this.data.trainCount / this.config.batchSize);
  }

  // ---------- controls ----------

  /** Runs the session to its end (completed, stopped, early-stopped, diverged or failed); calling it again returns the same run. */
  start(): Promise<SessionResult> {
    this.runPromise ??= this.run();
    return this.runPromise;
  }

  pause(): void {
    this.control.pause();
  }

  resume(): void {
    this.control.resume();
  }

  /** Paused (or pausing): train exactly one more batch, then pause again. Training: pause after the current batch. */
  stepOnce(): void {
    this.control.stepOnce(this.state === 'paused');
  }

  stop(): void {
    this.control.stop();
  }

  /** Test hook: destroys the device and treats it as a device loss (reason 'unknown'), so recovery runs. */
  simulateDeviceLoss(): boolean {
    if (!this.watch || this.ended) return false;
    this.watch.simulateLoss();
    return true;
  }

  snapshot(): TrainingSnapshot {
    const m = this.meter.read();
    const p = this.pos;
    return {
      state: this.state,
      epoch: p.epoch,
      epochs: this.config.epochs,
      step: p.step,
      stepsPerEpoch: this.stepsPerEpoch,
      stepInEpoch: p.stepInEpoch,
      trainLoss: this.trainLoss,
      valLoss: p.history.at(-1)?.valLoss ?? NaN,
      history: p.history.slice(),
      learningRate: p.schedule.lr,
      gradNorm: this.gradNorm,
      samplesPerSec: m.samplesPerSec,
      msPerStep: m.msPerStep,
      elapsedMs: m.elapsedMs,
      bestEpoch: p.best.epoch,
      recoveries: this.recoveries,
    };
  }

  /** The most recent good checkpoint (null before training began). */
  lastCheckpoint(): Checkpoint | null {
    return this.lastGood;
  }

  get fingerprint(): string {
    return this.fingerprintValue;
  }

  get deviceContext(): DeviceContext | null {
    return this.ctx;
  }

  /** What the engine runs on: 'webgpu' or 'cpu'. */
  get engineKind(): EngineFactory['kind'] {
    return this.engines.kind;
  }

  /** The engine's weights now (after a divergence: the rolled-back ones); the last checkpoint's if the GPU is gone. */
  async exportParameters(): Promise<NamedTensor[]> {
    if (this.trainer && !this.watch?.fault) {
      try {
        return await this.guard(this.trainer.readParameters());
      } catch {
        // fall through to the checkpoint
      }
    }
    if (this.lastGood) return this.lastGood.parameters;
    throw new Error('There are no trained weights yet: train at least one step.');
  }

  /** Stops the run if needed and frees the engine (GPU buffers); the device itself is left alone. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.stop();
    if (this.runPromise) await this.runPromise;
    this.disposed = true;
    this.releaseTrainer();
  }

  // ---------- the run ----------

  private async run(): Promise<SessionResult> {
    let result: SessionResult;
    try {
      await this.setup();
      result = await this.trainWithRecovery();
    } catch (e) {
      const kind = e instanceof SessionFailure ? e.kind : e instanceof DeviceFault ? 'device-lost' : 'internal';
      result = this.end('error', 'failed', messageOf(e));
      this.cb.onError?.({ kind, message: messageOf(e) });
    }
    this.ended = true;
    this.watch?.detach();
    this.cb.onDone?.(result);
    return result;
  }

  private async setup(): Promise<void> {
    const problems = [...validateConfig(this.config), ...checkData(this.data, this.config)];
    if (problems.length > 0) throw new SessionFailure('data', `Cannot train: ${problems.join('; ')}.`);
    this.fingerprintValue = await datasetFingerprint(this.data);
    const cp = this.options.resumeFrom;
    if (cp) {
      const diff = modelDifferences(cp.config, this.config);
      if (diff.length > 0) throw new SessionFailure('data', `This checkpoint belongs to a different model (${diff.join('; ')}). Use the run's own settings to continue it.`);
      if (cp.fingerprint !== this.fingerprintValue) {
        throw new SessionFailure('data', 'This checkpoint was trained on different data. Load the same file and column, with the same window, to continue it.');
      }
      this.adopt(cp);
      if (this.config.learningRate !== cp.config.learningRate) {
        // A new learning rate scales the schedule where it stands (how a person continues with a lower one).
        this.pos.schedule = { ...this.pos.schedule, lr: this.pos.schedule.lr * (this.config.learningRate / cp.config.learningRate) };
      }
      this.meter.setElapsed(cp.elapsedMs);
      this.lastGood = cp;
    }
    await this.buildTrainer();
    this.setState('training');
    this.publish(true);
  }

  /** An engine (on the current device, if it has one), with the last good checkpoint on it (if any). */
  private async buildTrainer(): Promise<void> {
    const ctx = await this.engines.ready();
    if (ctx && ctx !== this.ctx) this.cb.onDeviceChange?.(ctx);
    this.ctx = ctx;
    this.watch?.detach();
    this.watch = ctx ? new DeviceWatch(ctx.device, () => this.control.wakeUp()) : null;
    try {
      this.trainer = await this.guard(this.engines.build(this.config));
    } catch (e) {
      if (e instanceof DeviceFault) throw e;
      throw new SessionFailure('setup', messageOf(e));
    }
    if (this.config.classWeights === 'balanced') this.trainer.setClassWeights(balancedClassWeights(this.data.trainY, this.config.outputSize));
    if (this.lastGood) {
      restoreCheckpoint(this.trainer, this.lastGood);
      this.trainer.setLearningRate(usableLr(this.pos.schedule.lr));
    }
  }

  /** p, or the device fault as soon as the engine's device is lost (an engine without a device cannot be lost). */
  private guard<T>(p: Promise<T>): Promise<T> {
    return this.watch ? this.watch.guard(p) : p;
  }

  private releaseTrainer(): void {
    this.trainer?.dispose();
    this.trainer = null;
  }

  private async trainWithRecovery(): Promise<SessionResult> {
    for (;;) {
      try {
        return await this.loop();
      } catch (e) {
        if (e instanceof DivergenceFault) return this.rollBack(e);
        if (!(e instanceof DeviceFault)) throw e;
        if (!e.recoverable) throw new SessionFailure('device-lost', `${e.message} ${this.keptMessage()}`);
        if (!this.engines.renew) throw new SessionFailure('device-lost', `${e.message} There is no way to get a new device here. ${this.keptMessage()}`);
        if (this.recoveries >= this.opts.maxRecoveries) {
          throw new SessionFailure('device-lost', `${e.message} The device was lost ${this.recoveries + 1} times in this run, so training stopped. ${this.keptMessage()} Reload the page or restart the browser, then resume.`);
        }
        await this.recover(e);
      }
    }
  }

  private keptMessage(): string {
    const cp = this.lastGood;
    return cp ? `The last checkpoint (${checkpointPlace(cp.epoch, cp.step)}) is kept.` : 'Nothing was trained yet.';
  }

  private async recover(f: DeviceFault): Promise<void> {
    this.recoveries += 1;
    const cp = this.lastGood;
    this.cb.onNotice?.(
      `${f.message} Recovering on a new device (attempt ${this.recoveries} of ${this.opts.maxRecoveries}) from ` +
        `${cp ? checkpointPlace(cp.epoch, cp.step) : 'the start'}.`,
    );
    this.releaseTrainer();
    this.watch?.detach();
    this.watch = null;
    try {
      await this.engines.renew!();
    } catch (e) {
      throw new SessionFailure('device-lost', `${f.message} No new GPU device could be made: ${messageOf(e)} ${this.keptMessage()}`);
    }
    if (cp) this.adopt(cp);
    else this.pos.reset();
    await this.buildTrainer();
  }

  /** Takes a checkpoint's position (its weights go on the GPU in buildTrainer / rollBack). */
  private adopt(cp: Checkpoint): void {
    this.pos.adopt(cp);
    this.stepsSinceCheckpoint = 0;
    this.trainLoss = cp.stepInEpoch > 0 && cp.partialTrain.count > 0 ? cp.partialTrain.sum / cp.partialTrain.count : cp.history.at(-1)?.trainLoss ?? NaN;
  }

  private async loop(): Promise<SessionResult> {
    const c = this.config, d = this.data, B = c.batchSize, p = this.pos;
    const t = this.trainer!;
    if (!this.lastGood) await this.begin();
    while (p.epoch < c.epochs) {
      const order = epochOrder(c.seed, p.epoch + 1, d.trainCount);
      t.setLearningRate(usableLr(p.schedule.lr));
      while (p.stepInEpoch < this.stepsPerEpoch) {
        if (!(await this.gate())) return this.finishStopped();
        const from = p.stepInEpoch * B;
        const n = Math.min(B, d.trainCount - from);
        const batch = this.gatherer.gather(d.trainX, d.trainY, order, from, n);
        t.trainStep(batch.x, batch.y, n);
        await this.guard(t.settled());
        p.stepInEpoch += 1;
        p.step += 1;
        this.stepsSinceCheckpoint += 1;
        this.meter.count(n);
        const now = this.now();
        if (now - this.lastSnapshotAt >= this.opts.snapshotIntervalMs) {
          this.note(await this.guard(t.readLosses()), false);
          this.publish(true);
        }
        if (p.stepInEpoch < this.stepsPerEpoch && now - this.lastCheckpointAt >= this.opts.checkpointIntervalMs) await this.checkpoint('interval');
      }
      if (await this.endEpoch()) return this.finishEarly();
    }
    return this.finish('completed', this.data.startAtBaseline ? this.endOnBest() : null);
  }

  /** A run that started at its baseline ends on its best validation epoch's weights; says which when not the last. */
  private endOnBest(): string | null {
    const { best, bestParameters } = this.pos;
    if (!bestParameters || best.epoch === null || best.epoch === this.pos.epoch) return null;
    this.trainer!.writeParameters(bestParameters);
    if (this.lastGood) this.lastGood = { ...this.lastGood, parameters: bestParameters };
    return best.epoch === 0
      ? 'No epoch beat the untrained model on validation, so the model is kept at its starting point: the naive forecast.'
      : `The weights of the best validation epoch (${best.epoch} of ${this.pos.epoch}) were kept.`;
  }

  /** Epoch 0: the untrained model's validation loss (the divergence baseline) and the first checkpoint. */
  private async begin(): Promise<void> {
    const t = this.trainer!;
    if (this.data.startAtBaseline) t.writeParameters(zeroHead(await this.guard(t.readParameters())));
    t.resetLosses();
    const hasVal = this.evaluate();
    const l = await this.guard(t.readLosses());
    const valLoss = hasVal && Number.isFinite(l.valLoss) ? l.valLoss : NaN;
    this.pos.history = [{ epoch: 0, trainLoss: NaN, valLoss, learningRate: this.pos.schedule.lr }];
    t.resetLosses();
    const atBaseline = this.data.startAtBaseline === true && Number.isFinite(valLoss);
    if (atBaseline) this.pos.best = { epoch: 0, valLoss, badEpochs: 0 };
    await this.checkpoint('start', atBaseline);
    if (atBaseline) this.pos.bestParameters = this.lastGood!.parameters;
  }

  /** Queues validation batches; false when there is no validation data. */
  private evaluate(): boolean {
    return queueValidation(this.trainer!, this.data, this.config);
  }

  /** Checks freshly read losses (throws on divergence) and keeps the live numbers; returns the epoch's train loss. */
  private note(l: Losses, validation: boolean): number {
    this.trainLoss = this.pos.check(l, this.opts.divergenceFactor, validation && this.data.valCount > 0);
    if (l.trainSteps > 0) this.gradNorm = l.gradNorm;
    return this.trainLoss;
  }

  /** Validation, checks, history, schedule, best epoch and the epoch checkpoint; true when early stopping says stop. */
  private async endEpoch(): Promise<boolean> {
    const t = this.trainer!, p = this.pos;
    const hasVal = this.evaluate();
    const l = await this.guard(t.readLosses());
    const trainLoss = this.note(l, true);
    const record: EpochRecord = { epoch: p.epoch + 1, trainLoss, valLoss: hasVal ? l.valLoss : NaN, learningRate: p.schedule.lr };
    const improved = p.endEpoch(record, hasVal ? record.valLoss : record.trainLoss);
    t.resetLosses();
    const cp = await this.checkpoint('epoch', improved);
    if (improved && this.keepsBest) p.bestParameters = cp.parameters;
    this.cb.onEpochEnd?.(record, this.snapshot());
    this.publish(true);
    return this.patience > 0 && p.best.badEpochs >= this.patience;
  }

  /** Takes a good checkpoint of the current position (checking the losses first mid-epoch) and reports it. */
  private async checkpoint(reason: CheckpointReason, improved = false): Promise<Checkpoint> {
    const t = this.trainer!, p = this.pos;
    let partial = p.partial;
    if (reason === 'interval' || reason === 'pause') {
      const l = await this.guard(t.readLosses());
      this.note(l, false);
      partial = p.combined(l);
    }
    const fields = p.fields(this.fingerprintValue, partial, this.meter.read().elapsedMs, this.keepsBest && !improved);
    const cp = await this.guard(captureCheckpoint(t, fields));
    if (improved && this.keepsBest) cp.bestParameters = cp.parameters;
    this.lastGood = cp;
    this.lastCheckpointAt = this.now();
    this.stepsSinceCheckpoint = 0;
    this.cb.onCheckpoint?.(cp, reason);
    return cp;
  }

  /** Waits while paused; false once a stop was asked for. Throws the device fault if the device went away. */
  private async gate(): Promise<boolean> {
    const watch = this.watch, control = this.control;
    watch?.throwIfFault();
    if (control.stopRequested) return false;
    if (control.holding()) {
      this.setState('paused');
      if (this.stepsSinceCheckpoint > 0) await this.checkpoint('pause');
      this.publish(true);
      while (control.holding() && !watch?.fault) await control.waitForRequest();
      watch?.throwIfFault();
      if (control.stopRequested) return false;
    }
    if (control.takeStep()) return true;
    if (this.state !== 'training') {
      this.setState('training');
      this.publish(true);
    }
    return true;
  }

  private rollBack(f: DivergenceFault): SessionResult {
    const cp = this.lastGood!;
    const at = { epoch: this.pos.epoch, step: this.pos.step };
    this.adopt(cp);
    restoreCheckpoint(this.trainer!, cp);
    const context = {
      untrainedLoss: this.pos.history[0]?.valLoss ?? NaN, hadValidation: this.data.valCount > 0,
      largestInput: largestMagnitude(this.data.trainX), largestTarget: largestMagnitude(this.data.trainY),
    };
    const message = divergenceMessage(f, at, { epoch: cp.epoch, step: cp.step }, this.config, context);
    this.cb.onCheckpoint?.({ ...cp, finished: true }, 'end');
    const result = this.end('error', 'diverged', message);
    this.cb.onError?.({ kind: 'diverged', message });
    return result;
  }

  private async finishStopped(): Promise<SessionResult> {
    if (this.stepsSinceCheckpoint > 0) await this.checkpoint('pause');
    return this.finish('stopped', null);
  }

  private async finishEarly(): Promise<SessionResult> {
    const { best, bestParameters } = this.pos;
    if (bestParameters) this.trainer!.writeParameters(bestParameters);
    const message = `Stopped early: the validation loss did not improve for ${this.patience} epochs. The weights of the best epoch (${best.epoch}) were restored.`;
    if (this.lastGood && bestParameters) this.lastGood = { ...this.lastGood, parameters: bestParameters };
    return this.finish('early-stopped', message);
  }

  private finish(reason: 'completed' | 'stopped' | 'early-stopped', message: string | null): SessionResult {
    if (this.lastGood) this.cb.onCheckpoint?.({ ...this.lastGood, finished: true }, 'end');
    return this.end(reason === 'stopped' && this.pos.epoch === 0 ? 'idle' : 'done', reason, message);
  }

  private end(state: TrainingState, reason: SessionResult['reason'], message: string | null): SessionResult {
    this.setState(state);
    this.publish(true);
    return { reason, snapshot: this.snapshot(), message };
  }

  private setState(s: TrainingState): void {
    if (s === this.state) return;
    this.meter.setActive(s === 'training');
    this.state = s;
  }

  private publish(force = false): void {
    const now = this.now();
    if (!force && now - this.lastSnapshotAt < this.opts.snapshotIntervalMs) return;
    this.lastSnapshotAt = now;
    this.cb.onSnapshot?.(this.snapshot());
  }
}

/** The weights with the head's weight and bias set to zero (every other tensor shared). */
function zeroHead(params: NamedTensor[]): NamedTensor[] {
  return params.map((p) => (p.name === 'head.weight' || p.name === 'head.bias' ? { ...p, data: new Float32Array(p.data.length) } : p));
}
