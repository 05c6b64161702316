// The person's data choices: task, target or label, inputs, time and group columns, window, horizon, split,
// normalization and missing values. Every control is a labelled native input; the worker rebuilds the set.
import type { ReactNode } from 'react';
import { CALENDAR_FEATURES, type MissingPolicy, type ScalingMethod, type Task, type TransformName } from '../../data/index';
import { setForm, setTask, toggleInput } from '../controller';
import { groupOptions, inputOptions, targetOptions, TASKS, textOptions, timeOptions } from '../data_choices';
import { useAppState } from '../store';

function Row({ id, label, children, hint }: { id: string; label: string; children: ReactNode; hint?: string }) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {hint && <small className="hint">{hint}</small>}
    </div>
  );
}

function ColumnSelect({ id, label, value, options, none, onChange, testId, disabled }: { id: string; label: string; value: string; options: string[]; none?: string; onChange: (v: string) => void; testId?: string; disabled: boolean }) {
  const list = value && !options.includes(value) ? [...options, value] : options;
  return (
    <Row id={id} label={label}>
      <select id={id} data-testid={testId} value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value)}>
        {none !== undefined && <option value="">{none}</option>}
        {list.map((c, i) => (
          <option key={`${i}:${c}`} value={c}>
            {c === '' ? '(unnamed)' : c}
          </option>
        ))}
      </select>
    </Row>
  );
}

/** Checkboxes drawn at most (a file may have thousands of columns). */
const MAX_CHECKBOXES = 300;

export function DataChoices() {
  const data = useAppState((s) => s.data);
  const form = useAppState((s) => s.form);
  const problems = useAppState((s) => s.formProblems);
  const busy = useAppState((s) => s.training.state === 'training' || s.training.state === 'paused');
  if (!data) return null;
  const cols = data.columns;
  const forecast = form.task === 'forecast';
  const timeIsDate = cols.find((c) => c.name === form.timeColumn)?.kind === 'date';
  const wide = form.task === 'classify-sequences' && form.format === 'wide';
  const inputs = inputOptions(form, cols);
  const generate = form.task === 'generate';
  const text = form.task === 'classify-text' || generate;
  return (
    <div className="choices" aria-label="Data choices" role="group">
      <Row id="task-select" label="Task">
        <select id="task-select" data-testid="task-select" value={form.task} disabled={busy} onChange={(e) => setTask(e.currentTarget.value as Task)}>
          {TASKS.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
      </Row>
      {!generate && <ColumnSelect id="target-select" testId="target-select" label={forecast ? 'Target column' : 'Label column'} value={form.target} options={targetOptions(form, cols)} disabled={busy} onChange={(target) => setForm({ target, inputs: form.inputs.filter((n) => n !== target) })} />}
      {text && <ColumnSelect id="text-select" label="Text column" value={form.textColumn} options={textOptions(form, cols)} disabled={busy} onChange={(textColumn) => setForm({ textColumn })} />}
      {form.task === 'classify-sequences' && (
        <Row id="format-select" label="Layout">
          <select id="format-select" value={form.format} disabled={busy} onChange={(e) => setForm({ format: e.currentTarget.value as 'wide' | 'long' })}>
            <option value="wide">One sequence per row</option>
            <option value="long">One sequence per group</option>
          </select>
        </Row>
      )}
      {(forecast || form.format === 'long') && !text && (
        <>
          <ColumnSelect id="time-select" label="Time column" value={form.timeColumn} options={timeOptions(form, cols)} none="(row order)" disabled={busy} onChange={(timeColumn) => setForm({ timeColumn })} />
          <ColumnSelect id="group-select" label="Series column" value={form.groupColumn} options={groupOptions(form, cols)} none="(one series)" disabled={busy} onChange={(groupColumn) => setForm({ groupColumn })} />
        </>
      )}
      {!text && inputs.length > 0 && (
        <fieldset className="inputs" disabled={busy}>
          <legend>{forecast ? 'More input columns' : 'Value columns'}</legend>
          <details open={inputs.length <= 24}>
            <summary>
              {form.inputs.length} of {inputs.length} used
            </summary>
            <div className="input-list">
              {inputs.slice(0, MAX_CHECKBOXES).map((name, i) => (
                <label key={`${i}:${name}`} className="check">
                  <input type="checkbox" checked={form.inputs.includes(name)} onChange={(e) => toggleInput(name, e.currentTarget.checked)} />
                  {name === '' ? '(unnamed)' : name}
                </label>
              ))}
              {inputs.length > MAX_CHECKBOXES && <small className="hint">and {inputs.length - MAX_CHECKBOXES} more (change their type to leave them out)</small>}
            </div>
          </details>
        </fieldset>
      )}
      <Row id="data-window" label="Window" hint={wide ? `set by the ${data.set?.window ?? '—'} value columns` : form.task === 'classify-text' ? 'tokens per text' : generate ? 'tokens per training window' : 'time steps the model reads'}>
        <input id="data-window" type="number" min={1} step={1} inputMode="numeric" value={wide ? String(data.set?.window ?? form.window) : form.window} disabled={busy || wide} onChange={(e) => setForm({ window: e.currentTarget.value })} />
      </Row>
      {generate && (
        <Row id="data-stride" label="Stride" hint="tokens between training windows (empty: the window)">
          <input id="data-stride" type="number" min={1} step={1} inputMode="numeric" value={form.stride ?? ''} disabled={busy} onChange={(e) => setForm({ stride: e.currentTarget.value })} />
        </Row>
      )}
      {forecast && (
        <Row id="data-horizon" label="Horizon" hint="steps ahead, predicted jointly">
          <input id="data-horizon" type="number" min={1} step={1} inputMode="numeric" value={form.horizon} disabled={busy} onChange={(e) => setForm({ horizon: e.currentTarget.value })} />
        </Row>
      )}
      {forecast && (
        <Row id="data-transform" label="Transform" hint={form.transform ? 'what the model predicts' : `auto: ${data.set?.transform?.name ?? 'picked from the training part'}`}>
          <select id="data-transform" value={form.transform ?? ''} disabled={busy} onChange={(e) => setForm({ transform: e.currentTarget.value as TransformName | '' })}>
            <option value="">auto (from the data)</option>
            <option value="none">none: the value</option>
            <option value="difference">difference: change from the last value</option>
            <option value="seasonal-difference">seasonal difference: change from a season earlier</option>
            <option value="log">log (values above 0)</option>
            <option value="window-normalize">window-normalize: from the window's mean</option>
          </select>
        </Row>
      )}
      {forecast && timeIsDate && (
        <fieldset className="field calendar-features">
          <legend className="field-label">Calendar features</legend>
          {CALENDAR_FEATURES.map((part) => (
            <label key={part}>
              <input
                type="checkbox"
                checked={(form.calendar ?? []).includes(part)}
                disabled={busy}
                onChange={(e) => setForm({ calendar: e.currentTarget.checked ? [...(form.calendar ?? []), part] : (form.calendar ?? []).filter((p) => p !== part) })}
              />{' '}
              {part}
            </label>
          ))}
        </fieldset>
      )}
      <Row id="data-val" label="Validation share">
        <input id="data-val" type="number" min={0} max={0.9} step={0.05} value={form.valFraction} disabled={busy} onChange={(e) => setForm({ valFraction: e.currentTarget.value })} />
      </Row>
      <Row id="data-test" label="Test share">
        <input id="data-test" type="number" min={0} max={0.9} step={0.05} value={form.testFraction} disabled={busy} onChange={(e) => setForm({ testFraction: e.currentTarget.value })} />
      </Row>
      {!text ? (
        <>
          <Row id="data-scaling" label="Normalization">
            <select id="data-scaling" value={form.scaling} disabled={busy} onChange={(e) => setForm({ scaling: e.currentTarget.value as ScalingMethod })}>
              <option value="zscore">z-score</option>
              <option value="minmax">min-max</option>
            </select>
          </Row>
          <Row id="data-missing" label="Missing values">
            <select id="data-missing" value={form.missing} disabled={busy} onChange={(e) => setForm({ missing: e.currentTarget.value as MissingPolicy })}>
              <option value="drop">drop affected windows</option>
              <option value="forward-fill">forward-fill</option>
              <option value="interpolate">interpolate</option>
            </select>
          </Row>
        </>
      ) : (
        <Row id="data-tokens" label="Tokens">
          <select id="data-tokens" value={form.tokens} disabled={busy} onChange={(e) => setForm({ tokens: e.currentTarget.value as 'word' | 'char' })}>
            <option value="word">words</option>
            <option value="char">characters</option>
          </select>
        </Row>
      )}
      {problems.length > 0 && (
        <p className="note" role="alert">
          {problems.join('; ')}.
        </p>
      )}
      {data.problem && (
        <p className="note" role="alert" data-testid="data-problem">
          {data.problem}
        </p>
      )}
    </div>
  );
}
