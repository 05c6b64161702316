// Node WebGPU device through Dawn (the `webgpu` package): the real Vulkan driver when there is one, SwiftShader when
// there is none. Dawn reports a missing driver on stderr from native code, so that case is decided up front
// (node_adapter_choice.ts) rather than tried; LSTM_PLAYGROUND_VERBOSE=1 (the CLI's --verbose) names the choice.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, globals } from 'webgpu';
import { describeAdapter, requiredFeatures, requiredLimits, type GpuContext } from './device';
import { findSwiftShader, planStart, SWIFTSHADER_ICDS, verboseRequested, type StartPlan } from './node_adapter_choice';

// Dawn's GPU objects must outlive every device made from them (dropping one aborts the process), so keep them all.
const instances: GPU[] = [];

/** Decided on the first call and kept: later calls see the VK_ICD_FILENAMES this module set and must not re-plan. */
let plan: StartPlan | null = null;

async function tryAdapter(): Promise<GPUAdapter | null> {
  const gpu = create([]);
  instances.push(gpu);
  return gpu.requestAdapter({ powerPreference: 'high-performance' });
}

function useIcd(path: string): void {
  process.env.VK_ICD_FILENAMES = path;
}

/** A new adapter and device on every call (an adapter gives out one device only); SwiftShader when no GPU. */
export async function requestNodeDevice(): Promise<GpuContext> {
  Object.assign(globalThis, globals);
  if (!process.env.XDG_RUNTIME_DIR) {
    // Vulkan's window-system layers complain on every start without one (headless machines, CI).
    const dir = join(tmpdir(), `lstm-playground-runtime-${process.getuid?.() ?? 'user'}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  }
  if (!plan) {
    plan = planStart();
    if (plan.useIcd) useIcd(plan.useIcd);
  }
  let adapter = await tryAdapter();
  if (!adapter && plan.mayFallBack) {
    // The driver the loader found gave no adapter: use the CPU implementation chromium ships, from now on.
    const swiftshader = findSwiftShader() ?? SWIFTSHADER_ICDS[0];
    plan = { useIcd: swiftshader, mayFallBack: false, reason: `${plan.reason} gave no adapter, so SwiftShader (${swiftshader})` };
    useIcd(swiftshader);
    adapter = await tryAdapter();
  }
  if (!adapter) {
    throw new Error(
      'No WebGPU adapter in Node. Install a Vulkan driver, or Debian\'s chromium and libvulkan1 ' +
        `(for SwiftShader at ${SWIFTSHADER_ICDS[0]}), or set VK_ICD_FILENAMES to a Vulkan ICD file.`,
    );
  }
  const adapterInfo = describeAdapter(adapter);
  if (verboseRequested()) process.stderr.write(`lstm-playground: WebGPU adapter "${adapterInfo}": ${plan.reason}\n`);
  const device = await adapter.requestDevice({ requiredFeatures: requiredFeatures(adapter), requiredLimits: requiredLimits(adapter) });
  return { device, adapterInfo };
}
