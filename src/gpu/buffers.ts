// GPU buffer creation with a live count of buffers and bytes, so tests can prove nothing leaks.
let liveCount = 0;
let liveBytes = 0;

export function liveBuffers(): { count: number; bytes: number } {
  return { count: liveCount, bytes: liveBytes };
}

/** Owns a set of buffers and destroys them together. */
export class BufferSet {
  private readonly buffers = new Set<GPUBuffer>();
  constructor(private readonly device: GPUDevice) {}

  create(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    // WebGPU needs sizes that are multiples of 4 and non-zero.
    const padded = Math.max(4, Math.ceil(size / 4) * 4);
    const buffer = this.device.createBuffer({ label, size: padded, usage });
    this.buffers.add(buffer);
    liveCount++;
    liveBytes += padded;
    return buffer;
  }

  storage(label: string, floats: number): GPUBuffer {
    return this.create(label, floats * 4, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
  }

  uniform(label: string, data: ArrayBuffer): GPUBuffer {
    const buffer = this.create(label, data.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(buffer, 0, data);
    return buffer;
  }

  destroy(buffer: GPUBuffer): void {
    if (!this.buffers.delete(buffer)) return;
    liveCount--;
    liveBytes -= buffer.size;
    buffer.destroy();
  }

  destroyAll(): void {
    for (const b of [...this.buffers]) this.destroy(b);
  }
}

/** Copies a range of a buffer back to the CPU (one transient staging buffer). */
export async function readFloats(device: GPUDevice, source: GPUBuffer, floatOffset: number, floats: number): Promise<Float32Array> {
  const bytes = Math.max(4, floats * 4);
  const staging = device.createBuffer({ label: 'readback', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder({ label: 'readback' });
  enc.copyBufferToBuffer(source, floatOffset * 4, staging, 0, bytes);
  device.queue.submit([enc.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
    return new Float32Array(staging.getMappedRange().slice(0, floats * 4));
  } finally {
    staging.destroy();
  }
}
