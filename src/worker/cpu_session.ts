// Training on the float64 CPU reference engine, for browsers without WebGPU: the session's loop (seeded batches,
// epoch-0 baseline, schedules, early stopping, pause / step / stop, roll-back on divergence) without a GPU. Slower,
// same results up to float32 rounding.
import { validateConfig, type TrainConfig } from '../engine/config';
import type { NamedTensor } from '../engine/tensor';
import { newOptimizerState, type OptimizerState, type ParamMap } from '../reference/recurrent_reference';
import { BatchGatherer, checkData, epochOrder, sampleWidths } from '../training/batches';
import { divergenceMessage, explodedFault, nonFiniteFault, type DivergenceFault } from '../training/faults';
import { initialScheduleState, stepSchedule, usableLr, type ScheduleState } from '../training/lr_schedule';
import { RunControl } from '../training/run_control';
import { SessionMeter } from '../training/session_meter';
import type { DeviceContext, EpochRecord, SessionCallbacks, SessionResult, TrainingData, TrainingSnapshot, TrainingState } from '../training/types';
import { copyParams, cpuLoss, cpuTrainStep, initialParamMap, toParamMap, toTensors } from './cpu_model';
import type { RunSession } from './run_session';

export interface CpuSessionOptions {
  config: TrainConfig;
  data: TrainingData;
  callbacks?: SessionCallbacks;
  startPaused?: boolean;
  earlyStoppingPatience?: number;
  /** Start from these weights instead of the seeded initialization (an imported model). */
  initial?: NamedTensor[];
}

/** Lets the worker read its messages between batches. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

export class CpuSession implements RunSession {
  readonly config: TrainConfig;
  readonly deviceContext: DeviceContext | null = null;
  private readonly data: TrainingData;
  private readonly cb: SessionCallbacks;
  private readonly patience: number;
  private readonly control: RunControl;
  private readonly meter = new SessionMeter(() => performance.now());
  private readonly stepsPerEpoch: number;
  private params: ParamMap;
  private opt: OptimizerState = newOptimizerState();
  private good: { params: ParamMap; opt: OptimizerState; epoch: number; step: number };
  private bestParams: ParamMap | null = null;
  private state: TrainingState = 'idle';
  private epoch = 0;
  private step = 0;
  private stepInEpoch = 0;
  private trainLoss = NaN;
  private gradNorm = NaN;
  private history: EpochRecord[] = [];
  private schedule: ScheduleState;
  private best = { epoch: null as number | null, valLoss: Infinity, badEpochs: 0 };
  private lastPublish = -Infinity;
  private runPromise: Promise<SessionResult> | null = null;

  constructor(options: CpuSessionOptions) {
    this.config = { ...options.config };
    this.data = options.data;
    this.cb = options.callbacks ?? {};
    this.patience = Math.max(0, Math.floor(options.earlyStoppingPatience ?? 0));
    this.control = new RunControl(options.startPaused ?? false);
    this.stepsPerEpoch = Math.ceil(this.data.trainCount / this.config.batchSize);
    this.schedule = initialScheduleState(this.config);
    this.params = options.initial ? toParamMap(options.initial) : initialParamMap(this.config);
    this.good = { params: copyParams(this.params), opt: cloneOpt(this.opt), epoch: 0, step: 0 };
  }

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

  stepOnce(): void {
    this.control.stepOnce(this.state === 'paused');
  }

  stop(): void {
    this.control.stop();
  }

  simulateDeviceLoss(): boolean {
    return false;
  }

  snapshot(): TrainingSnapshot {
    const m = this.meter.read();
    return {
      state: this.state,
      epoch: this.epoch,
      epochs: this.config.epochs,
      step: this.step,
      stepsPerEpoch: this.stepsPerEpoch,
      stepInEpoch: this.stepInEpoch,
      trainLoss: this.trainLoss,
      valLoss: this.history.at(-1)?.valLoss ?? NaN,
      history: this.history.slice(),
      learningRate: this.schedule.lr,
      gradNorm: this.gradNorm,
      samplesPerSec: m.samplesPerSec,
      msPerStep: m.msPerStep,
      elapsedMs: m.elapsedMs,
      bestEpoch: this.best.epoch,
      recoveries: 0,
    };
  }

  async exportParameters(): Promise<NamedTensor[]> {
    return toTensors(this.config, this.params);
  }

  async dispose(): Promise<void> {
    this.stop();
    if (this.runPromise) await this.runPromise;
  }

  private async run(): Promise<SessionResult> {
    const problems = [...validateConfig(this.config), ...checkData(this.data, this.config)];
    let result: SessionResult;
    if (problems.length > 0) {
      const message = `Cannot train: ${problems.join('; ')}.`;
      result = this.end('error', 'failed', message);
      this.cb.onError?.({ kind: 'data', message });
    } else {
      try {
        result = await this.loop();
      } catch (e) {
        if ((e as DivergenceFault).name === 'DivergenceFault') result = this.rollBack(e as DivergenceFault);
        else {
          const message = e instanceof Error ? e.message : String(e);
          result = this.end('error', 'failed', message);
          this.cb.onError?.({ kind: 'internal', message });
        }
      }
    }
    this.cb.onDone?.(result);
    return result;
  }

  private valLoss(): number {
    const d = this.data;
    return d.valCount > 0 ? cpuLoss(this.config, this.params, d.valX, d.valY, d.valCount) : NaN;
  }

  private async loop(): Promise<SessionResult> {
    const c = this.config, d = this.data, B = c.batchSize;
    const w = sampleWidths(c);
    const gatherer = new BatchGatherer(w.x, w.y, B);
    this.setState('training');
    const untrained = this.valLoss();
    this.history = [{ epoch: 0, trainLoss: NaN, valLoss: untrained, learningRate: this.schedule.lr }];
    this.publish(true);
    const limit = 1000 * (Number.isFinite(untrained) ? Math.max(untrained, 1) : 1);
    while (this.epoch < c.epochs) {
      const order = epochOrder(c.seed, this.epoch + 1, d.trainCount);
      let sum = 0;
      while (this.stepInEpoch < this.stepsPerEpoch) {
        if (!(await this.gate())) return this.finish('stopped', null);
        const from = this.stepInEpoch * B;
        const n = Math.min(B, d.trainCount - from);
        const batch = gatherer.gather(d.trainX, d.trainY, order, from, n);
        const r = cpuTrainStep(c, this.params, this.opt, batch.x, batch.y, n, usableLr(this.schedule.lr));
        this.gradNorm = r.gradNorm;
        if (!Number.isFinite(r.gradNorm)) throw nonFiniteFault('training', r.loss, true);
        sum += r.loss;
        this.stepInEpoch += 1;
        this.step += 1;
        this.trainLoss = sum / this.stepInEpoch;
        if (!Number.isFinite(this.trainLoss)) throw nonFiniteFault('training', this.trainLoss, false);
        if (this.trainLoss > limit) throw explodedFault('training', this.trainLoss, limit, untrained);
        this.meter.count(n);
        this.publish(false);
        await yieldToEvents();
      }
      const valLoss = this.valLoss();
      if (d.valCount > 0 && !Number.isFinite(valLoss)) throw nonFiniteFault('validation', valLoss, false);
      if (valLoss > limit) throw explodedFault('validation', valLoss, limit, untrained);
      const record: EpochRecord = { epoch: this.epoch + 1, trainLoss: this.trainLoss, valLoss, learningRate: this.schedule.lr };
      const metric = d.valCount > 0 ? valLoss : this.trainLoss;
      this.epoch = record.epoch;
      this.stepInEpoch = 0;
      this.history.push(record);
      this.schedule = stepSchedule(c, this.schedule, metric);
      const improved = metric < this.best.valLoss;
      this.best = improved ? { epoch: record.epoch, valLoss: metric, badEpochs: 0 } : { ...this.best, badEpochs: this.best.badEpochs + 1 };
      if (improved && this.patience > 0) this.bestParams = copyParams(this.params);
      this.good = { params: copyParams(this.params), opt: cloneOpt(this.opt), epoch: this.epoch, step: this.step };
      this.cb.onEpochEnd?.(record, this.snapshot());
      this.publish(true);
      if (this.patience > 0 && this.best.badEpochs >= this.patience) {
        if (this.bestParams) this.params = this.bestParams;
        return this.finish('early-stopped', `Stopped early: the validation loss did not improve for ${this.patience} epochs. The weights of the best epoch (${this.best.epoch}) were restored.`);
      }
      await yieldToEvents();
    }
    return this.finish('completed', null);
  }

  /** Waits while paused; false once a stop was asked for. */
  private async gate(): Promise<boolean> {
    const control = this.control;
    if (control.stopRequested) return false;
    if (control.holding()) {
      this.setState('paused');
      this.publish(true);
      while (control.holding()) await control.waitForRequest();
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
    const at = { epoch: this.epoch, step: this.step };
    this.params = copyParams(this.good.params);
    this.opt = cloneOpt(this.good.opt);
    this.epoch = this.good.epoch;
    this.step = this.good.step;
    this.stepInEpoch = 0;
    this.history = this.history.filter((h) => h.epoch <= this.good.epoch);
    const message = divergenceMessage(f, at, { epoch: this.good.epoch, step: this.good.step }, this.config);
    const result = this.end('error', 'diverged', message);
    this.cb.onError?.({ kind: 'diverged', message });
    return result;
  }

  private finish(reason: 'completed' | 'stopped' | 'early-stopped', message: string | null): SessionResult {
    return this.end(reason === 'stopped' && this.epoch === 0 ? 'idle' : 'done', reason, message);
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

  private publish(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastPublish < 100) return;
    this.lastPublish = now;
    this.cb.onSnapshot?.(this.snapshot());
  }
}

function cloneOpt(o: OptimizerState): OptimizerState {
  return { step: o.step, m: copyParams(o.m), v: copyParams(o.v) };
}
