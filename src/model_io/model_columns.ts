// Reads the columns a saved model needs from a new table, with errors that name the row, column and cell at fault.
import { isMissingCell, parseNumberCell, quoteCell } from '../data/cell_values';
import { DataError } from '../data/data_error';
import { cellText, columnNamed, describeRow, numericValues, type DataTable } from '../data/table';

/**
 * The numbers of a column the model reads as numbers (NaN where missing). When the new file's column came out as text
 * (too many cells that are not numbers), the first such cell is named with its row, line and column.
 */
export function modelNumbers(table: DataTable, name: string, use: string): Float64Array {
  const column = columnNamed(table, name);
  if (column.kind !== 'text') return numericValues(table, name, use);
  const out = new Float64Array(table.rowCount);
  let bad = -1;
  let count = 0;
  for (let r = 0; r < table.rowCount; r++) {
    const text = cellText(column, r).trim();
    const v = isMissingCell(text) ? NaN : parseNumberCell(text, table.decimalMark);
    if (Number.isNaN(v) && !isMissingCell(text)) {
      if (bad < 0) bad = r;
      count++;
    }
    out[r] = v;
  }
  if (bad < 0) return out;
  throw new DataError(
    `${describeRow(table, bad)}, column ${JSON.stringify(name)}: ${quoteCell(cellText(column, bad))} is not a number, but the model reads this column as numbers (${use}). ` +
      `Fix or empty that cell${count > 1 ? ` (and ${count - 1} more like it)` : ''}.`,
    { row: bad + 1, column: name, value: cellText(column, bad) },
  );
}
