// The data form a person edits (task, columns, window, split …) and its conversion to and from the data layer's choices.
import type { MissingPolicy, ScalingMethod, Task, TrainingChoices, TransformName } from '../data/index';
import type { CalendarFeature } from '../data/training_types';
import type { ColumnUse, ColumnView } from '../worker/protocol';

/** Raw text and picks of the data panel; column uses are by column position (header names are data, not keys). */
export interface DataForm {
  task: Task;
  /** Forecast target, or the label column for classification. */
  target: string;
  /** Forecast: more input columns (numbers, or categories fed one-hot). Sequences: the value columns. */
  inputs: string[];
  textColumn: string;
  /** '' = row order / none. */
  timeColumn: string;
  groupColumn: string;
  format: 'wide' | 'long';
  window: string;
  horizon: string;
  valFraction: string;
  testFraction: string;
  scaling: ScalingMethod;
  missing: MissingPolicy;
  tokens: 'word' | 'char';
  /** Forecast target transform; '' = picked from the training part (the data summary says which and why). */
  transform?: TransformName | '';
  /** Forecast calendar features from a date time column (the suggestion turns on those the time step makes meaningful). */
  calendar?: CalendarFeature[];
  /** Text generation: tokens between training windows ('' = the window). */
  stride?: string;
  /** uses[c]: how column c is used (its inferred type unless the person changed it). */
  uses: ColumnUse[];
}

export const TASKS: { value: Task; label: string }[] = [
  { value: 'forecast', label: 'Forecast a series' },
  { value: 'classify-sequences', label: 'Classify sequences' },
  { value: 'classify-text', label: 'Classify text' },
  { value: 'generate', label: 'Generate text' },
];

export const EMPTY_FORM: DataForm = {
  task: 'forecast',
  target: '',
  inputs: [],
  textColumn: '',
  timeColumn: '',
  groupColumn: '',
  format: 'wide',
  window: '24',
  horizon: '1',
  valFraction: '0.2',
  testFraction: '0.1',
  scaling: 'zscore',
  missing: 'drop',
  tokens: 'word',
  transform: '',
  calendar: [],
  uses: [],
};

/** The inferred use of a column (what its type suggests). */
export function inferredUse(c: ColumnView): ColumnUse {
  return c.uses[0];
}

function useOf(form: DataForm, c: ColumnView): ColumnUse {
  return form.uses[c.index] ?? inferredUse(c);
}

/** Columns of the given uses, in file order. */
export function columnsWithUse(form: DataForm, columns: ColumnView[], uses: ColumnUse[]): ColumnView[] {
  return columns.filter((c) => uses.includes(useOf(form, c)));
}

/** Columns offered in the target select for the task: numbers to forecast, categories (or whole numbers) to classify. */
export function targetOptions(form: DataForm, columns: ColumnView[]): string[] {
  if (form.task === 'forecast') return columnsWithUse(form, columns, ['number']).map((c) => c.name);
  return columns.filter((c) => useOf(form, c) === 'category' || (useOf(form, c) === 'number' && c.type === 'integer')).map((c) => c.name);
}

/** Columns offered as inputs: forecast, numbers and categories besides target, time and group; sequences, numbers. */
export function inputOptions(form: DataForm, columns: ColumnView[]): string[] {
  const skip = new Set([form.target, form.timeColumn, form.groupColumn]);
  const uses: ColumnUse[] = form.task === 'forecast' ? ['number', 'category'] : ['number'];
  return columnsWithUse(form, columns, uses).map((c) => c.name).filter((n) => !skip.has(n));
}

export function timeOptions(form: DataForm, columns: ColumnView[]): string[] {
  return columns.filter((c) => useOf(form, c) === 'date' || (useOf(form, c) === 'number' && c.type === 'integer')).map((c) => c.name);
}

export function groupOptions(form: DataForm, columns: ColumnView[]): string[] {
  return columns.filter((c) => c.name !== form.target && c.name !== form.timeColumn && (useOf(form, c) === 'category' || useOf(form, c) === 'text' || c.type === 'integer')).map((c) => c.name);
}

export function textOptions(form: DataForm, columns: ColumnView[]): string[] {
  return columnsWithUse(form, columns, ['text', 'category']).map((c) => c.name).filter((n) => n !== form.target);
}

function num(text: string, what: string, problems: string[], integer: boolean): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    problems.push(`${what} must be a ${integer ? 'whole ' : ''}number (got "${text}")`);
    return NaN;
  }
  return v;
}

/** The data layer's choices for the form, or the problems a person must fix first. */
export function choicesFromForm(form: DataForm, columns: ColumnView[], seed: number): { choices: TrainingChoices | null; problems: string[] } {
  const problems: string[] = [];
  const valFraction = num(form.valFraction, 'Validation share', problems, false);
  const testFraction = num(form.testFraction, 'Test share', problems, false);
  const window = num(form.window, 'Window', problems, true);
  const common = { valFraction, testFraction, seed };
  if (form.task === 'generate') {
    const stride = (form.stride ?? '').trim() === '' ? undefined : num(form.stride!, 'Stride', problems, true);
    if (!form.textColumn) problems.push('Choose the text column');
    if (problems.length > 0) return { choices: null, problems };
    return { choices: { task: 'generate', textColumn: form.textColumn, separator: '\n', tokens: form.tokens, window, stride, ...common }, problems };
  }
  if (!form.target) problems.push(form.task === 'forecast' ? 'Choose a target column' : 'Choose a label column');
  const byName = new Map(columns.map((c) => [c.name, c]));
  if (form.task === 'forecast') {
    const horizon = num(form.horizon, 'Horizon', problems, true);
    const inputs = form.inputs.filter((n) => byName.has(n) && n !== form.target);
    const numeric = inputs.filter((n) => useOf(form, byName.get(n)!) === 'number');
    const categories = inputs.filter((n) => useOf(form, byName.get(n)!) === 'category');
    if (problems.length > 0) return { choices: null, problems };
    return {
      choices: {
        task: 'forecast',
        targets: [form.target],
        inputs: numeric,
        categories,
        timeColumn: form.timeColumn || null,
        groupColumn: form.groupColumn || null,
        window,
        horizon,
        scaling: form.scaling,
        missing: form.missing,
        ...(form.transform ? { transform: form.transform } : {}),
        // Calendar features need a date time column; they are dropped when the time column is not one.
        ...((form.calendar ?? []).length > 0 && byName.get(form.timeColumn)?.kind === 'date' ? { calendar: form.calendar } : {}),
        ...common,
      },
      problems,
    };
  }
  if (form.task === 'classify-sequences') {
    if (problems.length > 0 && !(form.format === 'wide' && problems.every((p) => p.startsWith('Window')))) return { choices: null, problems };
    const values = form.inputs.filter((n) => byName.has(n) && useOf(form, byName.get(n)!) === 'number' && n !== form.target && n !== form.groupColumn && n !== form.timeColumn);
    return {
      choices: {
        task: 'classify-sequences',
        format: form.format,
        labelColumn: form.target,
        valueColumns: values.length > 0 ? values : undefined,
        groupColumn: form.format === 'long' ? form.groupColumn || null : null,
        timeColumn: form.format === 'long' ? form.timeColumn || null : null,
        length: form.format === 'long' && Number.isFinite(window) ? window : undefined,
        scaling: form.scaling,
        missing: form.missing,
        ...common,
      },
      problems: [],
    };
  }
  if (!form.textColumn) problems.push('Choose the text column');
  if (problems.length > 0) return { choices: null, problems };
  return { choices: { task: 'classify-text', textColumn: form.textColumn, labelColumn: form.target, tokens: form.tokens, length: window, ...common }, problems };
}

/** The form that shows the choices a set was built with (window from the set, which may decide it). */
export function formFromChoices(choices: TrainingChoices, window: number, columns: ColumnView[], previous: DataForm): DataForm {
  const base: DataForm = {
    ...previous,
    task: choices.task,
    window: String(window),
    valFraction: String(choices.valFraction ?? 0.2),
    testFraction: String(choices.testFraction ?? 0.1),
    uses: columns.map(inferredUse),
    inputs: [],
    textColumn: '',
    timeColumn: '',
    groupColumn: '',
  };
  switch (choices.task) {
    case 'forecast':
      return {
        ...base,
        target: choices.targets[0] ?? '',
        inputs: [...(choices.inputs ?? []), ...(choices.categories ?? [])],
        timeColumn: choices.timeColumn ?? '',
        groupColumn: choices.groupColumn ?? '',
        horizon: String(choices.horizon ?? 1),
        scaling: choices.scaling ?? previous.scaling,
        missing: choices.missing ?? previous.missing,
        transform: choices.transform ?? '',
        calendar: [...(choices.calendar ?? [])],
      };
    case 'classify-sequences':
      return {
        ...base,
        target: choices.labelColumn,
        format: choices.format,
        inputs: choices.valueColumns ?? [],
        timeColumn: choices.timeColumn ?? '',
        groupColumn: choices.groupColumn ?? '',
        scaling: choices.scaling ?? previous.scaling,
        missing: choices.missing ?? previous.missing,
      };
    case 'classify-text':
      return { ...base, target: choices.labelColumn, textColumn: choices.textColumn, tokens: choices.tokens ?? 'word' };
    case 'generate':
      return { ...base, target: '', textColumn: choices.textColumn ?? '', tokens: choices.tokens ?? 'char', stride: choices.stride === undefined ? '' : String(choices.stride), valFraction: String(choices.valFraction ?? 0.1) };
  }
}

/**
 * A form switched to another task: sensible picks from the columns (the first fitting target, label or text column),
 * keeping what still applies.
 */
export function switchTask(form: DataForm, task: Task, columns: ColumnView[], rows: number): DataForm {
  const next: DataForm = { ...form, task, inputs: [] };
  // A window that fitted one sequence per row rarely fits a series: start from the suggestion's rule.
  if (task !== form.task) next.window = String(task === 'classify-text' ? 64 : task === 'generate' ? 100 : Math.max(1, Math.min(24, Math.floor(rows / 10))));
  if (task === 'generate' && task !== form.task) next.tokens = 'char';
  const targets = targetOptions(next, columns);
  if (!targets.includes(next.target)) next.target = task === 'forecast' ? targets[targets.length - 1] ?? '' : targets[0] ?? '';
  if (task === 'classify-text' || task === 'generate') {
    const texts = textOptions(next, columns);
    next.textColumn = texts.find((t) => columns.find((c) => c.name === t)?.type === 'text') ?? texts[0] ?? '';
  }
  if (task === 'classify-sequences') {
    next.format = next.groupColumn ? 'long' : 'wide';
    next.inputs = inputOptions(next, columns);
  }
  return next;
}
