// The run bar's Tune button (opens the Tune panel's search setup, or starts it when open) and, while a search has
// results, its one-line live status (with Resume for a stopped one); the offer to continue a search a reload cut off.
import { formatDuration } from './format';
import { openTune, resumableTuneId, resumeTune, startTune } from './controller';
import { discardTuneOffer, tuneStateOf } from './saved_tunes';
import { isTuning, useAppState } from './store';
import { TUNE_STRATEGY_LABELS } from './tune_form';
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
  const canResume = useAppState((s) => resumableTuneId(s) !== null && s.tuneOffer === null && !isTuning(s));
  if (!tune && !starting) return null;
  const s = tune?.snapshot;
  return (
    <>
      <p className="tune-status" data-testid="tune-status" data-state={starting ? 'starting' : tune?.end ? 'done' : (s?.state ?? '')} data-finished={s ? finishedCount(s) : 0} data-trials={s?.trials.length ?? 0}>
        {s && !starting ? tuneSummary(s, formatDuration(s.elapsedMs)) : 'Starting the search…'}
      </p>
      {canResume && (
        <button type="button" data-testid="tune-resume" title="Continue the stopped search where it was: finished trials are kept, the stopped one continues from its checkpoint" onClick={() => resumeTune()}>
          Resume search
        </button>
      )}
    </>
  );
}

/** Offer shown on opening the page when a search was cut off (reload, closed tab) or stopped: continue it where it was. */
export function TuneResumeOffer() {
  const offer = useAppState((s) => s.tuneOffer);
  if (!offer) return null;
  // Finished: as the page showed it when it closed (the trial training then is not).
  const finished = finishedCount({ ...tuneStateOf(offer).snapshot, trials: offer.trials });
  const trained = new Set(offer.jobs.map((j) => j.trial)).size;
  const cut = offer.trials.find((t) => t.status === 'running');
  const when = new Date(offer.updatedAt).toLocaleString();
  const how = offer.status === 'stopped' ? 'was stopped' : 'was cut off when the page closed';
  const next = cut ? `trial ${cut.trial} continues from its last checkpoint` : 'the next trial starts';
  return (
    <section className="panel resume-offer" data-testid="tune-resume-offer" data-tune-id={offer.id} data-status={offer.status} data-finished={finished} data-trials={offer.trials.length} aria-labelledby="tune-resume-heading">
      <h2 id="tune-resume-heading">Continue your last search?</h2>
      <p>
        “{offer.name}” {how} ({when}) after {trained} of {offer.trials.length} trials had trained ({finished} finished). Its trials and checkpoints were saved
        (they are in the Tune panel): resuming keeps the finished trials, {next}, and the {TUNE_STRATEGY_LABELS[offer.definition.strategy].toLowerCase()} goes
        on from where it was.
      </p>
      <div className="controls">
        <button type="button" className="primary" data-testid="tune-resume-offer-button" onClick={() => resumeTune()}>
          Resume search
        </button>
        <button type="button" data-testid="tune-resume-offer-discard" title="Forget the search (its trials stay in Past runs)" onClick={() => void discardTuneOffer()}>
          Discard
        </button>
      </div>
    </section>
  );
}
