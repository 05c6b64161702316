// One group's series for forecasting: rows in time order on a regular grid, gaps marked or filled, missing values handled.
import { fillMissing, type MissingPolicy } from './missing_values';
import { timeCuts } from './splits';
import type { TextColumn } from './table';

/** Gaps of more than this many missing steps are never filled in; windows just do not cross them. */
const MAX_STEPS_TO_INSERT = 1000;

export interface SeriesInputs {
  /** Numeric features per table row (targets first), NaN where missing. */
  numeric: Float64Array[];
  categories: TextColumn[];
  /** Time of each table row (ms or step numbers), or null for row order. */
  times: Float64Array | null;
  /** The usual time step, or null when unknown (no time column, or a single row per series). */
  step: number | null;
  missing: MissingPolicy;
  valFraction: number;
  testFraction: number;
}

export interface GroupSeries {
  length: number;
  /** Table row at each position, -1 for a time step inserted to fill a gap. */
  rows: Int32Array;
  times: Float64Array | null;
  /** 1 where an unfilled time gap lies just before the position. */
  breaks: Uint8Array;
  /** Numeric features per position in original units, after filling (NaN where still missing). */
  numeric: Float64Array[];
  /** Category code per position for each category column (-1 missing). */
  categoryCodes: Int32Array[];
  trainEnd: number;
  validationEnd: number;
  filledCells: number;
  insertedSteps: number;
  timeGaps: number;
}

/** The median positive difference between consecutive times within the groups, or null. */
export function typicalStep(groups: Int32Array[], times: Float64Array | null): number | null {
  if (!times) return null;
  const steps: number[] = [];
  for (const rows of groups) {
    for (let i = 1; i < rows.length; i++) {
      const d = times[rows[i]] - times[rows[i - 1]];
      if (d > 0) steps.push(d);
    }
  }
  if (steps.length === 0) return null;
  const sorted = Float64Array.from(steps).sort();
  return sorted[sorted.length >> 1];
}

/**
 * Lays out one group's rows (already in time order): a gap longer than 1.5 usual steps is filled with inserted steps
 * when the policy fills values (and the gap is at most 1000 steps), else marked as a break. Then fills missing values:
 * forward-fill over the whole series (it only looks back), interpolation within each split part (so no value from a
 * later part reaches an earlier one).
 */
export function buildGroupSeries(rows: Int32Array, input: SeriesInputs): GroupSeries {
  const { times, step } = input;
  const positions: number[] = [];
  const positionTimes: number[] = [];
  const breakAt: number[] = [];
  let insertedSteps = 0;
  let timeGaps = 0;
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && times && step) {
      const previous = times[rows[i - 1]];
      const diff = times[rows[i]] - previous;
      if (diff > 1.5 * step) {
        const missingSteps = Math.round(diff / step) - 1;
        if (input.missing !== 'drop' && missingSteps >= 1 && missingSteps <= MAX_STEPS_TO_INSERT) {
          for (let k = 1; k <= missingSteps; k++) {
            positions.push(-1);
            positionTimes.push(previous + (k * diff) / (missingSteps + 1));
          }
          insertedSteps += missingSteps;
        } else {
          breakAt.push(positions.length);
          timeGaps++;
        }
      }
    }
    positions.push(rows[i]);
    if (times) positionTimes.push(times[rows[i]]);
  }
  const length = positions.length;
  const rowsOut = Int32Array.from(positions);
  const breaks = new Uint8Array(length);
  for (const b of breakAt) breaks[b] = 1;
  const numeric = input.numeric.map((values) => {
    const out = new Float64Array(length);
    for (let p = 0; p < length; p++) out[p] = rowsOut[p] < 0 ? NaN : values[rowsOut[p]];
    return out;
  });
  const categoryCodes = input.categories.map((column) => {
    const out = new Int32Array(length);
    for (let p = 0; p < length; p++) out[p] = rowsOut[p] >= 0 ? column.codes[rowsOut[p]] : p > 0 ? out[p - 1] : -1;
    return out;
  });
  const { trainEnd, validationEnd } = timeCuts(length, input.valFraction, input.testFraction);
  let filledCells = 0;
  for (const series of numeric) {
    if (input.missing === 'forward-fill') filledCells += fillSegmentsBetweenBreaks(series, breaks, 0, length);
    else if (input.missing === 'interpolate') {
      filledCells += fillSegmentsBetweenBreaks(series, breaks, 0, trainEnd, 'interpolate');
      filledCells += fillSegmentsBetweenBreaks(series, breaks, trainEnd, validationEnd, 'interpolate');
      filledCells += fillSegmentsBetweenBreaks(series, breaks, validationEnd, length, 'interpolate');
    }
  }
  return {
    length,
    rows: rowsOut,
    times: times ? Float64Array.from(positionTimes) : null,
    breaks,
    numeric,
    categoryCodes,
    trainEnd,
    validationEnd,
    filledCells,
    insertedSteps,
    timeGaps,
  };
}

/** Fills [from, to) piece by piece so no value is carried across an unfilled time gap. */
function fillSegmentsBetweenBreaks(series: Float64Array, breaks: Uint8Array, from: number, to: number, policy: MissingPolicy = 'forward-fill'): number {
  let filled = 0;
  let start = from;
  for (let p = from + 1; p <= to; p++) {
    if (p === to || breaks[p]) {
      filled += fillMissing(series, policy, start, p);
      start = p;
    }
  }
  return filled;
}
