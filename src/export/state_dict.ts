// Maps engine parameters to and from the PyTorch state_dict keys of the exported module (lstm./gru./rnn., embedding., head.).
import type { CellKind } from '../engine/config';
import { paramLayout, type ModelShape } from '../engine/param_layout';
import type { NamedTensor } from '../engine/tensor';

const RECURRENT_PARAM = /^(weight|bias)_(ih|hh)_l\d+(_reverse)?$/;

/** Attribute of the recurrent stack in the exported module: `lstm`, `gru` or `rnn`, named after the cell. */
export function stackAttribute(cell: CellKind): string {
  return cell;
}

/** Engine name → state_dict key: 'weight_ih_l0' → 'gru.weight_ih_l0'; embedding.weight and head.* stay. */
export function torchKey(name: string, cell: CellKind): string {
  if (RECURRENT_PARAM.test(name)) return `${stackAttribute(cell)}.${name}`;
  if (name === 'head.weight' || name === 'head.bias' || name === 'embedding.weight') return name;
  throw new Error(
    `Unknown parameter name ${JSON.stringify(name)}: expected a recurrent parameter such as "weight_ih_l0", "embedding.weight" or "head.weight" / "head.bias".`,
  );
}

/** state_dict key → engine name, or null when the key does not belong to a `cell` model of this export format. */
export function engineName(key: string, cell: CellKind): string | null {
  const prefix = `${stackAttribute(cell)}.`;
  if (key.startsWith(prefix) && RECURRENT_PARAM.test(key.slice(prefix.length))) return key.slice(prefix.length);
  if (key === 'head.weight' || key === 'head.bias' || key === 'embedding.weight') return key;
  return null;
}

/** The state_dict keys and shapes a model of this shape has, in state_dict order (embedding, stack, head). */
export function stateDictShapes(c: ModelShape): { key: string; name: string; shape: number[] }[] {
  const slots = paramLayout(c).slots;
  const key = (name: string) => torchKey(name, c.cell);
  const embedding = slots.filter((s) => s.name === 'embedding.weight');
  const stack = slots.filter((s) => RECURRENT_PARAM.test(s.name));
  const head = slots.filter((s) => s.name.startsWith('head.'));
  return [...embedding, ...stack, ...head].map((s) => ({ key: key(s.name), name: s.name, shape: s.shape.slice() }));
}

function describe(c: ModelShape): string {
  const dir = c.bidirectional ? 'bidirectional ' : '';
  const emb = c.vocabSize > 0 ? ` with a ${c.vocabSize}-token embedding` : '';
  return `${c.numLayers}-layer ${dir}${c.cell.toUpperCase()} (hiddenSize ${c.hiddenSize}, inputSize ${c.inputSize}, outputSize ${c.outputSize})${emb}`;
}

/**
 * Orders and renames engine tensors as the state_dict of the exported module, refusing missing, unexpected,
 * duplicate or mis-shaped parameters. The data arrays are shared, not copied.
 */
export function toStateDict(params: NamedTensor[], c: ModelShape): NamedTensor[] {
  const expected = stateDictShapes(c);
  const byName = new Map<string, NamedTensor>();
  for (const p of params) {
    if (byName.has(p.name)) throw new Error(`Parameter ${JSON.stringify(p.name)} appears twice.`);
    byName.set(p.name, p);
  }
  const known = new Set(expected.map((e) => e.name));
  const unexpected = params.filter((p) => !known.has(p.name)).map((p) => JSON.stringify(p.name));
  if (unexpected.length > 0) {
    throw new Error(`Unexpected parameter${unexpected.length === 1 ? '' : 's'} ${unexpected.join(', ')} for a ${describe(c)}.`);
  }
  return expected.map(({ key, name, shape }) => {
    const p = byName.get(name);
    if (!p) throw new Error(`Parameter ${JSON.stringify(name)} is missing; a ${describe(c)} needs it.`);
    if (p.shape.length !== shape.length || p.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`Parameter ${JSON.stringify(name)} has shape [${p.shape.join(', ')}] but a ${describe(c)} needs [${shape.join(', ')}].`);
    }
    const count = shape.reduce((a, b) => a * b, 1);
    if (p.data.length !== count) throw new Error(`Parameter ${JSON.stringify(name)} holds ${p.data.length} values but its shape needs ${count}.`);
    return { name: key, shape: shape.slice(), data: p.data };
  });
}
