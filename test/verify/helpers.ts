// Locates and loads the PyTorch float64 fixtures in ../shared/fixtures/torch for tests.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTorchFixture, type TorchFixture } from '../../src/verify/torch_fixture';

export type { TorchFixture } from '../../src/verify/torch_fixture';
export { maxRelError, normRelError } from '../../src/verify/verify_fixture';

export const FIXTURE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/torch');

export function loadFixture(name: string): TorchFixture {
  return parseTorchFixture(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8'), name);
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}
