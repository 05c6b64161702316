// Offer shown on opening the page when a run was cut off (reload, crash, closed tab): resume it where it stopped; a
// search cut off the same way has its own offer (TuneControls.tsx).
import { resumeOffered } from './controller';
import { RunsChart } from './RunsChart';
import { discardOffer } from './saved_runs';
import { useAppState } from './store';
import { TuneResumeOffer } from './TuneControls';

export function ResumeOffer() {
  const run = useAppState((s) => s.resumeOffer);
  const tune = useAppState((s) => s.tuneOffer !== null);
  if (tune) return <TuneResumeOffer />;
  if (!run) return null;
  const when = new Date(run.updatedAt).toLocaleString();
  return (
    <section className="panel resume-offer" data-testid="resume-offer" data-run-id={run.id} data-epoch={String(run.epoch)} aria-labelledby="resume-heading">
      <h2 id="resume-heading">Continue your last run?</h2>
      <p>
        “{run.name}” stopped at epoch {run.epoch} of {run.epochs} (step {run.step}) when the page closed ({when}). Its weights,
        optimizer state and curves were saved; it continues exactly from there.
      </p>
      <RunsChart runs={[run]} height={160} testId="resume-offer-chart" />
      <div className="controls">
        <button type="button" className="primary" data-testid="resume-offer-button" onClick={resumeOffered}>
          Resume run
        </button>
        <button type="button" data-testid="resume-offer-discard" onClick={() => void discardOffer()}>
          Not now
        </button>
      </div>
    </section>
  );
}
