// Streams a generated ~20 MB numeric CSV from disk: memory must stay near its numeric data, progress must only go up.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvPath } from '../../src/data/csv_node';
import type { ParseProgress } from '../../src/data/csv_stream';

const ROWS = 340_000;
const COLUMNS = ['time', 'a', 'b', 'c', 'd', 'e'];

/** Forces a full garbage collection when V8 allows turning it on at run time; null otherwise. */
function garbageCollector(): (() => void) | null {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
}

async function writeNumericCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  let lines: string[] = [`${COLUMNS.join(',')}\n`];
  for (let r = 0; r < ROWS; r++) {
    lines.push(`${1_600_000_000 + r * 60},${(100 * Math.sin(r / 10)).toFixed(4)},${((r % 1000) / 7).toFixed(6)},${(r * 0.37) % 1000},${r % 17},${(-r / 3).toFixed(3)}\n`);
    if (lines.length >= 5000) {
      if (!out.write(lines.join(''))) await new Promise((resolve) => out.once('drain', resolve));
      lines = [];
    }
  }
  out.write(lines.join(''));
  await new Promise((resolve) => out.end(resolve));
}

describe('streaming a 20 MB numeric CSV', () => {
  let dir = '';
  let path = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lstm-playground-csv-'));
    path = join(dir, 'numeric.csv');
    await writeNumericCsv(path);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds under 2.5× its numeric data, at its peak and after, with monotonic progress', async () => {
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(18 * 1024 * 1024);
    const gc = garbageCollector();
    const live = () => {
      gc?.();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const before = live();
    let peak = 0;
    const progress: ParseProgress[] = [];
    const started = performance.now();
    const table = await parseCsvPath(path, {
      onProgress: (p) => {
        progress.push(p);
        if (progress.length % 4 === 0) peak = Math.max(peak, live() - before);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const held = live() - before;
    peak = Math.max(peak, held);

    const numericBytes = table.rowCount * table.columns.length * 8;
    expect(table.rowCount).toBe(ROWS);
    expect(table.columns.map((c) => c.kind)).toEqual(['number', 'number', 'number', 'number', 'number', 'number']);
    const limit = (gc ? 2.5 : 5) * numericBytes; // without a forced collection, garbage inflates the numbers
    expect(held).toBeLessThan(limit);
    expect(peak).toBeLessThan(limit);

    expect(progress.length).toBeGreaterThan(10);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].bytesRead).toBeGreaterThanOrEqual(progress[i - 1].bytesRead);
      expect(progress[i].rowsRead).toBeGreaterThanOrEqual(progress[i - 1].rowsRead);
    }
    expect(progress.at(-1)).toMatchObject({ bytesRead: size, totalBytes: size, rowsRead: ROWS });
    console.log(
      `20 MB numeric CSV: ${(size / 1024 ** 2).toFixed(1)} MiB, ${ROWS} rows in ${seconds.toFixed(2)} s (${(size / 1024 ** 2 / seconds).toFixed(1)} MiB/s, ` +
        `progress sampling with forced GCs included); numeric data ${(numericBytes / 1024 ** 2).toFixed(1)} MiB, held ${(held / 1024 ** 2).toFixed(1)} MiB ` +
        `(${(held / numericBytes).toFixed(2)}×), peak ${(peak / 1024 ** 2).toFixed(1)} MiB (${(peak / numericBytes).toFixed(2)}×)${gc ? '' : ' [no forced GC]'}`,
    );
  });
});
