// The PyTorch rows, timed outside the browser by bench/torch_lstm_bench.py on the bench's own batches: torch-cpu (fp32 on
// the CPU, the browser bench's reference row) and, on a CUDA machine (`bench --node --torch cuda`), cuDNN in fp32 and
// tf32. No python3 with torch (or no CUDA) is a miss with the reason, not a failure.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBatch } from './bench_data';
import { packageFile } from './package_file';
import { CONFIGS, type BenchMiss, type BenchOptions, type BenchRow, type Engine } from './bench_spec';
import { checkTrains } from './sanity';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

function run(cmd: string, args: string[], timeoutMs: number, onLine?: (l: string) => void): Promise<Ran> {
  return new Promise((resolve) => {
    let stdout = '', stderr = '';
    let settled = false;
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ code: null, stdout, stderr, error: `timed out after ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
    const finish = (r: Ran) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (onLine) for (const l of d.toString().split('\n')) if (l.trim()) onLine(l.trimEnd());
    });
    child.on('error', (e) => finish({ code: null, stdout, stderr, error: e.message }));
    child.on('close', (code) => finish({ code, stdout, stderr }));
  });
}

/** Pythons to try, in order: $PYTHON, python3 on PATH, Debian's /usr/bin/python3 (where apt's python3-torch lives). */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...new Set([env.PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p && p.length > 0))];
}

/** The first python that imports torch, or the reason none does. */
export async function findTorchPython(candidates = pythonCandidates()): Promise<{ python: string; version: string } | { reason: string }> {
  const tried: string[] = [];
  for (const python of candidates) {
    const r = await run(python, ['-c', 'import torch; print(torch.__version__)'], 120_000);
    if (r.code === 0) return { python, version: r.stdout.trim() };
    const why = r.error ?? (r.stderr.trim().split('\n').pop() || `exit ${r.code}`);
    tried.push(`${python}: ${why}`);
  }
  return { reason: `no python here imports torch (${tried.join('; ')}); Debian: apt-get install python3-torch python3-numpy, or set PYTHON` };
}

/** Where PyTorch runs: 'cpu' gives the row torch-cpu, 'cuda' the rows torch-cudnn-fp32 and torch-cudnn-tf32. */
export type TorchDevice = 'cpu' | 'cuda';

/** The engines the script reports on that device (a miss for a config names the first). */
export function torchEngines(device: TorchDevice): Engine[] {
  return device === 'cpu' ? ['torch-cpu'] : ['torch-cudnn-fp32', 'torch-cudnn-tf32'];
}

/** bench/torch_lstm_bench.py of this package. */
export function torchScriptPath(): string {
  return packageFile(import.meta.url, 'bench/torch_lstm_bench.py');
}

export interface TorchResult {
  rows: BenchRow[];
  misses: BenchMiss[];
  notes: string[];
}

/** Reads the script's JSON: rows that pass the training check, misses (never failed: torch is a peer) for the rest. */
export function parseTorchOutput(stdout: string, configs: string[], device: TorchDevice = 'cpu'): TorchResult {
  const out: TorchResult = { rows: [], misses: [], notes: [] };
  const engines = torchEngines(device);
  const engine = engines[0];
  const known = (e: unknown): Engine => (engines.includes(e as Engine) ? (e as Engine) : engine);
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  let parsed: { rows?: BenchRow[]; misses?: { config: string; engine?: string; reason: string }[]; unavailable?: string; torch?: string };
  try {
    parsed = JSON.parse(lastLine);
  } catch {
    for (const config of configs) out.misses.push({ config, engine, reason: `the torch script printed no JSON (${lastLine.slice(0, 200) || 'nothing'})`, failed: false });
    return out;
  }
  if (parsed.unavailable) {
    for (const config of configs) out.misses.push({ config, engine, reason: parsed.unavailable, failed: false });
    return out;
  }
  for (const row of parsed.rows ?? []) {
    try {
      out.rows.push(checkTrains({ ...row, engine: known(row.engine) }));
    } catch (e) {
      out.misses.push({ config: row.config, engine: known(row.engine), reason: e instanceof Error ? e.message : String(e), failed: false });
    }
  }
  for (const m of parsed.misses ?? []) out.misses.push({ config: m.config, engine: known(m.engine), reason: m.reason, failed: false });
  for (const config of configs)
    if (!out.rows.some((r) => r.config === config) && !out.misses.some((m) => m.config === config))
      out.misses.push({ config, engine, reason: 'the torch script returned nothing for this config', failed: false });
  if (parsed.torch)
    out.notes.push(
      device === 'cpu'
        ? `torch-cpu: PyTorch ${parsed.torch} outside the browser (fp32, nn.LSTM + Linear, Adam, MSE) on the bench's batches, timed after the other engines finished`
        : `torch-cudnn-fp32 / -tf32: PyTorch ${parsed.torch} with cuDNN (nn.LSTM + Linear, Adam, MSE) on the bench's batches, timed after the other engines finished`,
    );
  return out;
}

/** Times PyTorch on `device` on every config of the run; never throws (what cannot run is a miss with the reason). */
export async function benchTorch(
  script: string,
  o: Pick<BenchOptions, 'configs' | 'steps' | 'warmup'>,
  log: (l: string) => void,
  device: TorchDevice = 'cpu',
): Promise<TorchResult> {
  const configs = o.configs.filter((name) => !CONFIGS[name]?.vocab); // the language-model config is timed in the page only
  if (configs.length === 0) return { rows: [], misses: [], notes: [] };
  const engine = torchEngines(device)[0];
  const found = await findTorchPython();
  if ('reason' in found) {
    log(`[torch] skipped: ${found.reason}`);
    return { rows: [], misses: configs.map((config) => ({ config, engine, reason: found.reason, failed: false })), notes: [] };
  }
  log(`[torch] ${found.python} with torch ${found.version}: configs ${configs.join(',')}, warm-up ${o.warmup}, steps ${o.steps}`);
  const dir = await mkdtemp(join(tmpdir(), 'lstm-bench-torch-'));
  try {
    for (const name of configs) {
      const batch = makeBatch(CONFIGS[name]);
      await writeFile(join(dir, `${name}.x.f32`), new Uint8Array(batch.x.buffer, batch.x.byteOffset, batch.x.byteLength));
      await writeFile(join(dir, `${name}.y.f32`), new Uint8Array(batch.y.buffer, batch.y.byteOffset, batch.y.byteLength));
    }
    const args = [script, '--device', device, '--configs', configs.join(','), '--steps', String(o.steps), '--warmup', String(o.warmup), '--data', dir];
    const r = await run(found.python, args, 30 * 60_000, log);
    if (r.code !== 0 && r.code !== 3) {
      const reason = `${found.python} ${script} ${r.error ?? `exited with ${r.code}`}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`;
      return { rows: [], misses: configs.map((config) => ({ config, engine, reason, failed: false })), notes: [] };
    }
    return parseTorchOutput(r.stdout, configs, device);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
