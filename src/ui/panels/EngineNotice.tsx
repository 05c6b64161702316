// Shown where WebGPU is missing: says so plainly and offers the CPU engine (slower, the same model).
import { useCpu } from '../controller';
import { useAppState } from '../store';

export function EngineNotice() {
  const engine = useAppState((s) => s.engine);
  if (!engine || engine.kind === 'webgpu') return null;
  if (engine.kind === 'cpu') {
    return (
      <p className="engine-notice" data-testid="engine-notice" data-engine="cpu">
        Training on the CPU engine (float32, in a worker): the same model and results as on a GPU, only slower.
        Keep models small.
      </p>
    );
  }
  return (
    <div className="engine-notice warn" data-testid="engine-notice" data-engine="none" role="region" aria-label="No WebGPU">
      <p>
        <strong>This browser has no usable WebGPU</strong>, so the GPU engine cannot run here. You can still train on the
        CPU engine: it runs in a worker and computes the same model in float32, more slowly.
      </p>
      <button type="button" className="primary" onClick={useCpu}>
        Use the CPU engine
      </button>
    </div>
  );
}
