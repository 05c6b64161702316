// Live training status line; its data-* attributes carry the raw numbers for tests and tools.
import { useAppState } from './store';
import { attrNumber, formatLoss, formatSeconds } from './format';
import type { TrainingSnapshot } from '../worker/protocol';

function describe(t: TrainingSnapshot): string {
  switch (t.state) {
    case 'idle':
      return t.step > 0 ? 'Stopped before the first epoch finished.' : 'Ready. Press Train.';
    case 'training':
      return `Training: epoch ${Math.min(t.epoch + 1, t.epochs)} of ${t.epochs}`;
    case 'paused':
      return `Paused after ${t.epoch} of ${t.epochs} epochs`;
    case 'done':
      return `Finished ${t.epoch} of ${t.epochs} epochs`;
    case 'error':
      return 'Stopped by an error.';
  }
}

export function TrainingStatus() {
  const t = useAppState((s) => s.training);
  const running = t.state !== 'idle' || t.step > 0;
  return (
    <div
      className={`status status-${t.state}`}
      role="status"
      data-testid="training-status"
      data-state={t.state}
      data-epoch={String(t.epoch)}
      data-step={String(t.step)}
      data-train-loss={attrNumber(t.trainLoss)}
      data-val-loss={attrNumber(t.valLoss)}
    >
      <strong>{describe(t)}</strong>
      {running && (
        <span className="metrics">
          step {t.step} · train loss {formatLoss(t.trainLoss)} · val loss {formatLoss(t.valLoss)} ·{' '}
          {formatSeconds(t.elapsedMs)}
        </span>
      )}
    </div>
  );
}
