// Gathers what the diagnosis reads while a run goes: the sampled gradient norms, the latest gate probe and the
// latest validation score, beside the run's settings, data facts and baselines; diagnose() then checks them.
import { diagnose } from './diagnosis';
import type { BaselineLike, DataFacts, DiagnosedConfig, Finding, ProbeFacts, ValidationScore } from './diagnosis_types';
import type { EndReason, EpochRecord, TrainingSnapshot } from './types';

/** Most gradient norms kept; older ones are thinned to every other (spikes stay visible against their neighbours). */
export const MAX_NORMS = 4000;

export class DiagnosisRecorder {
  private norms: number[] = [];
  private lastStep = -1;
  private probe: ProbeFacts | null = null;
  private validation: ValidationScore | null = null;

  constructor(
    private readonly config: DiagnosedConfig,
    private readonly data: DataFacts,
    private readonly baselines: BaselineLike[],
  ) {}

  /** Keeps the snapshot's gradient norm (the latest step's, before clipping) when it is a new step's. */
  noteSnapshot(s: Pick<TrainingSnapshot, 'step' | 'gradNorm'>): void {
    if (s.step === this.lastStep || !Number.isFinite(s.gradNorm)) return;
    this.lastStep = s.step;
    this.norms.push(s.gradNorm);
    if (this.norms.length > MAX_NORMS) this.norms = this.norms.filter((_, k) => k % 2 === 1);
  }

  noteProbe(p: ProbeFacts): void {
    this.probe = p;
  }

  noteValidation(v: ValidationScore | null): void {
    this.validation = v;
  }

  get hasProbe(): boolean {
    return this.probe !== null;
  }

  diagnose(history: EpochRecord[], final: boolean, endReason?: EndReason): Finding[] {
    return diagnose({
      history,
      final,
      endReason,
      config: this.config,
      data: this.data,
      baselines: this.baselines,
      validation: this.validation,
      gradNorms: this.norms,
      probe: this.probe,
    });
  }
}
