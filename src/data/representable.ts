// Checks that a training set's scaled numbers fit the float32 the engine computes in, naming the cell that does not.
import { quoteCell } from './cell_values';
import { DataError } from './data_error';
import { FLOAT32_MAX, scaleValue, type Scaling } from './scaling';
import { cellText, describeRow, type DataTable } from './table';
import type { TrainingChoices, TrainingSet } from './training_types';

/**
 * Throws a DataError naming the row, column and value of the first cell whose scaled value is beyond float32
 * (±3.4e38), where the set's inputs or targets would otherwise reach the engine as Infinity. Sets without scaling
 * (text) and sets whose numbers are all finite pass at the cost of one scan, and are returned.
 */
export function checkRepresentable<T extends TrainingSet>(table: DataTable, choices: TrainingChoices, set: T): T {
  const scalings = set.normalization?.inputs;
  if (!scalings || scalings.length === 0) return set;
  const overflowed = (k: 'train' | 'validation' | 'test') => hasInfinity(set[k].x) || hasInfinity(set[k].y);
  const split = (['train', 'validation', 'test'] as const).find(overflowed);
  if (split === undefined) return set;
  for (const { scaling, columns } of scaledColumns(table, choices, scalings)) {
    for (const name of columns) {
      const column = table.columns.find((c) => c.name === name);
      if (!column || column.kind === 'text') continue;
      for (let r = 0; r < column.values.length; r++) {
        const v = column.values[r];
        if (Number.isNaN(v)) continue;
        const scaled = scaleValue(v, scaling);
        if (Math.abs(scaled) <= FLOAT32_MAX) continue;
        throw unrepresentable(table, name, r, cellText(column, r), scaled, scaling);
      }
    }
  }
  throw new DataError(
    `The scaled ${split} samples hold a number beyond the 32-bit float range (±${FLOAT32_MAX.toPrecision(3)}) the model computes with. ` +
      'Check the numeric columns for values far larger than the rest.',
  );
}

function unrepresentable(table: DataTable, column: string, row: number, written: string, scaled: number, s: Scaling): DataError {
  const how =
    s.method === 'zscore'
      ? `the training part's mean is ${fmt(s.center)} and its standard deviation ${fmt(s.scale)}`
      : `the training part runs from ${fmt(s.center)} to ${fmt(s.center + s.scale)}`;
  return new DataError(
    `${describeRow(table, row)}, column ${JSON.stringify(column)}: ${quoteCell(written)} cannot be used: ${how}, so it scales to ` +
      `${Number.isFinite(scaled) ? fmt(scaled) : 'beyond ±1e308'}, past the largest 32-bit float (${FLOAT32_MAX.toPrecision(3)}) the model computes with. ` +
      'Check that cell (a typo, or another unit?), or empty it to treat it as missing.',
    { row: row + 1, column, value: written },
  );
}

/** Which table columns each scaling was fitted on: wide sequences share one scaling over all their step columns. */
function scaledColumns(table: DataTable, choices: TrainingChoices, scalings: Scaling[]): { scaling: Scaling; columns: string[] }[] {
  if (choices.task === 'classify-sequences' && choices.format === 'wide') {
    const exclude = new Set([choices.labelColumn, choices.groupColumn ?? '', choices.timeColumn ?? '']);
    const columns = choices.valueColumns ?? table.columns.filter((c) => c.kind === 'number' && !exclude.has(c.name)).map((c) => c.name);
    return [{ scaling: scalings[0], columns }];
  }
  return scalings.map((scaling) => ({ scaling, columns: [scaling.column] }));
}

/** True when a value overflowed to ±Infinity (NaN is left to the set builders, which drop or fill missing values). */
function hasInfinity(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] === Infinity || a[i] === -Infinity) return true;
  return false;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}
