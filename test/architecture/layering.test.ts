// Imports flow one way: util → gpu → engine/reference → data/export/verify → training → storage/model_io →
// worker/cli/bench → ui. This test reads every import in src/ and fails on one that reaches a higher layer or leaves src/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** Rank of each top-level folder of src/; a module may import its own rank or lower. */
export const LAYERS: Record<string, number> = {
  util: 0,
  gpu: 1,
  engine: 2,
  reference: 2,
  data: 3,
  export: 3,
  verify: 3,
  training: 4,
  storage: 5,
  model_io: 5,
  worker: 6,
  cli: 6,
  bench: 6,
  ui: 7,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

/** Relative specifiers of every static import, re-export and dynamic import in a file's text. */
export function relativeImports(text: string): string[] {
  const found: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g;
  for (const m of text.matchAll(re)) found.push(m[1] ?? m[2] ?? m[3]);
  return found;
}

/** The layer a path in src/ belongs to (main.tsx is the page: ui); null outside src/. */
function layerOf(file: string): { folder: string; rank: number } | null {
  const rel = relative(SRC, file);
  if (rel.startsWith('..')) return null;
  const folder = rel.includes('/') ? rel.split('/')[0] : 'ui';
  return { folder, rank: LAYERS[folder] ?? Number.NaN };
}

export interface Violation {
  file: string;
  imports: string;
  why: string;
}

export function violations(): Violation[] {
  const out: Violation[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file)!;
    for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec.replace(/\?raw$/, ''));
      const name = relative(SRC, file);
      if (target === resolve(SRC, '../package.json')) continue; // the version stamped into exports
      if (target.startsWith(resolve(SRC, '../shaders'))) {
        if (from.folder !== 'engine') out.push({ file: name, imports: spec, why: 'only the engine loads WGSL' });
        continue;
      }
      const to = layerOf(target);
      if (!to) out.push({ file: name, imports: spec, why: 'leaves src/' });
      else if (!Number.isFinite(from.rank) || !Number.isFinite(to.rank)) out.push({ file: name, imports: spec, why: `folder without a layer (${from.folder} → ${to.folder})` });
      else if (to.rank > from.rank) out.push({ file: name, imports: spec, why: `${from.folder} (layer ${from.rank}) imports ${to.folder} (layer ${to.rank})` });
    }
  }
  return out;
}

/** Modules that import Node-only packages (node:*, webgpu/Dawn) and are reachable from the page or the worker. */
export function nodeOnlyInBrowser(): string[] {
  const entries = [join(SRC, 'main.tsx'), join(SRC, 'worker/training_worker.ts')];
  const seen = new Set<string>();
  const bad: string[] = [];
  const resolveFile = (base: string) => [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    if (/from\s*['"](node:[^'"]+|webgpu)['"]/.test(text)) bad.push(relative(SRC, file));
    for (const spec of relativeImports(text)) {
      if (spec.includes('?raw') || spec.endsWith('.json') || spec.endsWith('.css')) continue;
      const next = resolveFile(resolve(dirname(file), spec));
      if (next?.startsWith(SRC)) visit(next);
    }
  };
  entries.forEach(visit);
  if (seen.size < 50) throw new Error(`only ${seen.size} modules reached from the entries: the import reader is broken`);
  return bad;
}

describe('layering', () => {
  test('the import reader finds every form of import (negative control: a bare package import is not relative)', () => {
    const text = `import { a } from './a';\nimport type { B } from "../b/b";\nexport { c } from './c';\nimport './side';\nconst d = await import('./d');\nimport x from 'papaparse';\nimport {\n  e,\n  f,\n} from '../e';`;
    expect(relativeImports(text)).toEqual(['./a', '../b/b', './c', '../e', './d', './side'].sort((p, q) => text.indexOf(p) - text.indexOf(q)));
  });

  test('every folder of src/ has a layer', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => !(f in LAYERS))).toEqual([]);
  });

  test('no module imports a higher layer or reaches outside src/', () => {
    const v = violations();
    console.log(`[layering] ${sourceFiles(SRC).length} modules, ${v.length} imports against the flow`);
    expect(v.map((x) => `${x.file} → ${x.imports}: ${x.why}`)).toEqual([]);
  });

  test('test/ mirrors src/: every test folder is named after a src/ folder (fixtures and architecture aside)', () => {
    const TEST = resolve(SRC, '../test');
    const folders = readdirSync(TEST).filter((n) => statSync(join(TEST, n)).isDirectory());
    expect(folders.filter((f) => !(f in LAYERS) && f !== 'fixtures' && f !== 'architecture')).toEqual([]);
    expect(readdirSync(TEST).filter((n) => n.endsWith('.ts')), 'test files at the top of test/').toEqual([]);
  });

  test('nothing the page or the worker loads imports a Node-only package', () => {
    expect(nodeOnlyInBrowser()).toEqual([]);
  });
});
