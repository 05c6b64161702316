// Runs the whole bench inside the page: per config ours (WebGPU, CPU), each TF.js backend and jax-js, then the matmul kernels; collects rows and misses.
import { matmulKindFor, matmulPipeline, type MatmulKind } from '../engine/kernels';
import { subgroupSupport } from '../engine/subgroup_support';
import { describeAdapter, requestBrowserDevice, type GpuContext } from '../gpu/device';
import { chooseEngine, isSoftwareAdapter } from '../training/engine_choice';
import { makeBatch } from './bench_data';
import {
  CONFIGS,
  LSTM_ENGINES,
  makeRow,
  MATMUL_ENGINES,
  matmulConfigName,
  OWN_ENGINES,
  type BenchMiss,
  type BenchOptions,
  type BenchResult,
  type BenchRow,
  type LstmEngine,
  type MatmulEngine,
} from './bench_spec';
import { checkMatmulKernel, timeMatmuls, type MatmulKernel } from './matmul_bench';
import { benchOursCpu } from './ours_cpu';
import { benchOurs } from './ours_lstm';
import { checkTrains, lossChange } from './sanity';

type Log = (line: string) => void;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The adapter our engine would get, without creating a device (picks the default configs). */
export async function probeAdapter(): Promise<string> {
  const gpu = navigator.gpu;
  if (!gpu) return 'no WebGPU (navigator.gpu is missing)';
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  return adapter ? describeAdapter(adapter) : 'no WebGPU adapter';
}

/** A guard against an engine that never settles (e.g. a wasm backend whose workers died): generous, only for hangs. */
export function engineTimeLimitMs(o: BenchOptions): number {
  return 300_000 + 120_000 * (o.warmup + o.steps);
}

function withTimeLimit<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s (it may still be running; later rows of this run may be slowed)`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

function fmt(row: BenchRow): string {
  return `${row.msPerStep.toFixed(2)} ms/step, ${row.samplesPerSec.toFixed(1)} samples/s, ${row.gflops.toFixed(3)} GFLOP/s, loss ${lossChange(row)}`;
}

async function benchLstmEngine(engine: LstmEngine, gpu: GpuContext | null, configName: string, o: BenchOptions): Promise<BenchRow> {
  const c = CONFIGS[configName];
  const batch = makeBatch(c);
  if (engine === 'ours') {
    if (!gpu) throw new Error('no WebGPU device');
    return benchOurs(gpu.device, gpu.adapterInfo, c, batch, o.warmup, o.steps);
  }
  if (engine === 'ours-cpu') return benchOursCpu(c, batch, o.warmup, o.steps);
  if (c.vocab && engine.startsWith('jax-js')) throw new Error(`the ${c.name} (language model) config is timed for ours and TF.js only`);
  if (engine === 'jax-js' || engine === 'jax-js-wasm') {
    // jax-js is only loaded when one of its engines is asked for.
    const { benchJax, JaxUnavailable } = await import('./jax_lstm');
    const device = engine === 'jax-js' ? 'webgpu' : 'wasm';
    try {
      return await benchJax(device, c, batch, o.warmup, o.steps);
    } catch (e) {
      if (e instanceof JaxUnavailable) throw e;
      throw new Error(`jax-js ${device} training failed: ${message(e)}`);
    }
  }
  // TF.js (a few MB) is only loaded when a TF.js engine is asked for.
  const { benchTfjs, BackendUnavailable } = await import('./tfjs_lstm');
  const backend = engine === 'tfjs-webgpu' ? 'webgpu' : engine === 'tfjs-webgl' ? 'webgl' : engine === 'tfjs-wasm' ? 'wasm' : 'cpu';
  try {
    return await benchTfjs(backend, c, batch, o.warmup, o.steps);
  } catch (e) {
    if (e instanceof BackendUnavailable) throw e;
    throw new Error(`TF.js ${backend} training failed: ${message(e)}`);
  }
}

async function benchMatmulKernels(gpu: GpuContext, o: BenchOptions, rows: BenchRow[], misses: BenchMiss[], notes: string[], log: Log): Promise<void> {
  const { device } = gpu;
  const wanted = o.engines.filter((e): e is MatmulEngine => (MATMUL_ENGINES as readonly string[]).includes(e));
  const kernels = new Map<MatmulEngine, MatmulKernel>();
  const subgroups = await subgroupSupport(device);
  for (const engine of wanted) {
    const kind = engine.slice('matmul-'.length) as MatmulKind;
    if (kind === 'subgroup' && !subgroups.usable) {
      for (const size of o.matmulSizes) misses.push({ config: matmulConfigName(size), engine, reason: `skipped: ${subgroups.reason}`, failed: false });
      continue;
    }
    try {
      const kernel = { name: { tiled: 'matmul.wgsl', direct: 'matmul_direct.wgsl', subgroup: 'matmul_subgroup.wgsl' }[kind], pipeline: matmulPipeline(device, kind) };
      await checkMatmulKernel(device, kernel);
      kernels.set(engine, kernel);
    } catch (e) {
      for (const size of o.matmulSizes) misses.push({ config: matmulConfigName(size), engine, reason: message(e), failed: true });
      log(`[bench] ${engine}: FAILED the correctness check: ${message(e)}`);
    }
  }
  if (kernels.size > 0) {
    notes.push(`matmul kernels checked against a float64 CPU reference (strided, transposed, bias, accumulate): ${[...kernels.keys()].join(', ')} correct`);
    notes.push('matmul rows: the median of single products, the kernels interleaved so outside load hits them alike');
    notes.push(`the training engine uses matmul-${matmulKindFor(device, subgroups.usable)} on this adapter`);
  }
  const engines = [...kernels.keys()];
  for (const size of o.matmulSizes) {
    const config = matmulConfigName(size);
    if (engines.length === 0) break;
    try {
      const timings = await timeMatmuls(device, [...kernels.values()], size, o.warmup, o.steps);
      for (const [i, t] of timings.entries()) {
        const row = makeRow(config, engines[i], gpu.adapterInfo, t.msPerProduct, 1, 2 * size ** 3);
        rows.push(row);
        log(`[bench] ${config} ${engines[i]}: ${row.msPerStep.toFixed(1)} ms/product, ${row.gflops.toFixed(3)} GFLOP/s`);
      }
    } catch (e) {
      for (const engine of engines) misses.push({ config, engine, reason: message(e), failed: true });
      log(`[bench] ${config} matmul: FAILED: ${message(e)}`);
    }
  }
}

/** Runs every requested measurement; an engine that fails becomes a miss (failed: true for ours), never an exception. */
export async function runBrowserBench(o: BenchOptions, log: Log = (l) => console.log(l)): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const misses: BenchMiss[] = [];
  const notes: string[] = [];
  const needsDevice = o.engines.some((e) => e === 'ours' || e.startsWith('matmul-'));
  let gpu: GpuContext | null = null;
  let gpuError = '';
  const uncaptured: string[] = [];
  if (needsDevice) {
    try {
      gpu = await requestBrowserDevice();
      gpu.device.addEventListener('uncapturederror', (ev) => uncaptured.push((ev as GPUUncapturedErrorEvent).error.message));
      void gpu.device.lost.then((info) => {
        if (info.reason !== 'destroyed') uncaptured.push(`device lost: ${info.message}`);
      });
    } catch (e) {
      gpuError = message(e);
    }
  }
  const adapter = gpu?.adapterInfo ?? (await probeAdapter());
  log(`[bench] adapter: ${adapter}; configs ${o.configs.join(',')}; engines ${o.engines.join(',')}; warm-up ${o.warmup}, steps ${o.steps}`);
  if (gpu) {
    const picked = chooseEngine('auto', isSoftwareAdapter(gpu), gpu.adapterInfo);
    notes.push(`the page trains on ${picked.kind === 'cpu' ? 'ours-cpu' : 'ours'} on this adapter (src/training/engine_choice.ts)${picked.why ? ': it is a software one' : ''}`);
  }

  for (const configName of o.configs) {
    for (const engine of LSTM_ENGINES) {
      if (!o.engines.includes(engine)) continue;
      const failed = OWN_ENGINES.includes(engine);
      if (engine === 'ours' && !gpu) {
        misses.push({ config: configName, engine, reason: `no WebGPU device: ${gpuError}`, failed });
        continue;
      }
      log(`[bench] ${configName} ${engine}: running…`);
      const t0 = performance.now();
      const took = () => `(${((performance.now() - t0) / 1000).toFixed(1)} s with set-up)`;
      try {
        const row = checkTrains(await withTimeLimit(benchLstmEngine(engine, gpu, configName, o), engineTimeLimitMs(o), `${configName} ${engine}`));
        rows.push(row);
        log(`[bench] ${configName} ${engine}: ${fmt(row)} ${took()}`);
      } catch (e) {
        misses.push({ config: configName, engine, reason: message(e), failed });
        log(`[bench] ${configName} ${engine}: ${failed ? 'FAILED' : 'skipped'}: ${message(e)} ${took()}`);
      }
    }
  }

  if (o.engines.some((e) => e.startsWith('matmul-'))) {
    if (gpu) {
      await benchMatmulKernels(gpu, o, rows, misses, notes, log);
    } else {
      for (const engine of o.engines.filter((e) => e.startsWith('matmul-')))
        for (const size of o.matmulSizes) misses.push({ config: matmulConfigName(size), engine, reason: `no WebGPU device: ${gpuError}`, failed: true });
    }
  }
  if (uncaptured.length > 0) {
    misses.push({ config: '*', engine: 'ours', reason: `uncaptured WebGPU errors: ${uncaptured.join(' | ')}`, failed: true });
  }
  gpu?.device.destroy();
  return { adapter, browser: navigator.userAgent, options: o, rows, misses, notes };
}
