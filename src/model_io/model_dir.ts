// Node-only reading and writing of a model folder (model.safetensors, model.json, model.onnx, scripts, metrics.json).
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModelFiles, type LoadedModel, type ModelFiles } from '../export/model_files';
import { WeightFileError } from '../export/safetensors';

/** The files `train --out DIR` writes, in the order they are written. */
export const RUN_FILES = ['model.safetensors', 'model.json', 'model.onnx', 'load_in_pytorch.py', 'train_pytorch.py', 'metrics.json'] as const;

const MAX_WEIGHT_BYTES = 1024 ** 3;

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'there is no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return (e as Error).message ?? String(e);
}

function readOrFail<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new WeightFileError(`Cannot read ${path}: ${describeFsError(e)}.`);
  }
}

/**
 * Reads DIR/model.safetensors and DIR/model.json and validates them together (loadModelFiles); every problem is a
 * WeightFileError naming the file and what is wrong.
 */
export function readModelDir(dir: string): LoadedModel {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    throw new WeightFileError(`Cannot read the model folder ${dir}: ${describeFsError(e)}.`);
  }
  if (!isDir) throw new WeightFileError(`${dir} is a file; name the folder that holds model.safetensors and model.json (the --out folder of \`train\`).`);
  const weightsPath = join(dir, 'model.safetensors');
  const manifestPath = join(dir, 'model.json');
  const size = readOrFail(weightsPath, () => statSync(weightsPath).size);
  if (size > MAX_WEIGHT_BYTES) throw new WeightFileError(`model.safetensors: the file is ${size} bytes, over the ${MAX_WEIGHT_BYTES}-byte limit.`);
  const manifestText = readOrFail(manifestPath, () => readFileSync(manifestPath, 'utf8'));
  const weights = readOrFail(weightsPath, () => new Uint8Array(readFileSync(weightsPath)));
  return loadModelFiles(weights, manifestText);
}

/** Creates DIR (and its parents) and writes the exported files and metrics.json into it; returns the paths written. */
export function writeModelDir(dir: string, files: ModelFiles, metricsJson: string): string[] {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new Error(`Cannot create the output folder ${dir}: ${describeFsError(e)}.`);
  }
  const contents: Record<(typeof RUN_FILES)[number], string | Uint8Array> = {
    'model.safetensors': files.safetensors,
    'model.json': files.json,
    'model.onnx': files.onnx,
    'load_in_pytorch.py': files.loadScript,
    'train_pytorch.py': files.trainScript,
    'metrics.json': metricsJson,
  };
  return RUN_FILES.map((name) => {
    const path = join(dir, name);
    try {
      writeFileSync(path, contents[name]);
    } catch (e) {
      throw new Error(`Cannot write ${path}: ${describeFsError(e)}.`);
    }
    return path;
  });
}
