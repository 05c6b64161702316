// Whether a device can run the 4-lane subgroup recurrences (lstm_forward_subgroup.wgsl, lstm_backward_subgroup.wgsl):
// it has the 'subgroups' feature, and its subgroups are the 4 neighbouring invocations those kernels assume, which
// WebGPU does not promise, so subgroup_probe.wgsl checks it on the device once and the answer is kept.
import { subgroupWorkgroupSizes } from './kernel_sizes';
import { bindGroup, subgroupProbePipeline } from './kernels';

export interface SubgroupSupport {
  usable: boolean;
  /** Why not, or what was checked, in words. */
  reason: string;
}

const probed = new WeakMap<GPUDevice, Promise<SubgroupSupport>>();

/** The device's answer, probed on the first call and kept. */
export function subgroupSupport(device: GPUDevice): Promise<SubgroupSupport> {
  let answer = probed.get(device);
  if (!answer) {
    answer = probe(device);
    probed.set(device, answer);
  }
  return answer;
}

async function probe(device: GPUDevice): Promise<SubgroupSupport> {
  if (!device.features.has('subgroups')) return { usable: false, reason: "the device has no 'subgroups' feature" };
  const sizes = subgroupWorkgroupSizes();
  for (const WG of sizes) {
    const bad = await probeAt(device, WG);
    if (bad) return { usable: false, reason: bad };
  }
  return { usable: true, reason: `subgroups of 4 neighbouring invocations (probed at ${sizes.join(' and ')} per workgroup)` };
}

/** What is wrong with the subgroups of workgroups of WG invocations, or null. */
async function probeAt(device: GPUDevice, WG: number): Promise<string | null> {
  const bytes = 2 * WG * 4;
  device.pushErrorScope('validation');
  const ok = device.createBuffer({ label: 'subgroup probe', size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ label: 'subgroup probe read', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const pipeline = subgroupProbePipeline(device, WG);
    const encoder = device.createCommandEncoder({ label: 'subgroup probe' });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup(device, 'subgroup probe', pipeline, [ok]));
    pass.dispatchWorkgroups(2);
    pass.end();
    encoder.copyBufferToBuffer(ok, 0, read, 0, bytes);
    device.queue.submit([encoder.finish()]);
    const error = await device.popErrorScope();
    if (error) return `the subgroup probe did not compile or run: ${error.message}`;
    await read.mapAsync(GPUMapMode.READ);
    const flags = new Uint32Array(read.getMappedRange().slice(0));
    read.unmap();
    const bad = flags.findIndex((f) => f !== 1);
    if (bad >= 0) return `its subgroups are not 4 neighbouring invocations (first seen at invocation ${bad % WG} of workgroup ${Math.floor(bad / WG)} of ${WG})`;
    return null;
  } finally {
    ok.destroy();
    read.destroy();
  }
}
