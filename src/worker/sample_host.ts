// The Samples panel's writer: text from a copy of the current weights, one token at a time on the CPU, in the worker.
import type { TrainConfig } from '../engine/config';
import type { NamedTensor } from '../engine/tensor';
import type { TrainingChoices, TrainingSet } from '../data/training_types';
import { DEFAULT_SAMPLE, sampleProblems, sampleText } from '../model_io/sampling';
import { StepModel } from '../model_io/step_model';
import type { SampleRequest, SampleView, WorkerEvent } from './protocol';

export const DEFAULT_SAMPLE_REQUEST: SampleRequest = { ...DEFAULT_SAMPLE, length: 200, prime: '', afterEachEpoch: true };

export interface SampleSource {
  config: TrainConfig;
  set: TrainingSet;
  choices: TrainingChoices | null;
  /** A copy of the weights (the session's exportParameters). */
  params: () => Promise<NamedTensor[]>;
  epoch: number;
  step: number;
}

/**
 * Keeps the sampling settings and writes samples. Sampling runs on the CPU in float64 (StepModel): for the page's
 * models one token costs well under a millisecond there, while the GPU engine has no single-step entry with the state
 * carried and would pay a submit and a readback per token (README: "Text generation").
 */
export class SampleHost {
  private settings: SampleRequest = DEFAULT_SAMPLE_REQUEST;
  private busy = false;

  constructor(private readonly post: (e: WorkerEvent) => void) {}

  /** New settings; returns the problems with them (empty when they were taken). */
  configure(request: SampleRequest): string[] {
    const problems = sampleProblems(request);
    if (problems.length === 0) this.settings = { ...request };
    return problems;
  }

  get afterEachEpoch(): boolean {
    return this.settings.afterEachEpoch;
  }

  /** Writes one sample from `source` with the current settings and posts it; one at a time (a second call while busy is skipped). */
  async write(source: SampleSource): Promise<void> {
    const { set, config } = source;
    if (set.task !== 'generate' || !set.vocabulary || this.busy) return;
    this.busy = true;
    try {
      const params = await source.params();
      const level = source.choices?.task === 'generate' ? (source.choices.tokens ?? 'char') : 'char';
      const s = this.settings;
      const started = performance.now();
      const sample = sampleText(new StepModel(config, params), { tokens: set.vocabulary, level, padId: 0, unknownId: 1 }, s.prime, s);
      const ms = performance.now() - started;
      const view: SampleView = { epoch: source.epoch, step: source.step, settings: { ...s }, text: sample.text, ms, tokensPerSecond: (s.length / Math.max(ms, 1e-3)) * 1000 };
      this.post({ type: 'sample', sample: view });
    } catch (e) {
      this.post({ type: 'error', message: `Could not write a sample: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      this.busy = false;
    }
  }
}
