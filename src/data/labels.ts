// Class labels: names to class ids, the "only one class" check, and the stratified split with class counts.
import { DataError } from './data_error';
import { stratifiedSplit, type SplitName } from './splits';
import { cellText, columnNamed, type DataTable } from './table';

export interface Labels {
  /** Class names, sorted (numerically when they are all numbers); class id = index. */
  classNames: string[];
  /** Class id per table row, -1 where the label is missing. */
  ids: Int32Array;
}

/** Reads the label column as classes. */
export function labelsOf(table: DataTable, labelColumn: string): Labels {
  const column = columnNamed(table, labelColumn);
  if (column.kind === 'number' && column.invalid.rows.length > 0) {
    const row = column.invalid.rows[0];
    throw new DataError(`Row ${row + 1} (line ${table.rowLines[row]} of the file) of label column ${JSON.stringify(labelColumn)} holds ${JSON.stringify(column.invalid.values[0])} among numbers. Fix that label.`, {
      row: row + 1,
      column: labelColumn,
      value: column.invalid.values[0],
    });
  }
  const texts: string[] = new Array(table.rowCount);
  const distinct = new Set<string>();
  for (let r = 0; r < table.rowCount; r++) {
    const text = cellText(column, r);
    texts[r] = text;
    if (text !== '') distinct.add(text);
  }
  const names = [...distinct];
  const allNumbers = column.kind === 'number';
  names.sort(allNumbers ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(names.map((n, i) => [n, i]));
  const ids = new Int32Array(table.rowCount);
  for (let r = 0; r < table.rowCount; r++) ids[r] = texts[r] === '' ? -1 : index.get(texts[r])!;
  return { classNames: names, ids };
}

/** Throws the "only one class" error unless the used samples hold at least two classes. */
export function requireTwoClasses(classIds: ArrayLike<number>, classNames: string[], labelColumn: string): void {
  const seen = new Set<number>();
  for (let i = 0; i < classIds.length && seen.size < 2; i++) seen.add(classIds[i]);
  if (seen.size < 2) {
    const only = seen.size === 1 ? `only one class (${JSON.stringify(classNames[[...seen][0]])})` : 'no labels at all';
    throw new DataError(
      `Column ${JSON.stringify(labelColumn)} has ${only} in the rows used, so there is nothing to tell apart. ` +
        'Classification needs at least two different labels; choose another label column or add examples of other classes.',
      { column: labelColumn },
    );
  }
}

export interface ClassSplit {
  /** Sample indexes per split, in sample order. */
  train: number[];
  validation: number[];
  test: number[];
  classCounts: { train: number[]; validation: number[]; test: number[] };
}

/** Stratified split of samples with the given class ids, with the class counts of each split. */
export function splitByClass(classIds: Int32Array, classCount: number, valFraction: number, testFraction: number, seed: number): ClassSplit {
  const assignment = stratifiedSplit(classIds, classCount, valFraction, testFraction, seed);
  const out: ClassSplit = {
    train: [],
    validation: [],
    test: [],
    classCounts: { train: new Array(classCount).fill(0), validation: new Array(classCount).fill(0), test: new Array(classCount).fill(0) },
  };
  assignment.forEach((split: SplitName, i) => {
    out[split].push(i);
    out.classCounts[split][classIds[i]]++;
  });
  return out;
}
