// The built-in MNIST digits example: the shipped CSV is read as 2,500 long-format sequences of 14 rows × 14 pixels in
// 10 balanced classes, and the example loads it from the page's /datasets/ like the Seattle file.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleById, exampleCsv } from '../../../src/data/examples/index';
import { buildTrainingSet, parseCsvString, suggestedChoices } from '../../../src/data/index';

const PUBLIC = join(__dirname, '../../../public');

let server: Server;
let base = '';

beforeAll(async () => {
  // The page's public/ folder served over HTTP, as vite serves it.
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    readFile(join(PUBLIC, path)).then(
      (body) => res.end(body),
      () => {
        res.statusCode = 404;
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('MNIST digits example', () => {
  it('is suggested as 10-class sequence classification: one digit per group, one pixel row per step', async () => {
    const csv = await exampleCsv('digits', base);
    expect(csv).toBe(await readFile(join(PUBLIC, exampleById('digits').csvFile!), 'utf8'));
    expect(csv.length).toBeLessThan(1_600_000);
    const table = await parseCsvString(csv);
    expect(table.rowCount).toBe(2500 * 14);
    const choices = suggestedChoices(table);
    expect(choices).toMatchObject({ task: 'classify-sequences', format: 'long', groupColumn: 'digit_id', timeColumn: 'step', labelColumn: 'label' });
    const set = buildTrainingSet(table, choices);
    expect([set.task, set.window, set.inputSize, set.outputSize]).toEqual(['classify-sequences', 14, 14, 10]);
    expect(set.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(set.featureNames).toEqual(Array.from({ length: 14 }, (_, c) => `px${c}`));
    expect(set.train.count + set.validation.count + set.test.count).toBe(2500);
    // Balanced classes: the majority-class baseline is chance, 10%.
    for (const c of set.classNames!.keys()) expect(set.counts.classCounts!.train[c]).toBe(set.counts.classCounts!.train[0]);
    expect(set.counts.padded).toBe(0);
  });

  it('says which file could not be read when the page lacks it', async () => {
    await expect(exampleCsv('digits', `${base}missing/`)).rejects.toThrow(/datasets\/mnist-digits-14x14\.csv could not be read \(HTTP 404\)/);
  });
});
