// The run bar's Tune button (opens the Tune panel's search setup, or starts it when open) and, while a search has
// results, its one-line live status.
import { formatDuration } from './format';
import { openTune, startTune } from './controller';
import { isTuning, useAppState } from './store';
import { finishedCount, tuneSummary } from './tune_view';

function showPanel(): void {
  requestAnimationFrame(() => document.getElementById('tune-heading')?.scrollIntoView({ block: 'start' }));
}

export function TuneButton() {
  const open = useAppState((s) => s.tuneOpen);
  const tuning = useAppState(isTuning);
  const busy = useAppState((s) => s.training.state === 'training' || s.training.state === 'paused');
  const hasData = useAppState((s) => s.data !== null && !s.loadingData);
  return (
    <div className="controls">
      <button
        type="button"
        data-testid="tune-button"
        disabled={tuning || busy || !hasData}
        title={open ? 'Start the search set up in the Tune panel' : 'Set up a search over model settings (the Tune panel)'}
        onClick={() => {
          if (open) startTune();
          else openTune(true);
          showPanel();
        }}
      >
        Tune
      </button>
    </div>
  );
}

export function TuneStatus() {
  const tune = useAppState((s) => s.tune);
  const starting = useAppState((s) => s.tuneStarting);
  if (!tune && !starting) return null;
  const s = tune?.snapshot;
  return (
    <p className="tune-status" data-testid="tune-status" data-state={tune?.end ? 'done' : starting ? 'starting' : (s?.state ?? '')} data-finished={s ? finishedCount(s) : 0} data-trials={s?.trials.length ?? 0}>
      {s ? tuneSummary(s, formatDuration(s.elapsedMs)) : 'Starting the search…'}
    </p>
  );
}
