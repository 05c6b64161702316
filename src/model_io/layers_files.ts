// Node-only writing of the Keras-family exports of a run: DIR/tfjs/model.json + its weights file and DIR/model.keras,
// each skipped with a one-line note (the reason) when the format cannot hold the model.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportLayersFiles } from '../export/model_files';
import type { ModelManifest } from '../export/manifest';
import { TFJS_WEIGHTS_FILE } from '../export/tfjs_export';
import type { NamedTensor } from '../engine/tensor';

/** Writes what it can; never throws for a refused or failed format (the weights are already saved by then). */
export async function writeLayersFiles(dir: string, manifest: ModelManifest, params: NamedTensor[]): Promise<{ written: string[]; notes: string[] }> {
  const written: string[] = [];
  const notes: string[] = [];
  let files;
  try {
    files = await exportLayersFiles(manifest, params);
  } catch (e) {
    return { written, notes: [`skipped tfjs/ and model.keras: ${e instanceof Error ? e.message : String(e)}`] };
  }
  const write = (path: string, data: string | Uint8Array, what: string) => {
    try {
      writeFileSync(path, data);
      written.push(path);
    } catch (e) {
      notes.push(`could not write ${what} (${path}): ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    return { written, notes: [`skipped tfjs/ and model.keras: cannot create ${dir} (${e instanceof Error ? e.message : String(e)})`] };
  }
  if ('refused' in files.tfjs) notes.push(`skipped tfjs/ (TF.js): ${files.tfjs.refused}.`);
  else {
    const tfjsDir = join(dir, 'tfjs');
    try {
      mkdirSync(tfjsDir, { recursive: true });
      write(join(tfjsDir, 'model.json'), files.tfjs.files.json, 'the TF.js model');
      write(join(tfjsDir, TFJS_WEIGHTS_FILE), files.tfjs.files.weights, 'the TF.js weights');
    } catch (e) {
      notes.push(`could not create ${tfjsDir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if ('refused' in files.keras) notes.push(`skipped model.keras (Keras): ${files.keras.refused}.`);
  else write(join(dir, 'model.keras'), files.keras.bytes, 'the Keras model');
  return { written, notes };
}
