// The run's diagnosis in the worker: notes what the run shows (snapshots' gradient norms, gate probes, validation
// evaluations) and posts the findings after each epoch, when a new evaluation or probe changes them, and at the end.
import type { TrainingSet } from '../data/training_types';
import type { TrainConfig } from '../engine/config';
import { dataFacts, probeFacts } from '../training/diagnosis_facts';
import { DiagnosisRecorder } from '../training/diagnosis_recorder';
import type { EndReason, TrainingSnapshot } from '../training/types';
import type { WorkerEvent } from './protocol';

export class DiagnosisHost {
  private readonly recorder: DiagnosisRecorder;
  private final = false;
  private endReason: EndReason | undefined;
  private lastChecks = '';

  constructor(
    private readonly post: (e: WorkerEvent) => void,
    config: TrainConfig,
    patience: number,
    set: TrainingSet,
    private readonly snapshot: () => TrainingSnapshot,
  ) {
    this.recorder = new DiagnosisRecorder({ ...config, patience }, dataFacts(set), set.baselines);
  }

  /** A new run: an empty diagnosis replaces the last run's on the page. */
  begin(): void {
    this.post({ type: 'diagnosis', diagnosis: { epoch: 0, final: false, findings: [] } });
  }

  noteSnapshot(s: TrainingSnapshot): void {
    this.recorder.noteSnapshot(s);
  }

  epochEnd(): void {
    this.publish(true);
  }

  done(reason: EndReason): void {
    this.final = true;
    this.endReason = reason;
    this.publish(true);
  }

  /** Reads a probe or an evaluation on its way to the UI (before its arrays are transferred). */
  observe(e: WorkerEvent): void {
    if (e.type === 'probe') {
      this.recorder.noteProbe(probeFacts(e.probe));
      this.publish(false);
    } else if (e.type === 'evaluation') {
      const r = e.evaluation.result;
      if (r.kind === 'forecast') this.recorder.noteValidation(r.metrics ? { mse: r.metrics.mse } : null);
      else if (r.kind === 'classify') this.recorder.noteValidation({ accuracy: r.accuracy });
      this.publish(true);
    }
  }

  /** Posts the findings; unless forced, only when the checks found changed (probes come several times a second). */
  private publish(force: boolean): void {
    const s = this.snapshot();
    const findings = this.recorder.diagnose(s.history, this.final, this.endReason);
    const checks = findings.map((f) => f.check).join();
    if (!force && checks === this.lastChecks) return;
    this.lastChecks = checks;
    this.post({ type: 'diagnosis', diagnosis: { epoch: s.epoch, final: this.final, findings } });
  }
}
