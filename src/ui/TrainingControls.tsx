// Train / Pause-Resume / Stop / Export buttons; enabled according to the training state.
import { exportModel, pause, resume, stop, train } from './controller';
import { useAppState } from './store';

export function TrainingControls() {
  const state = useAppState((s) => s.training.state);
  const trainedEpochs = useAppState((s) => s.training.history.length);
  const hasData = useAppState((s) => s.dataset !== null);
  const exporting = useAppState((s) => s.exporting);
  const active = state === 'training' || state === 'paused';
  return (
    <div className="controls">
      <button type="button" className="primary" data-testid="train-button" disabled={active || !hasData} onClick={train}>
        Train
      </button>
      <button type="button" data-testid="pause-button" disabled={!active} onClick={state === 'paused' ? resume : pause}>
        {state === 'paused' ? 'Resume' : 'Pause'}
      </button>
      <button type="button" data-testid="stop-button" disabled={!active} onClick={stop}>
        Stop
      </button>
      <button
        type="button"
        data-testid="export-safetensors"
        disabled={trainedEpochs < 1 || exporting}
        onClick={exportModel}
        title="Downloads model.safetensors and model.json for PyTorch"
      >
        {exporting ? 'Exporting…' : 'Export for PyTorch'}
      </button>
    </div>
  );
}
