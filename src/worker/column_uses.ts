// A person's column-type changes applied to a parsed table: numbers read as categories, text cells read as numbers.
import { isMissingCell, parseNumberCell } from '../data/cell_values';
import { profileColumn } from '../data/column_stats';
import { cellText, type Column, type DataTable, type NumberColumn, type TextColumn } from '../data/table';
import type { ColumnUse, ColumnView } from './protocol';

/** The use a column's inferred type means. */
function inferred(column: Column): ColumnUse {
  const type = profileColumn(column).type;
  return type === 'integer' ? 'number' : type;
}

/** Uses offered for a column, the inferred one first. */
export function usesOf(column: Column): ColumnUse[] {
  const first = inferred(column);
  const all: ColumnUse[] = column.kind === 'text' ? ['category', 'text', 'number'] : column.kind === 'date' ? ['date', 'category'] : first === 'date' ? ['date', 'number', 'category'] : ['number', 'category'];
  return [first, ...all.filter((u) => u !== first)];
}

export function columnView(column: Column): ColumnView {
  const p = profileColumn(column);
  return {
    name: column.name,
    index: column.index,
    kind: column.kind,
    type: p.type,
    uses: usesOf(column),
    missing: p.missing,
    invalid: p.invalid,
    distinct: p.distinct,
    min: p.min,
    max: p.max,
    mean: p.mean,
    dateFormat: p.dateFormat ?? null,
  };
}

function asText(table: DataTable, column: Column): TextColumn {
  const codes = new Int32Array(table.rowCount);
  const dictionary: string[] = [];
  const ids = new Map<string, number>();
  let missing = 0;
  for (let r = 0; r < table.rowCount; r++) {
    const text = column.kind !== 'text' && Number.isNaN(column.values[r]) ? '' : cellText(column, r);
    if (text === '') {
      codes[r] = -1;
      missing++;
      continue;
    }
    let id = ids.get(text);
    if (id === undefined) {
      id = dictionary.length;
      dictionary.push(text);
      ids.set(text, id);
    }
    codes[r] = id;
  }
  return { kind: 'text', name: column.name, index: column.index, missing, codes, dictionary, dictionaryComplete: true };
}

function asNumbers(table: DataTable, column: TextColumn): NumberColumn {
  const values = new Float64Array(table.rowCount);
  const invalid = { rows: [] as number[], values: [] as string[] };
  const parsed = column.dictionary.map((text) => (isMissingCell(text.trim()) ? NaN : parseNumberCell(text.trim(), table.decimalMark)));
  let missing = 0;
  for (let r = 0; r < table.rowCount; r++) {
    const code = column.codes[r];
    if (code < 0 || isMissingCell(column.dictionary[code].trim())) {
      values[r] = NaN;
      missing++;
      continue;
    }
    values[r] = parsed[code];
    if (Number.isNaN(values[r])) {
      invalid.rows.push(r);
      invalid.values.push(column.dictionary[code].trim());
    }
  }
  return { kind: 'number', name: column.name, index: column.index, missing, values, invalid };
}

/** The table with each column converted to the use chosen for it (the original is not changed; same columns otherwise). */
export function tableWithUses(table: DataTable, uses: ColumnUse[]): DataTable {
  let changed = false;
  const columns = table.columns.map((column, c) => {
    const use = uses[c];
    if (!use || use === inferred(column)) return column;
    if ((use === 'category' || use === 'text') && column.kind !== 'text') {
      changed = true;
      return asText(table, column);
    }
    if (use === 'number' && column.kind === 'text') {
      changed = true;
      return asNumbers(table, column);
    }
    return column;
  });
  return changed ? { ...table, columns } : table;
}
