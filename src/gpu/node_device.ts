// Node WebGPU device through Dawn (the `webgpu` package); falls back to SwiftShader when no GPU adapter is found.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, globals } from 'webgpu';
import { describeAdapter, requiredLimits, type GpuContext } from './device';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

// Dawn's GPU objects must outlive every device made from them (dropping one aborts the process), so keep them all.
const instances: GPU[] = [];

async function tryAdapter(): Promise<GPUAdapter | null> {
  const gpu = create([]);
  instances.push(gpu);
  return gpu.requestAdapter({ powerPreference: 'high-performance' });
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
  let adapter = await tryAdapter();
  const icdSet = process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES;
  if (!adapter && !icdSet && existsSync(SWIFTSHADER_ICD)) {
    // No usable Vulkan driver: use the CPU implementation Debian's chromium ships.
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    adapter = await tryAdapter();
  }
  if (!adapter) {
    throw new Error(
      'No WebGPU adapter in Node. Install a Vulkan driver, or Debian\'s chromium and libvulkan1 ' +
        `(for SwiftShader at ${SWIFTSHADER_ICD}), or set VK_ICD_FILENAMES to a Vulkan ICD file.`,
    );
  }
  const device = await adapter.requestDevice({ requiredLimits: requiredLimits(adapter) });
  return { device, adapterInfo: describeAdapter(adapter) };
}
