// Splits a table's rows into groups (one series per ticker, station, …) and orders each group's rows in time.
import { cellText, columnNamed, type DataTable } from './table';

export interface Grouping {
  /** Group names in order of first appearance ('' for the single group of an ungrouped table). */
  names: string[];
  /** The group of each row; -1 where the group cell is missing. */
  codes: Int32Array;
}

/** Groups by the named column's values, or puts every row in one group when `groupColumn` is null. */
export function groupRows(table: DataTable, groupColumn: string | null): Grouping {
  if (groupColumn === null) return { names: [''], codes: new Int32Array(table.rowCount) };
  const column = columnNamed(table, groupColumn);
  const codes = new Int32Array(table.rowCount);
  const names: string[] = [];
  const lookup = new Map<string | number, number>();
  for (let r = 0; r < table.rowCount; r++) {
    let key: string | number;
    if (column.kind === 'text') {
      const code = column.codes[r];
      if (code < 0) {
        codes[r] = -1;
        continue;
      }
      key = column.dictionary[code];
    } else {
      key = column.values[r];
      if (Number.isNaN(key)) {
        codes[r] = -1;
        continue;
      }
    }
    let g = lookup.get(key);
    if (g === undefined) {
      g = names.push(column.kind === 'text' ? (key as string) : cellText(column, r)) - 1;
      lookup.set(key, g);
    }
    codes[r] = g;
  }
  return { names, codes };
}

/**
 * Row indexes of each group, in time order when `times` is given (stable: equal times keep file order) and in
 * file order otherwise. Rows whose group or time is missing are left out.
 */
export function rowsByGroup(grouping: Grouping, times: Float64Array | null): Int32Array[] {
  const sizes = new Int32Array(grouping.names.length);
  const { codes } = grouping;
  for (let r = 0; r < codes.length; r++) if (codes[r] >= 0 && (times === null || !Number.isNaN(times[r]))) sizes[codes[r]]++;
  const groups = Array.from(sizes, (n) => new Int32Array(n));
  const filled = new Int32Array(groups.length);
  for (let r = 0; r < codes.length; r++) {
    const g = codes[r];
    if (g < 0 || (times !== null && Number.isNaN(times[r]))) continue;
    groups[g][filled[g]++] = r;
  }
  if (times === null) return groups;
  return groups.map((rows) => {
    let sorted = true;
    for (let i = 1; i < rows.length && sorted; i++) if (times[rows[i]] < times[rows[i - 1]]) sorted = false;
    if (sorted) return rows;
    return Int32Array.from(Array.from(rows).sort((a, b) => times[a] - times[b] || a - b));
  });
}
