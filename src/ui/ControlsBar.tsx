// The run bar: Train / Pause / Stop / Step / Tune and the live status (and the search's), pinned at the top of the left column so it stays in
// view while the page scrolls (beside the charts, never over them).
import { SessionControls } from './SessionControls';
import { TrainingControls } from './TrainingControls';
import { TrainingStatus } from './TrainingStatus';
import { TuneButton, TuneStatus } from './TuneControls';

export function ControlsBar() {
  return (
    <section className="controls-bar" aria-label="Run controls" data-testid="controls-bar">
      <TrainingControls />
      <SessionControls />
      <TuneButton />
      <TrainingStatus />
      <TuneStatus />
    </section>
  );
}
