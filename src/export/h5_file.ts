// HDF5 bytes in and out through h5wasm (the HDF5 C library compiled to WebAssembly), loaded only when first needed.
import type { Dataset, Group } from 'h5wasm';

type H5 = typeof import('h5wasm').default;
type Fs = { writeFile(path: string, data: Uint8Array): void; readFile(path: string): Uint8Array; unlink(path: string): void };

let loading: Promise<{ h5: H5; fs: Fs }> | null = null;
let counter = 0;

/** The library, once: its ~4 MB (embedded wasm) loads on the first .keras export or import, not with the page. */
function library(): Promise<{ h5: H5; fs: Fs }> {
  loading ??= import('h5wasm').then(async (m) => {
    const h5 = m.default;
    const module = await h5.ready;
    return { h5, fs: module.FS as unknown as Fs };
  });
  return loading;
}

/** A float32 dataset to write: its path from the root (groups are created on the way) and C-order data. */
export interface H5Dataset {
  path: string;
  shape: number[];
  data: Float32Array;
}

/** Writes an HDF5 file holding these (empty) groups and float32 datasets; returns its bytes. */
export async function writeH5(groups: string[], datasets: H5Dataset[]): Promise<Uint8Array> {
  const { h5, fs } = await library();
  const name = `/lstm_playground_write_${++counter}.h5`;
  const file = new h5.File(name, 'w');
  try {
    const made = new Set<string>();
    const group = (path: string): Group => {
      const parts = path.split('/').filter(Boolean);
      let at = '';
      for (const p of parts) {
        at = at ? `${at}/${p}` : p;
        if (!made.has(at)) {
          file.create_group(at);
          made.add(at);
        }
      }
      return (at ? file.get(at) : file) as Group;
    };
    for (const g of groups) group(g);
    for (const d of datasets) {
      const slash = d.path.lastIndexOf('/');
      group(d.path.slice(0, Math.max(0, slash))).create_dataset({ name: d.path.slice(slash + 1), data: d.data, shape: d.shape, dtype: '<f' });
    }
  } finally {
    file.close();
  }
  try {
    return fs.readFile(name).slice();
  } finally {
    fs.unlink(name);
  }
}

/** A read-only view of an HDF5 file: the float data and shape at a path, or null when nothing is there. */
export interface H5Reader {
  /** data is null when the dataset does not hold floats (dtype says what it holds). */
  dataset(path: string): { shape: number[]; data: Float32Array | null; dtype: string } | null;
  /** Names of the members of a group (empty when it is not a group). */
  keys(path: string): string[];
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** The HDF5 superblock signature, at 0 or at 512, 1024, 2048, … (after a user block). */
function hasSignature(bytes: Uint8Array): boolean {
  for (let at = 0; at + SIGNATURE.length <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (SIGNATURE.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
}

/**
 * Opens HDF5 bytes, hands `use` a reader, and closes the file; throws Error('… not an HDF5 file …') on bytes the
 * library cannot open.
 */
export async function readH5<T>(bytes: Uint8Array, use: (r: H5Reader) => T): Promise<T> {
  if (!hasSignature(bytes)) throw new Error('it is not an HDF5 file (no HDF5 signature at its start or at a user-block offset)');
  const { h5, fs } = await library();
  const name = `/lstm_playground_read_${++counter}.h5`;
  fs.writeFile(name, bytes);
  let file;
  try {
    try {
      file = new h5.File(name, 'r');
    } catch (e) {
      throw new Error(`it is not an HDF5 file the library can open (${e instanceof Error ? e.message : String(e)})`);
    }
    const f = file;
    // Walks the path member by member, so a missing one is a null rather than an HDF5 error on the console.
    const entity = (path: string) => {
      let at: Group = f;
      const parts = path.split('/').filter(Boolean);
      for (const [i, p] of parts.entries()) {
        if (!at.keys().includes(p)) return null;
        let next;
        try {
          next = at.get(p);
        } catch {
          return null;
        }
        if (i === parts.length - 1) return next;
        if (!(next instanceof h5.Group)) return null;
        at = next;
      }
      return at;
    };
    return use({
      dataset(path) {
        const e = entity(path);
        if (!e || !(e instanceof h5.Dataset)) return null;
        const d = e as Dataset;
        const value = d.value;
        const shape = d.shape ?? [];
        const dtype = String(d.dtype);
        if (!(value instanceof Float32Array) && !(value instanceof Float64Array)) return { shape, data: null, dtype };
        return { shape, data: Float32Array.from(value), dtype };
      },
      keys(path) {
        const e = path ? entity(path) : f;
        return e && e instanceof h5.Group ? (e as Group).keys() : [];
      },
    });
  } finally {
    file?.close();
    fs.unlink(name);
  }
}
