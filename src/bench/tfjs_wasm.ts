// TF.js's wasm backend served from the bench page's own origin: its three binaries are Vite assets, and the variant that loaded (plain, SIMD, threaded SIMD) is read back.
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs';

const BINARIES = {
  'tfjs-backend-wasm.wasm': plainUrl,
  'tfjs-backend-wasm-simd.wasm': simdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdUrl,
} as const;

let pathsSet = false;

/** Points the wasm backend at the local copies; call before tf.setBackend('wasm'). */
export function useLocalWasmBinaries(): void {
  if (pathsSet) return;
  for (const [name, url] of Object.entries(BINARIES)) {
    const abs = new URL(url, location.href);
    if (abs.origin !== location.origin) throw new Error(`the TF.js wasm binary ${name} would load from ${abs.origin}, not this page's origin`);
  }
  setWasmPaths({ ...BINARIES });
  pathsSet = true;
}

/** Which binary the backend fetched (from the page's resource timings) and what it runs with, e.g. "WASM threaded-simd: SIMD, XNNPACK pool of 1 of 2 logical cores". */
export async function describeWasmVariant(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const fetched = performance
    .getEntriesByType('resource')
    .map((e) => e.name)
    .flatMap((name) => Object.entries(BINARIES).filter(([, url]) => name === new URL(url, location.href).href).map(([bin]) => bin));
  const loaded = fetched.length > 0 ? fetched.map((b) => b.replace(/^tfjs-backend-wasm-?/, '').replace(/\.wasm$/, '') || 'plain').join('+') : 'unknown binary';
  // TF.js caps XNNPACK's pool at hardwareConcurrency / 2 (it counts hyper-threads as half a core), setThreadsCount included.
  const threading = threads
    ? `XNNPACK pool of ${getThreadsCount()} of ${navigator.hardwareConcurrency} logical cores`
    : `no threads${crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}`;
  return `WASM ${loaded}: ${simd ? 'SIMD' : 'no SIMD'}, ${threading}`;
}
