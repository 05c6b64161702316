// Saved searches for the UI: on opening the page, the last search cut off by a reload (or stopped) comes back in
// the Tune panel with an offer to resume it; discarding it keeps its trials in Past runs (IndexedDB via TuneStore).
import { CheckpointStore } from '../storage/checkpoint_store';
import { liveRunIds } from '../storage/run_locks';
import { TuneStore, type SavedTune } from '../storage/tune_store';
import type { TrialRecord, TuneSnapshot } from '../training/tune_runner';
import { openRunStore, refreshRuns } from './saved_runs';
import { appStore, type TuneState } from './store';

let tuneStore: Promise<TuneStore | null> | null = null;

function report(e: unknown): void {
  appStore.update({ error: e instanceof Error ? e.message : String(e) });
}

export function openTuneStore(): Promise<TuneStore | null> {
  tuneStore ??= TuneStore.open().catch((e: unknown) => {
    report(e);
    return null;
  });
  return tuneStore;
}

/** A trial as the page shows a saved search: the one training when the page closed is stopped (it resumes from its checkpoint). */
function shownTrial(t: TrialRecord): TrialRecord {
  return t.status === 'running' ? { ...t, status: 'stopped' } : t;
}

/** The Tune panel's state for a saved search: its trials table and curves as they were, ended (not running). */
export function tuneStateOf(saved: SavedTune): TuneState {
  const trials = saved.trials.map(shownTrial);
  const snapshot: TuneSnapshot = {
    state: 'done',
    strategy: saved.definition.strategy,
    rungs: saved.rungs,
    rung: Math.max(0, ...saved.jobs.map((j) => j.rung)),
    trials,
    current: null,
    best: saved.best,
    elapsedMs: saved.elapsedMs,
  };
  const bestRunId = saved.best !== null ? (saved.runIds[saved.best] ?? null) : null;
  return { snapshot, runIds: saved.runIds, end: { reason: 'stopped', best: saved.best, bestRunId }, tuneId: saved.id };
}

/** Whether a saved search can continue: cut off (no tab runs it) or stopped, with trials left to train. */
export function resumable(t: SavedTune, live: ReadonlySet<string>): boolean {
  return (t.status === 'stopped' || (t.status === 'running' && !live.has(t.id))) && t.trials.length > 0;
}

/**
 * On opening the page: shows the most recent search if it can continue, with the offer; returns the saved runs of
 * every unfinished search's trials, which are resumed with their search, not offered as runs of their own.
 */
export async function offerTuneResume(): Promise<Set<string>> {
  const store = await openTuneStore();
  if (!store) return new Set();
  try {
    const [tunes, live] = await Promise.all([store.listTunes(), liveRunIds()]);
    const open = tunes.filter((t) => t.status !== 'done');
    const latest = tunes[0];
    const s = appStore.get();
    if (latest && resumable(latest, live) && !s.tune && !s.tuneStarting) appStore.update({ tuneOffer: latest, tune: tuneStateOf(latest) });
    return new Set(open.flatMap((t) => Object.values(t.runIds)));
  } catch (e) {
    report(e);
    return new Set();
  }
}

/** Discards the offered search: it is not offered again; its trials stay in Past runs (the cut-off one as stopped). */
export async function discardTuneOffer(): Promise<void> {
  const offer = appStore.get().tuneOffer;
  if (!offer) return;
  const tune = appStore.get().tune;
  appStore.update({ tuneOffer: null, tune: tune?.tuneId === offer.id ? { ...tune, tuneId: null } : tune });
  const [tunes, runs] = await Promise.all([openTuneStore(), openRunStore()]);
  try {
    await tunes?.deleteTune(offer.id);
    if (runs) await stopRuns(runs, Object.values(offer.runIds));
  } catch (e) {
    report(e);
  }
  await refreshRuns();
}

/** Marks the trials' runs that were cut off as stopped, as declining a run's offer does. */
async function stopRuns(store: CheckpointStore, ids: string[]): Promise<void> {
  for (const id of ids) {
    const run = await store.getRun(id);
    if (run && (run.status === 'running' || run.status === 'paused')) await store.putRun({ ...run, status: 'stopped', message: 'Its search was discarded.' });
  }
}
