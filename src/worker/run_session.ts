// What the worker needs of a training session: the WebGPU TrainingSession and the CPU reference session both fit it.
import type { TrainConfig } from '../engine/config';
import type { NamedTensor } from '../engine/tensor';
import type { DeviceContext, SessionResult, TrainingSnapshot } from '../training/types';

export interface RunSession {
  readonly config: TrainConfig;
  readonly deviceContext: DeviceContext | null;
  start(): Promise<SessionResult>;
  pause(): void;
  resume(): void;
  stepOnce(): void;
  stop(): void;
  simulateDeviceLoss(): boolean;
  snapshot(): TrainingSnapshot;
  exportParameters(): Promise<NamedTensor[]>;
  dispose(): Promise<void>;
}
