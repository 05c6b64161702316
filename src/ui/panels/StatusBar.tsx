// Status bar: the engine (GPU name, SwiftShader, or the CPU fallback), samples per second, ms per step, epoch, ETA.
import { etaMs } from '../chart_rows';
import { formatDuration } from '../format';
import { useAppState } from '../store';

function rate(v: number, digits = 3): string {
  return Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toPrecision(digits)) : '—';
}

export function StatusBar() {
  const engine = useAppState((s) => s.engine);
  const t = useAppState((s) => s.training);
  const device = !engine
    ? 'starting…'
    : engine.kind === 'cpu'
      ? engine.adapter
        ? `CPU engine (float32) · over ${engine.adapter.software ? 'software ' : ''}WebGPU (${engine.adapter.info})`
        : 'CPU fallback (CPU engine, float32)'
      : engine.kind === 'none'
        ? 'no WebGPU'
        : `${engine.software ? 'SwiftShader (software) · ' : 'GPU · '}${engine.info}`;
  const running = t.state === 'training';
  return (
    <div className="status-bar" data-testid="status-bar" role="status" aria-live="off" data-engine={engine?.kind ?? ''}>
      <span title="Where training runs" data-testid="status-device">
        <b>Device</b> {device}
      </span>
      <span>
        <b>Samples/s</b> {rate(t.samplesPerSec)}
      </span>
      <span>
        <b>ms/step</b> {rate(t.msPerStep)}
      </span>
      <span>
        <b>Epoch</b> {t.epochs > 0 ? `${t.epoch} / ${t.epochs}` : '—'}
      </span>
      <span>
        <b>ETA</b> {running ? formatDuration(etaMs(t)) : '—'}
      </span>
    </div>
  );
}
