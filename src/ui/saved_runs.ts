// Saved runs for the UI: the run list, the resume offer, deleting and comparing runs (IndexedDB via CheckpointStore).
import { CheckpointStore } from '../storage/checkpoint_store';
import { liveRunIds } from '../storage/run_locks';
import { appStore } from './store';

let runStore: Promise<CheckpointStore | null> | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;

function report(e: unknown): void {
  appStore.update({ error: e instanceof Error ? e.message : String(e) });
}

export function openRunStore(): Promise<CheckpointStore | null> {
  runStore ??= CheckpointStore.open().catch((e: unknown) => {
    report(e);
    return null;
  });
  return runStore;
}

export async function refreshRuns(): Promise<void> {
  const store = await openRunStore();
  if (!store) return;
  try {
    const runs = await store.listRuns();
    const ids = new Set(runs.map((r) => r.id));
    appStore.update({ runs, compareIds: appStore.get().compareIds.filter((id) => ids.has(id)) });
  } catch (e) {
    report(e);
  }
}

/** Re-reads the run list at most once a second while checkpoints land. */
export function scheduleRunsRefresh(): void {
  refreshTimer ??= setTimeout(() => {
    refreshTimer = null;
    void refreshRuns();
  }, 1000);
}

/** On opening the page: offer the most recent unfinished run that no tab is training (not a trial of a search in `skip`). */
export async function offerResume(skip: ReadonlySet<string> = new Set()): Promise<void> {
  await refreshRuns();
  const live = await liveRunIds();
  const offer = appStore.get().runs.find((r) => (r.status === 'running' || r.status === 'paused') && r.hasCheckpoint && !live.has(r.id) && !skip.has(r.id));
  const state = appStore.get().training.state;
  if (offer && state !== 'training' && state !== 'paused') appStore.update({ resumeOffer: offer });
}

/** Declines the offer: the run stays in the list as stopped and is not offered again. */
export async function discardOffer(): Promise<void> {
  const offer = appStore.get().resumeOffer;
  appStore.update({ resumeOffer: null });
  const store = await openRunStore();
  if (offer && store) await store.putRun({ ...offer, status: 'stopped', message: 'Not resumed.' }).catch(report);
  await refreshRuns();
}

export async function deleteRun(id: string): Promise<void> {
  const s = appStore.get();
  const state = s.training.state;
  if (id === s.activeRunId && (state === 'training' || state === 'paused')) return report(new Error('Stop this run before deleting it.'));
  const store = await openRunStore();
  if (!store) return;
  try {
    await store.deleteRun(id);
  } catch (e) {
    report(e);
  }
  if (appStore.get().resumeOffer?.id === id) appStore.update({ resumeOffer: null });
  await refreshRuns();
}

export function toggleCompare(id: string): void {
  const ids = appStore.get().compareIds;
  appStore.update({ compareIds: ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id] });
}

/** Opens (or closes) the Compare panel on the ticked runs. */
export function setCompareOpen(open: boolean): void {
  appStore.update({ compareOpen: open });
}

/** Lists only the settings the compared runs differ in (or every setting). */
export function setCompareOnlyDiffs(only: boolean): void {
  appStore.update({ compareOnlyDiffs: only });
}
