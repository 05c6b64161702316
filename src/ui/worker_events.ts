// What the UI does with each event from the training worker: store updates, downloads, and the data form's sync.
import type { DataView, ProbeView, WorkerEvent } from '../worker/protocol';
import { chartRows } from './chart_rows';
import { noteStep } from './charts/step_series';
import { flushChoices, scheduleHash, takePendingHashForm } from './controller';
import { formFromChoices } from './data_choices';
import { downloadBytes } from './download';
import { configToKnobs, knobsForTask } from './knobs';
import { cancelPreset, presetDataLoaded, presetRunEnded, presetRunSaved } from './preset_runner';
import { scheduleRunsRefresh } from './saved_runs';
import { clearSamples, onSample } from './samples_store';
import { appStore, type ChartRow, type GradColumn } from './store';
import { onTune, onTuneDone } from './tune_events';
import { applyHashForm } from './url_state';
import type { EpochLoss, TrainingSnapshot } from '../worker/protocol';

/** Most gradient profiles kept for the across-training heatmap; older ones are thinned to every other. */
export const GRAD_HISTORY_MAX = 160;

let lastTick = 0;
/** Snapshots arrive up to 10 a second; the page redraws at most 5 a second (state and epoch changes at once). */
const SNAPSHOT_MS = 200;
let lastApplied = 0;
let pending: TrainingSnapshot | null = null;
let pendingTimer: ReturnType<typeof setTimeout> | null = null;

function applySnapshot(snapshot: TrainingSnapshot): void {
  lastApplied = performance.now();
  const tick = snapshot.state !== 'training' || snapshot.state !== appStore.get().training.state || lastApplied - lastTick >= 1000;
  if (tick) lastTick = lastApplied;
  appStore.update({ training: snapshot, chart: chartFor(snapshot.history, snapshot.state === 'training'), ...(tick ? { stepTick: appStore.get().stepTick + 1 } : {}) });
}

function dropPendingSnapshot(): void {
  if (pendingTimer) clearTimeout(pendingTimer);
  pendingTimer = null;
  pending = null;
}

function onSnapshot(snapshot: TrainingSnapshot): void {
  noteStep(snapshot.step, snapshot.stepsPerEpoch, snapshot.gradNorm);
  const current = appStore.get().training;
  const now = performance.now();
  if (snapshot.state !== current.state || snapshot.epoch !== current.epoch || now - lastApplied >= SNAPSHOT_MS) {
    dropPendingSnapshot();
    applySnapshot(snapshot);
    return;
  }
  pending = snapshot;
  pendingTimer ??= setTimeout(() => {
    pendingTimer = null;
    const p = pending;
    pending = null;
    if (p) applySnapshot(p);
  }, SNAPSHOT_MS - (now - lastApplied));
}

/** While training, the loss chart redraws at most this often (a Recharts redraw is the page's largest task). */
const CHART_MS = 1500;
let lastChart = 0;

/**
 * Chart rows for the current history, or the old ones while the tab is hidden (drawing pauses, training does not)
 * or while the last redraw is recent during training (the next snapshot brings the new epochs).
 */
function chartFor(history: EpochLoss[], training: boolean): ChartRow[] {
  const s = appStore.get();
  if (typeof document !== 'undefined' && document.hidden) return s.chart;
  const same = history.length === s.chart.length && history.length === s.training.history.length && history.at(-1)?.epoch === s.chart.at(-1)?.epoch;
  if (same) return s.chart;
  const now = performance.now();
  if (training && s.chart.length > 0 && now - lastChart < CHART_MS) return s.chart;
  lastChart = now;
  return chartRows(history);
}

function onData(view: DataView): void {
  const s = appStore.get();
  const fresh = s.data?.loadId !== view.loadId;
  if (!fresh) {
    // A choices update: the table (and so its preview) is the one already shown.
    appStore.update({ data: { ...view, preview: s.data!.preview, previewRows: s.data!.previewRows }, loadingData: false, dataProgress: null });
    return;
  }
  clearSamples();
  let form = view.choices && view.set ? formFromChoices(view.choices, view.set.window, view.columns, s.form) : s.form;
  const picks = view.example ? takePendingHashForm() : null;
  form = applyHashForm(form, picks);
  const maxSample = Math.max(0, (view.set?.counts.validation ?? 1) - 1);
  const knobs = view.set && view.set.task !== s.data?.set?.task ? knobsForTask(view.set.task, s.knobs) : s.knobs;
  appStore.update({ data: view, form, knobs, formProblems: [], loadingData: false, dataProgress: null, probeSample: Math.min(s.probeSample, maxSample) });
  if (picks) flushChoices();
  scheduleHash();
  presetDataLoaded(view.example);
}

/** Thins a long history to every other column, keeping the newest. */
function pushGrad(history: GradColumn[], col: GradColumn): GradColumn[] {
  const last = history.at(-1);
  if (last && last.step === col.step) return [...history.slice(0, -1), col];
  const next = [...history, col];
  if (next.length <= GRAD_HISTORY_MAX) return next;
  return next.filter((_, i) => i % 2 === 1 || i === next.length - 1);
}

function onProbe(probe: ProbeView): void {
  const s = appStore.get();
  const col: GradColumn = { step: probe.step, epoch: probe.epoch, norms: probe.gradNorm };
  const sameShape = s.gradHistory.length === 0 || s.gradHistory[0].norms.length === probe.gradNorm.length;
  appStore.update({
    probe,
    gradHistory: pushGrad(sameShape ? s.gradHistory : [], col),
    gradByCell: { ...s.gradByCell, [probe.cell]: { ...col, window: probe.window } },
  });
}

export function handleEvent(ev: WorkerEvent): void {
  switch (ev.type) {
    case 'engine':
      appStore.update({ engine: ev.engine });
      break;
    case 'data-progress':
      appStore.update({ dataProgress: { name: ev.name, bytesRead: ev.bytesRead, totalBytes: ev.totalBytes, rowsRead: ev.rowsRead } });
      break;
    case 'data':
      onData(ev.view);
      break;
    case 'data-error':
      appStore.update({ loadingData: false, dataProgress: null, error: `Could not load "${ev.name}": ${ev.message}` });
      if (ev.during === 'load') cancelPreset();
      break;
    case 'snapshot':
      onSnapshot(ev.snapshot);
      break;
    case 'done':
      dropPendingSnapshot();
      appStore.update({ training: ev.snapshot, chart: chartFor(ev.snapshot.history, false), stepTick: appStore.get().stepTick + 1 });
      if (ev.reason === 'early-stopped' && ev.message) appStore.update({ notice: ev.message });
      scheduleRunsRefresh();
      presetRunEnded(!ev.stopped && (ev.reason === 'completed' || ev.reason === 'early-stopped'));
      break;
    case 'epoch-end':
      break;
    case 'notice':
      appStore.update({ notice: ev.message });
      break;
    case 'error':
      appStore.update({ error: ev.message, exporting: null, tuneStarting: false });
      break;
    case 'probe':
      onProbe(ev.probe);
      break;
    case 'sample':
      onSample(ev.sample);
      break;
    case 'evaluation':
      appStore.update({ evaluation: ev.evaluation });
      break;
    case 'diagnosis':
      appStore.update({ diagnosis: ev.diagnosis });
      break;
    case 'exported':
      for (const f of ev.files) downloadBytes(f.bytes, f.name, f.mime);
      appStore.update({ exporting: null });
      break;
    case 'model': {
      const s = appStore.get();
      if (ev.model.source === 'imported') {
        appStore.update({ model: ev.model, knobs: configToKnobs(ev.model.config, Number(s.knobs.patience) || 0, s.knobs) });
        scheduleHash();
      } else appStore.update({ model: ev.model });
      break;
    }
    case 'predictions':
      downloadBytes(new TextEncoder().encode(ev.csv), `predictions-${ev.name.replace(/\.csv$/i, '')}.csv`, 'text/csv');
      appStore.update({ predictions: { name: ev.name, rows: ev.rows, notes: ev.notes } });
      break;
    case 'tune':
      onTune(ev.snapshot, ev.runIds, ev.tuneId ?? null);
      break;
    case 'tune-done':
      onTuneDone(ev.reason, ev.best, ev.bestRunId);
      scheduleRunsRefresh();
      break;
    case 'run':
      if (appStore.get().activeRunId !== ev.run.id) appStore.update({ activeRunId: ev.run.id });
      presetRunSaved(ev.run);
      scheduleRunsRefresh();
      break;
  }
}
