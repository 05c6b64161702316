// Node-only entry to the CSV reader: parses a file on disk by streaming it (used by the CLI and tests).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseCsvStream, type CsvReadOptions } from './csv_stream';
import { DataError } from './data_error';
import type { DataTable } from './table';

/** Streams the file at `path` into a DataTable; a missing or unreadable file is a DataError naming the path. */
export async function parseCsvPath(path: string, options: CsvReadOptions = {}): Promise<DataTable> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new DataError(`${path} is a folder, not a CSV file.`);
    size = info.size;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`Cannot read ${path}: ${describeFsError(e)}.`);
  }
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    return await parseCsvStream(stream, { ...options, totalBytes: size });
  } catch (e) {
    if (e instanceof DataError) throw e;
    if ((e as NodeJS.ErrnoException).code) throw new DataError(`Cannot read ${path}: ${describeFsError(e)}.`);
    throw e;
  } finally {
    stream.destroy();
  }
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'there is no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (e as Error).message ?? String(e);
}
