// Train / Pause-Resume / Stop buttons; enabled according to the training state.
import { pause, resume, stop, train, trainOnCpu } from './controller';
import { isTuning, useAppState } from './store';

export function TrainingControls() {
  const state = useAppState((s) => s.training.state);
  const hasData = useAppState((s) => s.data !== null && !s.loadingData);
  const engine = useAppState((s) => s.engine);
  const tuning = useAppState(isTuning);
  const active = state === 'training' || state === 'paused';
  return (
    <div className="controls">
      <button type="button" className="primary" data-testid="train-button" disabled={active || tuning || !hasData} onClick={train}>
        Train
      </button>
      <button type="button" data-testid="pause-button" disabled={!active} onClick={state === 'paused' ? resume : pause}>
        {state === 'paused' ? 'Resume' : 'Pause'}
      </button>
      <button type="button" data-testid="stop-button" disabled={!active && !tuning} onClick={stop} title={tuning ? 'Stop the search (the trial training now keeps its checkpoint)' : undefined}>
        Stop
      </button>
      {engine?.kind === 'none' && (
        <button type="button" data-testid="use-cpu-button" onClick={trainOnCpu} disabled={!hasData} title="Switch to the CPU engine in the worker (float32) and start training: the same model as on a GPU">
          Train on the CPU
        </button>
      )}
    </div>
  );
}
