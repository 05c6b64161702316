// Web Locks that mark a run as live in some tab, so no other tab offers to resume it (absent API: nothing is held).

/** The lock a live run holds while its worker trains it. */
export function runLockName(id: string): string {
  return `lstm-playground-run:${id}`;
}

function locks(): LockManager | null {
  return (globalThis.navigator as Navigator | undefined)?.locks ?? null;
}

/** Holds the run's lock until the returned function is called. */
export function holdRunLock(id: string): () => void {
  const manager = locks();
  if (!manager) return () => undefined;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  void manager.request(runLockName(id), () => held).catch(() => undefined);
  return release;
}

/** Ids of the runs some tab is training right now. */
export async function liveRunIds(): Promise<Set<string>> {
  const manager = locks();
  if (!manager) return new Set();
  const prefix = runLockName('');
  const state = await manager.query().catch(() => ({ held: [] as LockInfo[] }));
  return new Set((state.held ?? []).map((l) => l.name ?? '').filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length)));
}
