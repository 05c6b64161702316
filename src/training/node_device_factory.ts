// Node device factory for sessions (CLI, tests): a fresh Dawn adapter and device per call, SwiftShader when no GPU.
import { requestNodeDevice } from '../gpu/node_device';
import type { DeviceFactory } from './types';

export const nodeDeviceFactory: DeviceFactory = requestNodeDevice;
