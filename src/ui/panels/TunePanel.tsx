// Tune: set up a search (which settings vary and their values, the strategy, the budget), then watch it — the trials
// table sortable by any column, every trial's validation curve, each setting against the loss — and use the best.
import { useMemo } from 'react';
import { TuneCurvesChart, TuneScatter } from '../charts/TuneCharts';
import { openTune, promoteTrial, setTuneForm, setTuneVary, sortTuneBy, startTune, stopTune } from '../controller';
import { formatDuration, formatLoss } from '../format';
import { knobsToConfig } from '../knobs';
import { isTuning, useAppState, type TuneState } from '../store';
import { describePlan, requestFromForm, TUNE_SETTING_LABELS, TUNE_SETTING_NAMES, TUNE_STRATEGY_LABELS } from '../tune_form';
import { formatSetting, formatTrialTime, scatterPanels, settingNames, sortTrials, tuneCurves, tuneSummary, type TuneSort, type TuneSortKey } from '../tune_view';
import { TUNE_STRATEGIES, type TuneStrategy } from '../../training/tune_strategy';

function TuneForm({ locked }: { locked: boolean }) {
  const form = useAppState((s) => s.tuneForm);
  const knobs = useAppState((s) => s.knobs);
  const choices = useAppState((s) => s.data?.choices ?? null);
  const { config } = useMemo(() => knobsToConfig(knobs), [knobs]);
  const check = useMemo(() => requestFromForm(form, config.epochs, config.seed, choices), [form, config.epochs, config.seed, choices]);
  return (
    <div className="tune-form">
      <fieldset className="tune-vary" disabled={locked}>
        <legend>Settings that vary (a list a,b,c or a range lo..hi)</legend>
        {TUNE_SETTING_NAMES.map((name) => (
          <div className="tune-vary-row" key={name}>
            <label className="inline">
              <input type="checkbox" aria-label={`Vary ${TUNE_SETTING_LABELS[name].toLowerCase()}`} data-testid={`tune-vary-${name}`} checked={form.vary[name].on} onChange={(e) => setTuneVary(name, { on: e.target.checked })} />
              {TUNE_SETTING_LABELS[name]}
            </label>
            <input
              type="text"
              aria-label={`${TUNE_SETTING_LABELS[name]} values`}
              data-testid={`tune-values-${name}`}
              value={form.vary[name].text}
              disabled={!form.vary[name].on}
              spellCheck={false}
              onChange={(e) => setTuneVary(name, { text: e.target.value })}
            />
          </div>
        ))}
      </fieldset>
      <fieldset className="tune-budget" disabled={locked}>
        <legend>Strategy and budget</legend>
        <label>
          Strategy
          <select data-testid="tune-strategy" value={form.strategy} onChange={(e) => setTuneForm({ strategy: e.target.value as TuneStrategy })}>
            {TUNE_STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {TUNE_STRATEGY_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Trials
          <input type="text" inputMode="numeric" data-testid="tune-trials" value={form.trials} placeholder={form.strategy === 'grid' ? 'all' : '8'} onChange={(e) => setTuneForm({ trials: e.target.value })} />
        </label>
        <label>
          Minutes
          <input type="text" inputMode="decimal" data-testid="tune-minutes" value={form.minutes} placeholder="no limit" onChange={(e) => setTuneForm({ minutes: e.target.value })} />
        </label>
        <p className="hint">Each trial trains up to {config.epochs} epochs (the Epochs setting) on the same data and split; every other setting is the Model and Training panels’.</p>
      </fieldset>
      {check.ok ? (
        <p className="hint tune-plan" data-testid="tune-plan">
          {describePlan(check.trials, check.rungs)}
        </p>
      ) : (
        <p className="tune-problem" role="alert" data-testid="tune-problem">
          Cannot search: {check.problem}.
        </p>
      )}
      <div className="controls">
        <button type="button" className="primary" data-testid="tune-start" disabled={locked || !check.ok} onClick={() => startTune()}>
          Start search
        </button>
      </div>
    </div>
  );
}

const RESULT_COLUMNS: { key: TuneSortKey; label: string }[] = [
  { key: 'bestValLoss', label: 'Best val loss' },
  { key: 'epochs', label: 'Epochs' },
  { key: 'seconds', label: 'Time' },
  { key: 'status', label: 'Status' },
];

function SortHead({ label, sortKey, sort }: { label: string; sortKey: TuneSortKey; sort: TuneSort }) {
  const on = sort.key === sortKey;
  return (
    <th scope="col" aria-sort={on ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort-head" data-testid={`tune-sort-${sortKey}`} onClick={() => sortTuneBy(sortKey)}>
        {label}
        {on ? (sort.descending ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
}

function TrialsTable({ tune, tuning }: { tune: TuneState; tuning: boolean }) {
  const sort = useAppState((s) => s.tuneSort);
  const promoted = useAppState((s) => s.tunePromoted);
  const { snapshot, runIds } = tune;
  const names = useMemo(() => settingNames(snapshot), [snapshot]);
  const rows = useMemo(() => sortTrials(snapshot.trials, sort), [snapshot.trials, sort]);
  return (
    <div className="tune-table-wrap">
      <table className="mini tune-trials" data-testid="tune-trials-table" data-sort={`${sort.key}:${sort.descending ? 'desc' : 'asc'}`}>
        <thead>
          <tr>
            <SortHead label="Trial" sortKey="trial" sort={sort} />
            {names.map((n) => (
              <SortHead key={n} label={n} sortKey={`setting:${n}`} sort={sort} />
            ))}
            {RESULT_COLUMNS.map((c) => (
              <SortHead key={c.key} label={c.label} sortKey={c.key} sort={sort} />
            ))}
            <th scope="col" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => {
            const best = t.trial === snapshot.best;
            const canUse = runIds[t.trial] !== undefined && t.epochs > 0;
            return (
              <tr
                key={t.trial}
                className={[best ? 'best' : '', promoted === t.trial ? 'current' : ''].join(' ').trim() || undefined}
                data-testid="tune-trial-row"
                data-trial={t.trial}
                data-status={t.status}
                data-best={String(best)}
                data-current={String(promoted === t.trial)}
                data-val-loss={Number.isFinite(t.bestValLoss) ? String(t.bestValLoss) : ''}
                data-epochs={t.epochs}
                title={t.message ?? undefined}
              >
                <td>
                  {t.trial}
                  {best && <span className="tune-best-tag"> ★ best</span>}
                </td>
                {names.map((n) => (
                  <td key={n}>{formatSetting(t.settings[n])}</td>
                ))}
                <td>{formatLoss(t.bestValLoss)}</td>
                <td>{t.epochs}</td>
                <td>{formatTrialTime(t.seconds)}</td>
                <td>{t.status}</td>
                <td>
                  {promoted === t.trial ? (
                    <span className="tune-current-tag">current model</span>
                  ) : (
                    <button type="button" data-testid="tune-use-trial" disabled={!canUse} title={tuning ? 'Stops the search, then opens this trial’s run as the current model' : 'Open this trial’s run as the current model'} onClick={() => void promoteTrial(t.trial)}>
                      Use
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function TuneResults({ tune, tuning }: { tune: TuneState; tuning: boolean }) {
  const { snapshot, end } = tune;
  const curves = useMemo(() => tuneCurves(snapshot), [snapshot.trials, snapshot.best, snapshot.current?.trial, snapshot.current?.snapshot.history.length]); // eslint-disable-line react-hooks/exhaustive-deps
  const panels = useMemo(() => scatterPanels(snapshot), [snapshot.trials, snapshot.best]); // eslint-disable-line react-hooks/exhaustive-deps
  const best = snapshot.best;
  const promoted = useAppState((s) => s.tunePromoted);
  const ended = end ? (end.reason === 'stopped' ? ' (stopped)' : end.reason === 'minutes' ? ' (the time budget ended it)' : '') : '';
  return (
    <div className="tune-results">
      <div className="tune-head-line">
        <p className="tune-summary" role="status" data-testid="tune-summary" data-state={end ? 'done' : snapshot.state} data-best={best ?? ''}>
          {tuneSummary(snapshot, formatDuration(snapshot.elapsedMs))}
          {ended}
        </p>
        <button
          type="button"
          className="primary"
          data-testid="tune-promote-best"
          disabled={best === null || tune.runIds[best] === undefined || promoted === best}
          title={tuning ? 'Stops the search, then opens the best trial’s run as the current model' : 'Open the best trial’s run as the current model (to export it, or train it further)'}
          onClick={() => best !== null && void promoteTrial(best)}
        >
          {promoted !== null && promoted === best ? `Trial ${best} is the current model` : best !== null ? `Use the best (trial ${best})` : 'Use the best'}
        </button>
      </div>
      <TrialsTable tune={tune} tuning={tuning} />
      <div className="tune-charts">
        <TuneCurvesChart curves={curves} />
        <TuneScatter panels={panels} />
      </div>
    </div>
  );
}

export function TunePanel() {
  const open = useAppState((s) => s.tuneOpen);
  const tune = useAppState((s) => s.tune);
  const tuning = useAppState(isTuning);
  return (
    <section className="panel tune" aria-labelledby="tune-heading" data-testid="tune-panel" data-open={String(open)}>
      <div className="panel-head">
        <h2 id="tune-heading">Tune</h2>
        {tuning ? (
          <button type="button" data-testid="tune-stop" onClick={stopTune}>
            Stop search
          </button>
        ) : (
          <button type="button" data-testid="tune-toggle" aria-expanded={open} onClick={() => openTune(!open)}>
            {open ? 'Hide the search settings' : 'Set up a search'}
          </button>
        )}
      </div>
      {!open && !tune && <p className="placeholder-inline">Search model settings: trials train one after another on this data, each saved in Past runs.</p>}
      {(open || tuning) && <TuneForm locked={tuning} />}
      {tune && <TuneResults tune={tune} tuning={tuning} />}
    </section>
  );
}
