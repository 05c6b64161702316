// The search's worker events into the store: snapshots thinned to a few redraws a second (at once when a trial
// changes), the trials array kept when nothing in it changed so the table and charts are not redrawn for nothing.
import type { TrialRecord, TuneEnd, TuneSnapshot } from '../training/tune_runner';
import { appStore } from './store';

/** Snapshots come up to 10 a second; between trial changes the panel redraws at most this often. */
const TUNE_MS = 500;
let lastApplied = 0;
let pending: { snapshot: TuneSnapshot; runIds: Record<number, string>; tuneId: string | null } | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

const sameTrial = (a: TrialRecord, b: TrialRecord) =>
  a.trial === b.trial && a.status === b.status && a.epochs === b.epochs && a.seconds === b.seconds && a.history.length === b.history.length && Object.is(a.bestValLoss, b.bestValLoss);

/** The previous trials array when every record is unchanged (stored references let the panel skip its redraws). */
function stableTrials(prev: TrialRecord[] | undefined, next: TrialRecord[]): TrialRecord[] {
  return prev && prev.length === next.length && prev.every((t, i) => sameTrial(t, next[i])) ? prev : next;
}

function apply(snapshot: TuneSnapshot, runIds: Record<number, string>, tuneId: string | null): void {
  lastApplied = performance.now();
  const prev = appStore.get().tune;
  const trials = stableTrials(prev?.snapshot.trials, snapshot.trials);
  const ids = prev && JSON.stringify(prev.runIds) === JSON.stringify(runIds) ? prev.runIds : runIds;
  appStore.update({ tune: { snapshot: { ...snapshot, trials }, runIds: ids, end: null, tuneId }, tuneStarting: false });
}

/** A snapshot of the search going now; `tuneId` is its saved record (null where nothing is stored). */
export function onTune(snapshot: TuneSnapshot, runIds: Record<number, string>, tuneId: string | null = null): void {
  const prev = appStore.get().tune;
  const changed =
    !prev || prev.end !== null || prev.snapshot.state !== snapshot.state || prev.snapshot.current?.trial !== snapshot.current?.trial ||
    stableTrials(prev.snapshot.trials, snapshot.trials) !== prev.snapshot.trials;
  const now = performance.now();
  if (changed || now - lastApplied >= TUNE_MS) {
    dropPending();
    apply(snapshot, runIds, tuneId);
    return;
  }
  pending = { snapshot, runIds, tuneId };
  timer ??= setTimeout(() => {
    timer = null;
    const p = pending;
    pending = null;
    if (p) apply(p.snapshot, p.runIds, p.tuneId);
  }, TUNE_MS - (now - lastApplied));
}

function dropPending(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  pending = null;
}

/** The search ended: its last snapshot came just before; keep why, and the best trial's run. */
export function onTuneDone(reason: TuneEnd, best: number | null, bestRunId: string | null): void {
  const p = pending;
  dropPending();
  if (p) apply(p.snapshot, p.runIds, p.tuneId);
  const tune = appStore.get().tune;
  if (!tune) return;
  const runIds = best !== null && bestRunId ? { ...tune.runIds, [best]: bestRunId } : tune.runIds;
  appStore.update({ tune: { ...tune, runIds, end: { reason, best, bestRunId } }, tuneStarting: false });
}
