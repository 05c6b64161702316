// Where the engine is not a GPU's WebGPU, says which engine trains and why, and offers the other one: the CPU engine
// picked over a software WebGPU adapter (or asked for), WebGPU on a software adapter (asked for), or no WebGPU at all.
import { useCpu, useWebgpu } from '../controller';
import { useAppState } from '../store';

export function EngineNotice() {
  const engine = useAppState((s) => s.engine);
  if (!engine) return null;
  if (engine.kind === 'webgpu') {
    if (!engine.software) return null;
    return (
      <div className="engine-notice" data-testid="engine-notice" data-engine="webgpu">
        <p>
          Training on WebGPU through a software adapter ({engine.info}), which emulates a GPU on the CPU: the CPU engine
          trains the same model several times faster here.
        </p>
        <button type="button" onClick={useCpu}>
          Use the CPU engine
        </button>
      </div>
    );
  }
  if (engine.kind === 'cpu') {
    const adapter = engine.adapter;
    return (
      <div className="engine-notice" data-testid="engine-notice" data-engine="cpu" data-why={engine.why ? 'software-adapter' : 'asked'}>
        <p>
          {!adapter
            ? 'Training on the CPU engine (float32, in a worker): the same model and results as on a GPU, only slower. Keep models small.'
            : engine.why
              ? `Training on the CPU engine (float32, in a worker). ${engine.why}`
              : `Training on the CPU engine (float32, in a worker), as asked: the same model as on WebGPU (${adapter.info}).`}
        </p>
        {adapter && (
          <button type="button" onClick={useWebgpu}>
            Use WebGPU ({adapter.info})
          </button>
        )}
      </div>
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
