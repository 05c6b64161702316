// Browser WebGPU device: one adapter and device, with a plain message when WebGPU is missing.
export interface GpuContext {
  device: GPUDevice;
  /** Human-readable adapter name, e.g. "SwiftShader (google)" or "NVIDIA H100". */
  adapterInfo: string;
}

/** Limits the engine asks for, raised to what the adapter offers. */
export function requiredLimits(adapter: GPUAdapter): Record<string, number> {
  return {
    maxStorageBuffersPerShaderStage: Math.min(adapter.limits.maxStorageBuffersPerShaderStage, 10),
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
  };
}

/** Features the engine uses where the adapter has them: 'subgroups' (the 4-lane subgroup kernels, subgroup_support.ts). */
export function requiredFeatures(adapter: GPUAdapter): GPUFeatureName[] {
  return adapter.features.has('subgroups') ? ['subgroups'] : [];
}

export function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info?.description, info?.vendor, info?.architecture, info?.device].filter((s) => s && s.length > 0);
  return parts.length > 0 ? parts.join(' / ') : 'unknown adapter';
}

export async function requestBrowserDevice(): Promise<GpuContext> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) {
    throw new Error(
      'This browser does not offer WebGPU (navigator.gpu is missing). Use a recent Chrome, Edge or Firefox, ' +
        'or serve the page from http://localhost or https so it is a secure context.',
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('WebGPU is present but no GPU adapter is available (the GPU may be blocklisted or disabled).');
  const device = await adapter.requestDevice({ requiredFeatures: requiredFeatures(adapter), requiredLimits: requiredLimits(adapter) });
  return { device, adapterInfo: describeAdapter(adapter) };
}
