// Step and Resume buttons, live run numbers (learning rate, gradient norm, speed, best epoch) and recovery notices.
import { resume, step } from './controller';
import { attrNumber, formatLoss } from './format';
import { isTuning, useAppState } from './store';

function formatRate(v: number, unit: string): string {
  return Number.isFinite(v) ? `${v >= 100 ? v.toFixed(0) : v.toPrecision(3)} ${unit}` : '—';
}

export function SessionControls() {
  const t = useAppState((s) => s.training);
  const hasData = useAppState((s) => s.data !== null && !s.loadingData);
  const notice = useAppState((s) => s.notice);
  const tuning = useAppState(isTuning);
  const paused = t.state === 'paused';
  const idle = t.state !== 'training' && t.state !== 'paused';
  const best = t.bestEpoch !== null ? t.history.find((h) => h.epoch === t.bestEpoch) : undefined;
  return (
    <div className="session">
      <div className="controls">
        <button
          type="button"
          data-testid="step-button"
          disabled={tuning || !(paused || (idle && hasData))}
          onClick={step}
          title="Train one batch, then pause"
        >
          Step
        </button>
        {paused && (
          <button type="button" className="primary" data-testid="resume-button" onClick={resume}>
            Resume
          </button>
        )}
      </div>
      <p
        className="session-info"
        data-testid="session-info"
        data-best-epoch={t.bestEpoch === null ? '' : String(t.bestEpoch)}
        data-recoveries={String(t.recoveries)}
        data-learning-rate={attrNumber(t.learningRate)}
        data-grad-norm={attrNumber(t.gradNorm)}
      >
        lr {Number.isFinite(t.learningRate) ? t.learningRate.toPrecision(3) : '—'} · grad norm {formatLoss(t.gradNorm)} ·{' '}
        {formatRate(t.samplesPerSec, 'samples/s')} · {formatRate(t.msPerStep, 'ms/step')}
        {best && (
          <>
            {' '}
            · best epoch {best.epoch} (val {formatLoss(best.valLoss)})
          </>
        )}
        {t.recoveries > 0 && <> · recovered from {t.recoveries} GPU loss{t.recoveries === 1 ? '' : 'es'}</>}
      </p>
      {notice && (
        <p className="notice" role="status" data-testid="training-notice">
          {notice}
        </p>
      )}
    </div>
  );
}
