// Shared helpers for the data-layer tests: fixture paths, reading columns as plain arrays, catching DataErrors.
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { DataError } from '../../src/data/data_error';
import { cellText, columnNamed, type DataTable } from '../../src/data/table';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));
}

/** Numbers (NaN for missing) of a number or date column. */
export function numbersOf(table: DataTable, name: string): number[] {
  const c = columnNamed(table, name);
  if (c.kind === 'text') throw new Error(`column ${name} is text`);
  return Array.from(c.values);
}

/** Every cell of a column as display text ('' for missing). */
export function textsOf(table: DataTable, name: string): string[] {
  const c = columnNamed(table, name);
  return Array.from({ length: table.rowCount }, (_, r) => cellText(c, r));
}

export function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError, but nothing was thrown');
}

export async function asyncErrorOf(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError, but nothing was thrown');
}
