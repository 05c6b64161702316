// Dataset fingerprint: SHA-256 over the data's names, counts and training arrays, so a checkpoint resumes only on its own data.
import type { TrainingData } from './types';

function bytesOf(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Hex SHA-256 of the names (JSON), counts and the four arrays' bytes. Same data and names give the same string. */
export async function datasetFingerprint(data: TrainingData): Promise<string> {
  const header = new TextEncoder().encode(
    JSON.stringify({
      names: data.names,
      trainCount: data.trainCount,
      valCount: data.valCount,
      lengths: [data.trainX.length, data.trainY.length, data.valX.length, data.valY.length],
    }),
  );
  const parts = [header, bytesOf(data.trainX), bytesOf(data.trainY), bytesOf(data.valX), bytesOf(data.valY)];
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  const digest = await globalThis.crypto.subtle.digest('SHA-256', all);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
