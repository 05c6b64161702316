// What a stored run keeps of the dashboard's looks inside it: the latest probe's gradient flow and the latest
// validation metrics, taken from the inspector's events (copied, since the events' arrays are transferred).
import type { RunGradFlow, RunMetrics } from '../storage/checkpoint_store';
import type { WorkerEvent } from './protocol';

export function runExtrasOf(e: WorkerEvent): { gradFlow: RunGradFlow } | { metrics: RunMetrics } | null {
  if (e.type === 'probe') {
    const p = e.probe;
    return { gradFlow: { step: p.step, epoch: p.epoch, layer: p.layer, direction: p.direction, norms: Array.from(p.gradNorm) } };
  }
  if (e.type === 'evaluation') {
    const { epoch, result: r } = e.evaluation;
    if (r.kind === 'classify') return { metrics: { kind: 'classify', epoch, accuracy: r.accuracy, macroF1: r.macroF1 } };
    if (r.metrics) return { metrics: { kind: 'forecast', epoch, mse: r.metrics.mse, rmse: r.metrics.rmse, mae: r.metrics.mae } };
  }
  return null;
}
