// The GPU-machine bundle (scripts/gpu_bundle.ts): built, copied nowhere near the project's node_modules, and run by its
// own run.sh with its own Node, Dawn and Vulkan loader on this machine's SwiftShader: verify passes, bench --node times
// our engine and PyTorch beside it, and the whole fits what the device tool carries.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGpuBundle, CARRY_LIMIT_BYTES, type GpuBundle } from '../../scripts/gpu_bundle';
import { findTorchPython } from '../../src/bench/torch_peer';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = resolve(ROOT, '../shared/fixtures/torch/lstm_tiny.json');
const hasTorch = 'python' in (await findTorchPython());

let dir = '';
let bundle: GpuBundle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lstm-gpu-bundle-'));
  // xz level 0: the fastest to build here; the command's default (6) packs smaller.
  bundle = await buildGpuBundle({ outDir: join(dir, 'bundle'), xzLevel: 0 });
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** run.sh from a working folder outside the project, with the test runner's environment (SwiftShader here). */
function runSh(args: string[]) {
  const r = spawnSync('sh', [join(bundle.outDir, 'run.sh'), ...args], { cwd: dir, encoding: 'utf8', timeout: 200_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('GPU-machine bundle', () => {
  it('holds the CLI, Node and dawn.node packed, the Vulkan loader and the torch script, under the carry limit', () => {
    expect(bundle.outDir.startsWith(ROOT)).toBe(false);
    expect(bundle.files.map((f) => f.path).sort()).toEqual(
      [
        'bench/torch_lstm_bench.py',
        'bin/node.xz',
        'cli.js',
        'lib/libvulkan.so.1',
        'node_modules/webgpu/LICENSE.md',
        'node_modules/webgpu/dist/linux-x64/dawn.node.xz',
        'node_modules/webgpu/index.js',
        'node_modules/webgpu/package.json',
        'run.sh',
      ].sort(),
    );
    expect(bundle.totalBytes).toBeLessThan(CARRY_LIMIT_BYTES);
  });

  it('run.sh unpacks Node and Dawn once and runs verify on its own Node, outside the project', () => {
    const r = runSh(['verify', FIXTURE]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ fixture: 'lstm_tiny', pass: true });
    expect(existsSync(join(bundle.outDir, 'bin/node'))).toBe(true);
    expect(existsSync(join(bundle.outDir, 'node_modules/webgpu/dist/linux-x64/dawn.node'))).toBe(true);
    const version = spawnSync(join(bundle.outDir, 'bin/node'), ['--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(process.version);
  }, 200_000);

  it.skipIf(!hasTorch)('run.sh bench --node --torch cpu times our engine and PyTorch on config S (the GPU machine runs --torch cuda)', () => {
    const r = runSh(['bench', '--node', '--configs', 'S', '--steps', '1', '--warmup', '1', '--torch', 'cpu', '--json']);
    expect(r.code, r.err).toBe(0);
    const rows = JSON.parse(r.out.trim().split('\n').pop()!) as { config: string; engine: string; lossBefore: number; lossAfter: number }[];
    expect(rows.map((x) => [x.config, x.engine])).toEqual([['S', 'ours'], ['S', 'torch-cpu']]);
    for (const row of rows) expect(row.lossAfter).toBeLessThan(row.lossBefore);
  }, 200_000);
});
