// Shared by the tests that run exported scripts under real PyTorch: which Python has torch, why it cannot be used,
// and the playground CPU engine's loss over a training split (what a script's continued epoch is judged by).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CpuEngine } from '../../src/engine/cpu_engine';
import type { TrainConfig } from '../../src/engine/config';
import type { NamedTensor } from '../../src/engine/tensor';
import { queueValidation } from '../../src/training/batches';
import type { TrainingData } from '../../src/training/types';

/** The Python with torch: LSTM_TEST_PYTHON, else Debian's /usr/bin/python3 (a pyenv python3 first on PATH may lack torch). */
export const PYTHON = process.env.LSTM_TEST_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** Why PYTHON cannot import torch (the reason and what to install), or null when it can. */
export function torchProblem(): string | null {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'pipe', timeout: 60_000 });
    return null;
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    const why = err.stderr?.toString().trim().split('\n').at(-1) ?? err.message;
    return `${PYTHON} cannot import torch (${why}); install python3-torch (Debian) or set LSTM_TEST_PYTHON`;
  }
}

/** The CPU engine's loss (its own definition: every step for an every-step head) over `data`'s training split. */
export async function engineTrainLoss(config: TrainConfig, tensors: NamedTensor[], data: TrainingData, prepare?: (engine: CpuEngine) => void): Promise<number> {
  const engine = new CpuEngine(config);
  try {
    prepare?.(engine);
    engine.writeParameters(tensors);
    engine.resetLosses();
    queueValidation(engine, { ...data, valX: data.trainX, valY: data.trainY, valCount: data.trainCount }, config);
    return (await engine.readLosses()).valLoss;
  } finally {
    engine.dispose();
  }
}
