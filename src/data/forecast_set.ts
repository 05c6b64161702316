// Forecasting training sets: windows of past steps predicting the next `horizon` steps of the targets, per series.
import { ForecastErrors, type Baseline } from './baselines';
import { calendarFeatureNames, writeCalendarFeatures } from './calendar_features';
import { profileColumn } from './column_stats';
import { timeValues } from './dataset_shape';
import { DataError } from './data_error';
import { buildGroupSeries, typicalStep, type GroupSeries } from './forecast_series';
import { groupRows, rowsByGroup } from './groups';
import { fitScaling, scaleValue, type Scaling } from './scaling';
import { detectSeason } from './season';
import { fitTransform, mixesTime, transformProblem, transformWindow, type ForecastDecoder, type ForecastTransform, type TransformName } from './target_transform';
import { chooseTransform } from './transform_choice';
import { checkFractions, timeCuts } from './splits';
import { columnNamed, numericValues, type DataTable, type TextColumn } from './table';
import { checkSampleBytes, checkWhole, DEFAULT_MAX_SAMPLE_BYTES, type ForecastChoices, type SplitArrays, type TrainingSet } from './training_types';

type Part = 0 | 1 | 2; // train, validation, test

export function buildForecastSet(table: DataTable, choices: ForecastChoices): TrainingSet {
  const window = choices.window;
  const horizon = choices.horizon ?? 1;
  const stride = choices.stride ?? 1;
  const valFraction = choices.valFraction ?? 0.2;
  const testFraction = choices.testFraction ?? 0.1;
  const missing = choices.missing ?? 'drop';
  const method = choices.scaling ?? 'zscore';
  checkWhole('window', window, 1, 4096);
  checkWhole('horizon', horizon, 1, 1000);
  checkWhole('stride', stride, 1);
  checkFractions(valFraction, testFraction);
  const targets = [...new Set(choices.targets)];
  if (targets.length === 0) throw new DataError('Choose at least one column to predict.');
  const inputs = [...new Set(choices.inputs ?? [])].filter((n) => !targets.includes(n));
  const numericNames = [...targets, ...inputs];
  const numeric = numericNames.map((name, i) => numericValues(table, name, i < targets.length ? 'a target' : 'an input'));
  const categories = [...new Set(choices.categories ?? [])].map((name) => categoryColumn(table, name));
  const timeName = choices.timeColumn ?? null;
  const timeColumn = timeName === null ? null : columnNamed(table, timeName);
  const times = timeColumn ? timeValues(timeColumn) : null;
  const calendar = [...new Set(choices.calendar ?? [])];
  const isDateTime = timeColumn !== null && profileColumn(timeColumn).type === 'date';
  if (calendar.length > 0 && !isDateTime) {
    throw new DataError(`Calendar features need a date column as the time column${timeName === null ? '; none is chosen' : `, and ${JSON.stringify(timeName)} does not hold dates`}.`);
  }

  const grouping = groupRows(table, choices.groupColumn ?? null);
  const groupRowLists = rowsByGroup(grouping, times);
  const step = typicalStep(groupRowLists, times);
  const series = groupRowLists.map((rows) => buildGroupSeries(rows, { numeric, categories, times, step, missing, valFraction, testFraction }));
  const usedRows = groupRowLists.reduce((n, rows) => n + rows.length, 0);

  const notes: string[] = [];
  const season = seasonOf(series, choices.season, isDateTime ? step : null, notes);
  const picked = pickTransform(series, choices.transform, season, window, horizon, notes);
  // The model sees the targets' logarithm under 'log'; baselines and metrics stay on the original values.
  const modelSeries = picked === 'log' ? series.map((s) => ({ ...s, numeric: s.numeric.map((v, f) => (f < targets.length ? logValues(v, targets[f], s.rows) : v)) })) : series;

  // Normalization and category lists come from the training part of every series only.
  const trainingValues = (f: number) => {
    const out: number[] = [];
    for (const s of modelSeries) for (let p = 0; p < s.trainEnd; p++) out.push(s.numeric[f][p]);
    return out;
  };
  const scalings: Scaling[] = numericNames.map((name, f) => fitScaling(name, method, trainingValues(f)));
  const transform = fitTransform(picked, season, targets, modelSeries.map((s) => targets.map((_, k) => s.numeric[k].subarray(0, s.trainEnd))), window);
  const oneHot = categories.map((column, c) => {
    const slots = new Map<number, number>();
    for (const s of series) for (let p = 0; p < s.trainEnd; p++) {
      const code = s.categoryCodes[c][p];
      if (code >= 0 && !slots.has(code)) slots.set(code, slots.size);
    }
    return { column, slots };
  });
  const featureNames = [
    ...numericNames,
    ...oneHot.flatMap(({ column, slots }) => [...slots.keys()].map((code) => `${column.name}=${column.dictionary[code]}`)),
    ...calendarFeatureNames(calendar),
  ];
  const inputSize = featureNames.length;

  // Every window: [start, start + window) in, [start + window, start + window + horizon) out.
  const chosen: [number[], number[], number[]] = [[], [], []];
  let droppedForMissing = 0;
  let droppedAtSplitBoundary = 0;
  series.forEach((s, g) => {
    const bad = badPositionPrefixes(s, targets.length);
    for (let start = 0; start + window + horizon <= s.length; start += stride) {
      const end = start + window + horizon;
      const firstTarget = start + window;
      const broken = bad.breaks[end] - bad.breaks[start + 1] > 0;
      if (broken || bad.input[firstTarget] - bad.input[start] > 0 || bad.target[end] - bad.target[firstTarget] > 0) {
        droppedForMissing++;
        continue;
      }
      const part: Part | null = end <= s.trainEnd ? 0 : firstTarget >= s.trainEnd && end <= s.validationEnd ? 1 : firstTarget >= s.validationEnd ? 2 : null;
      if (part === null) droppedAtSplitBoundary++;
      else chosen[part].push(g, start);
    }
  });
  const sizes = chosen.map((c) => c.length / 2);
  if (sizes[0] === 0 || sizes[1] === 0 || (testFraction > 0 && sizes[2] === 0)) {
    throw tooFewRows(series, { window, horizon, stride, valFraction, testFraction, droppedForMissing, sizes });
  }
  checkSampleBytes(sizes[0] + sizes[1] + sizes[2], window * inputSize, choices.maxBytes ?? DEFAULT_MAX_SAMPLE_BYTES, 'Use a larger stride, a shorter window or fewer input columns.');

  const features = modelSeries.map((s) => featureMatrix(s, scalings, oneHot, calendar, inputSize));
  const [train, validation, test] = chosen.map((list) => windowArrays(list, modelSeries, features, { window, horizon, inputSize, targets: targets.length, scalings, transform }));
  const baselineScalings = targets.map((name, k) =>
    mixesTime(picked) ? { column: name, method, center: 0, scale: transform.columns[k].outputScale } : picked === 'log' ? fitScaling(name, method, series.flatMap((s) => Array.from(s.numeric[k].subarray(0, s.trainEnd)))) : scalings[k],
  );
  const baselines = forecastBaselines(series, chosen, baselineScalings, { window, horizon, season, notes });

  return {
    task: 'forecast',
    window,
    inputSize,
    outputSize: targets.length * horizon,
    loss: 'mse',
    headOn: 'last_step',
    vocabSize: 0,
    train,
    validation,
    test,
    featureNames,
    outputNames: Array.from({ length: horizon }, (_, h) => targets.map((t) => `${t} t+${h + 1}`)).flat(),
    horizon,
    targets,
    normalization: { inputs: scalings, targets: scalings.slice(0, targets.length) },
    transform,
    groupNames: grouping.names,
    baselines,
    counts: {
      train: sizes[0],
      validation: sizes[1],
      test: sizes[2],
      droppedForMissing,
      droppedAtSplitBoundary,
      filledCells: series.reduce((n, s) => n + s.filledCells, 0),
      insertedSteps: series.reduce((n, s) => n + s.insertedSteps, 0),
      timeGaps: series.reduce((n, s) => n + s.timeGaps, 0),
      seriesTooShort: series.filter((s) => s.length < window + horizon).length,
      rowsWithoutTimeGroupOrLabel: table.rowCount - usedRows,
    },
    notes,
  };
}

function categoryColumn(table: DataTable, name: string): TextColumn {
  const column = columnNamed(table, name);
  if (column.kind !== 'text') throw new DataError(`Column ${JSON.stringify(name)} holds ${column.kind === 'date' ? 'dates' : 'numbers'}, not categories; use it as a numeric input instead.`, { column: name });
  return column;
}

/** Prefix counts of positions with a missing input, a missing target, and a time gap, for O(1) window checks. */
function badPositionPrefixes(s: GroupSeries, targetCount: number) {
  const input = new Int32Array(s.length + 1);
  const target = new Int32Array(s.length + 1);
  const breaks = new Int32Array(s.length + 1);
  for (let p = 0; p < s.length; p++) {
    let anyMissing = false;
    let targetMissing = false;
    s.numeric.forEach((values, f) => {
      if (Number.isNaN(values[p])) {
        anyMissing = true;
        if (f < targetCount) targetMissing = true;
      }
    });
    input[p + 1] = input[p] + (anyMissing ? 1 : 0);
    target[p + 1] = target[p] + (targetMissing ? 1 : 0);
    breaks[p + 1] = breaks[p] + s.breaks[p];
  }
  return { input, target, breaks };
}

/** [length][inputSize] features of every position: scaled numbers, one-hot categories, calendar sine/cosine. */
function featureMatrix(s: GroupSeries, scalings: Scaling[], oneHot: { slots: Map<number, number> }[], calendar: ForecastChoices['calendar'] & {}, width: number): Float32Array {
  const out = new Float32Array(s.length * width);
  for (let p = 0; p < s.length; p++) {
    let o = p * width;
    scalings.forEach((sc, f) => (out[o + f] = scaleValue(s.numeric[f][p], sc)));
    o += scalings.length;
    oneHot.forEach(({ slots }, c) => {
      const slot = slots.get(s.categoryCodes[c][p]);
      if (slot !== undefined) out[o + slot] = 1;
      o += slots.size;
    });
    if (calendar.length > 0 && s.times) writeCalendarFeatures(calendar, s.times[p], out, o);
  }
  return out;
}

interface WindowShape {
  window: number;
  horizon: number;
  inputSize: number;
  targets: number;
  scalings: Scaling[];
  transform: ForecastTransform;
}

function windowArrays(list: number[], series: GroupSeries[], features: Float32Array[], shape: WindowShape): SplitArrays {
  const { window: T, horizon, inputSize, targets: K, scalings, transform } = shape;
  const count = list.length / 2;
  const x = new Float32Array(count * T * inputSize);
  const y = new Float32Array(count * horizon * K);
  const group = new Int32Array(count);
  const row = new Int32Array(count);
  const mixing = mixesTime(transform.name);
  const decoder: ForecastDecoder = {
    offset: new Float64Array(count * horizon * K),
    scale: Float64Array.from({ length: K }, (_, k) => (mixing ? transform.columns[k].outputScale : scalings[k].scale)),
    exp: transform.name === 'log',
  };
  const raw = new Float64Array(T * K);
  const reference = new Float64Array(horizon * K);
  for (let n = 0; n < count; n++) {
    const g = list[2 * n];
    const start = list[2 * n + 1];
    const s = series[g];
    x.set(features[g].subarray(start * inputSize, (start + T) * inputSize), n * T * inputSize);
    if (mixing) {
      for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) raw[t * K + k] = s.numeric[k][start + t];
      transformWindow(transform, raw, T, K, reference);
      for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) x[(n * T + t) * inputSize + k] = raw[t * K + k];
    } else for (let h = 0; h < horizon; h++) for (let k = 0; k < K; k++) reference[h * K + k] = scalings[k].center;
    for (let h = 0; h < horizon; h++) {
      for (let k = 0; k < K; k++) {
        const i = (n * horizon + h) * K + k;
        decoder.offset[i] = reference[h * K + k];
        y[i] = (s.numeric[k][start + T + h] - reference[h * K + k]) / decoder.scale[k];
      }
    }
    group[n] = g;
    row[n] = s.rows[start + T - 1];
  }
  return { count, x, y, group, row, decoder };
}

/** The season: the one chosen, or one detected from the longest series' training part (said in a note). */
function seasonOf(series: GroupSeries[], chosen: number | null | undefined, step: number | null, notes: string[]): number | null {
  if (chosen === null) return null;
  if (chosen !== undefined) {
    checkWhole('season length', chosen, 1);
    return chosen;
  }
  const longest = series.reduce((a, b) => (b.trainEnd > a.trainEnd ? b : a));
  const { season } = detectSeason(step, longest.numeric[0].subarray(0, longest.trainEnd));
  notes.push(season === null ? 'No clear season was found, so there is no seasonal-naive baseline.' : `Seasonal-naive baseline: a season of ${season} steps was assumed.`);
  return season;
}

/** The transform asked for (checked against the window, horizon and values), or the default from the training part. */
function pickTransform(series: GroupSeries[], chosen: TransformName | undefined, season: number | null, window: number, horizon: number, notes: string[]): TransformName {
  if (chosen === undefined) {
    const choice = chooseTransform(series.map((s) => s.numeric[0].subarray(0, s.trainEnd)), season, window, horizon);
    notes.push(choice.reason);
    return choice.name;
  }
  const problem = transformProblem({ name: chosen, season }, window, horizon);
  if (problem) throw new DataError(problem);
  notes.push(`Transform ${chosen}: as chosen.`);
  return chosen;
}

/** ln of a target's values; a value at or below 0 cannot be logged and is named by row and column. */
function logValues(values: Float64Array, column: string, rows: Int32Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let p = 0; p < values.length; p++) {
    const v = values[p];
    if (v <= 0) {
      const where = rows[p] >= 0 ? `row ${rows[p] + 1}` : 'a filled-in step';
      throw new DataError(`The log transform needs values above 0, but column ${JSON.stringify(column)} holds ${v} at ${where}. Choose the difference or no transform.`, { column, row: rows[p] >= 0 ? rows[p] + 1 : undefined, value: String(v) });
    }
    out[p] = Math.log(v);
  }
  return out;
}

/** Persistence (the last input value for every step ahead) and seasonal naive (the value one season earlier). */
function forecastBaselines(
  series: GroupSeries[],
  chosen: number[][],
  targetScalings: Scaling[],
  o: { window: number; horizon: number; season: number | null; notes: string[] },
): Baseline[] {
  const season = o.season;
  const measure = (predict: (s: GroupSeries, last: number, h: number, k: number) => number) =>
    [1, 2].map((part) => {
      const errors = new ForecastErrors();
      const list = chosen[part];
      for (let i = 0; i < list.length; i += 2) {
        const s = series[list[i]];
        const last = list[i + 1] + o.window - 1;
        for (let h = 1; h <= o.horizon; h++) {
          for (let k = 0; k < targetScalings.length; k++) errors.add(predict(s, last, h, k), s.numeric[k][last + h], targetScalings[k]);
        }
      }
      return errors.result();
    });
  const [pv, pt] = measure((s, last, _h, k) => s.numeric[k][last]);
  const baselines: Baseline[] = [{ name: 'persistence', description: 'Predicts the last value in the window for every step ahead.', validation: pv, test: pt }];
  if (season !== null) {
    const m = season;
    let fallbacks = 0;
    const [sv, st] = measure((s, last, h, k) => {
      const p = last + h - m * Math.ceil(h / m);
      const v = p >= 0 ? s.numeric[k][p] : NaN;
      if (Number.isNaN(v)) fallbacks++;
      return Number.isNaN(v) ? s.numeric[k][last] : v;
    });
    baselines.push({ name: 'seasonal-naive', description: `Predicts the value one season (${m} steps) earlier.`, validation: sv, test: st });
    if (fallbacks > 0) o.notes.push(`Seasonal naive used the last value ${fallbacks} times, where no value one season earlier exists.`);
  }
  return baselines;
}

function tooFewRows(
  series: GroupSeries[],
  o: { window: number; horizon: number; stride: number; valFraction: number; testFraction: number; droppedForMissing: number; sizes: number[] },
): DataError {
  const longest = series.reduce((n, s) => Math.max(n, s.length), 0);
  const needed = minimumLength(o);
  const parts = `1 training, 1 validation${o.testFraction > 0 ? ' and 1 test' : ''} window`;
  const choice = `a window of ${o.window} steps and a horizon of ${o.horizon} (validation ${o.valFraction}, test ${o.testFraction}${o.stride > 1 ? `, stride ${o.stride}` : ''})`;
  const which = series.length > 1 ? 'the longest series has' : 'the series has';
  const empty = ['training', 'validation', 'test'].filter((_, i) => o.sizes[i] === 0).join(' and ');
  if (o.droppedForMissing > 0 && needed !== null && longest >= needed) {
    return new DataError(
      `No ${empty} window is left: ${o.droppedForMissing} windows were left out for missing values or time gaps. ` +
        'Choose forward-fill or interpolation for missing values, or a shorter window.',
    );
  }
  const have =
    needed !== null && longest >= needed
      ? `with ${longest} rows the windows (stride ${o.stride}) leave no ${empty} window`
      : `but ${which} ${longest} rows`;
  return new DataError(
    `Too few rows: ${choice} need${needed === null ? ' more rows than a series can give' : ` at least ${needed} rows in a series`} for ${parts}, ${have}. ` +
      `Use a shorter window or horizon${o.stride > 1 ? ', stride 1' : ''}, smaller validation/test fractions, or more data.`,
  );
}

/** Smallest series length that gives a window in every needed part, or null past 10^7 rows. */
function minimumLength(o: { window: number; horizon: number; stride: number; valFraction: number; testFraction: number }): number | null {
  const span = o.window + o.horizon;
  // The first window start (a multiple of the stride) whose targets begin at or after `from`.
  const firstStart = (from: number) => Math.ceil(Math.max(0, from - o.window) / o.stride) * o.stride;
  for (let length = span; length <= 10_000_000; length++) {
    const { trainEnd, validationEnd } = timeCuts(length, o.valFraction, o.testFraction);
    const train = span <= trainEnd;
    const validation = firstStart(trainEnd) + span <= validationEnd;
    const test = o.testFraction === 0 || firstStart(validationEnd) + span <= length;
    if (train && validation && test) return length;
  }
  return null;
}
