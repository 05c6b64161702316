// Live looks inside the current model for the dashboard: gate probes of the chosen validation sequence a few times a
// second while it trains, and predictions against truth after each epoch, computed here and posted to the UI.
import type { TrainConfig } from '../engine/config';
import { cellText, columnNamed, targetsFor } from '../data/index';
import type { NamedTensor } from '../engine/tensor';
import { sampleWidths } from '../training/batches';
import type { TrainingSnapshot } from '../training/types';
import type { LoadedData } from './data_host';
import { evaluateClasses, evaluateForecast } from './evaluation';
import type { ModelView } from './model_view';
import type { ProbeSettings, WorkerEvent } from './protocol';

/** The model being looked at: its weights (read on demand), config, and the data it trains on. */
export interface Inspected {
  config: TrainConfig;
  data: LoadedData;
  params(): Promise<NamedTensor[]>;
  snapshot(): TrainingSnapshot;
}

const PROBE_INTERVAL_MS = 450;
const TICK_MS = 100;

export class Inspector {
  private settings: ProbeSettings = { sample: 0, layer: 0, direction: 0 };
  private probeDirty = false;
  private evalDirty = false;
  private busy = false;
  private lastProbe = -Infinity;
  private timer: ReturnType<typeof setInterval> | null = null;
  private disposed = false;

  constructor(
    private readonly post: (e: WorkerEvent, transfer?: Transferable[]) => void,
    private readonly current: () => Inspected | null,
    private readonly viewFor: (config: TrainConfig) => Promise<ModelView | null>,
  ) {}

  setSettings(s: ProbeSettings): void {
    this.settings = s;
    this.probeDirty = true;
    this.ensureTimer();
  }

  /** New weights: probe again soon. */
  changed(): void {
    this.probeDirty = true;
    this.ensureTimer();
  }

  /** An epoch ended, the run paused or ended, or a model arrived: predict the validation set again. */
  evaluateSoon(): void {
    this.evalDirty = true;
    this.probeDirty = true;
    this.ensureTimer();
  }

  /** Stops looking (the worker is going away). */
  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.disposed = true;
  }

  private ensureTimer(): void {
    if (this.disposed) return;
    this.timer ??= setInterval(() => void this.tick(), TICK_MS);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    const model = this.current();
    if (!model || (!this.probeDirty && !this.evalDirty)) {
      if (!model) {
        this.probeDirty = this.evalDirty = false;
        if (this.timer) clearInterval(this.timer);
        this.timer = null;
      }
      return;
    }
    const now = performance.now();
    const doEval = this.evalDirty;
    const doProbe = this.probeDirty && now - this.lastProbe >= PROBE_INTERVAL_MS;
    if (!doEval && !doProbe) return;
    this.busy = true;
    try {
      const view = await this.viewFor(model.config);
      if (!view) return;
      const params = await model.params();
      const snap = model.snapshot();
      if (doProbe) {
        this.probeDirty = false;
        this.lastProbe = now;
        await this.probe(view, params, model, snap);
      }
      if (doEval) {
        this.evalDirty = false;
        await this.evaluate(view, params, model, snap);
      }
    } catch {
      // A probe that fails (a device lost mid-way, a model disposed) is simply skipped; the next tick tries again.
    } finally {
      this.busy = false;
    }
  }

  private async probe(view: ModelView, params: NamedTensor[], model: Inspected, snap: TrainingSnapshot): Promise<void> {
    const set = model.data.set;
    const c = model.config;
    if (!set || set.validation.count === 0) return;
    const { x: xw, y: yw } = sampleWidths(c);
    const sample = Math.min(Math.max(0, Math.floor(this.settings.sample)), set.validation.count - 1);
    const layer = Math.min(Math.max(0, this.settings.layer), c.numLayers - 1);
    const direction = c.bidirectional ? Math.min(Math.max(0, this.settings.direction), 1) : 0;
    const x = set.validation.x.slice(sample * xw, (sample + 1) * xw);
    const lastY = set.validation.y.length / set.validation.count;
    const y = targetsFor(set, { count: 1, x, y: set.validation.y.slice(sample * lastY, (sample + 1) * lastY) }, c.headOn);
    if (y.length !== yw) return;
    const p = await view.probe(params, x, y, layer, direction);
    const values = p.names.map((n) => p.values[n]);
    this.post(
      {
        type: 'probe',
        probe: {
          step: snap.step, epoch: snap.epoch, sample, layer, direction, cell: c.cell, window: c.window, hidden: c.hiddenSize, names: p.names, values, gradNorm: p.gradNorm, loss: p.loss,
          ...(set.task === 'generate' && set.vocabulary ? { tokens: Array.from(x, (id) => set.vocabulary![id] ?? '') } : {}),
        },
      },
      [...values.map((v) => v.buffer as ArrayBuffer), p.gradNorm.buffer as ArrayBuffer],
    );
  }

  private async evaluate(view: ModelView, params: NamedTensor[], model: Inspected, snap: TrainingSnapshot): Promise<void> {
    const set = model.data.set;
    if (!set || set.validation.count === 0 || set.task === 'generate') return; // a language model's scores are its losses (bits per character)
    const out = await view.predict(params, set.validation.x, set.validation.count);
    let result;
    if (set.task === 'forecast') {
      const time = model.data.choices?.task === 'forecast' ? model.data.choices.timeColumn : null;
      const column = time ? columnNamed(model.data.used, time) : null;
      result = evaluateForecast(set, out, column && time ? (row) => `${time} ${cellText(column, row)}` : null);
    } else {
      result = evaluateClasses(set.classNames ?? [], out, set.validation.y);
    }
    this.post({ type: 'evaluation', evaluation: { epoch: snap.epoch, step: snap.step, result } });
  }
}
