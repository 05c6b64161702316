// A typed packer per WGSL uniform struct: fields are set by name, and each packer's field list is checked against the
// struct declaration parsed from the shader source (order, names; types come from the WGSL), so reordering or renaming
// a struct field fails at load instead of silently shifting values (in the spirit of webgpu-utils' makeStructuredView).
import { SHADERS, type ShaderName } from './shader_sources';
import { wgslStruct, type WgslField } from './wgsl_source';

/** Padding fields (pad, pad0, pad1, …): left zero, not named by the packers. */
const isPad = (name: string) => /^pad\d*$/.test(name);

/** How a packer's field list differs from a WGSL struct's fields (empty when they agree). */
export function uniformMismatches(fields: readonly string[], wgsl: readonly WgslField[]): string[] {
  const declared = wgsl.filter((f) => !isPad(f.name));
  const problems: string[] = [];
  for (let i = 0; i < Math.max(fields.length, declared.length); i++) {
    if (fields[i] !== declared[i]?.name) problems.push(`field ${i}: ${declared[i]?.name ?? 'nothing'} in WGSL, ${fields[i] ?? 'nothing'} in the packer`);
  }
  for (const f of wgsl) if (f.type !== 'u32' && f.type !== 'f32') problems.push(`field ${f.name}: type ${f.type} is not packed (u32 and f32 only)`);
  return problems;
}

export class UniformPacker<F extends string> {
  /** Bytes of a packed struct: 4 per field, padded to 16. */
  readonly byteSize: number;
  private readonly layout: readonly WgslField[];

  readonly label: string;

  /** `fields`: the struct's fields in order, padding left out; `wgsl`: the struct as parsed from `shader`. */
  constructor(
    readonly shader: string,
    readonly struct: string,
    readonly fields: readonly F[],
    wgsl: readonly WgslField[],
  ) {
    this.label = `${shader} ${struct}`;
    const problems = uniformMismatches(fields, wgsl);
    if (problems.length > 0) throw new Error(`The packer of ${this.label} does not match its WGSL struct: ${problems.join('; ')}`);
    this.layout = wgsl;
    this.byteSize = Math.ceil(wgsl.length / 4) * 16;
  }

  pack(values: { readonly [K in F]: number }): ArrayBuffer {
    const buffer = new ArrayBuffer(this.byteSize);
    const view = new DataView(buffer);
    this.layout.forEach((f, i) => {
      if (isPad(f.name)) return;
      const v = values[f.name as F];
      if (f.type === 'f32') {
        view.setFloat32(i * 4, v, true);
      } else {
        if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`${this.label}.${f.name} out of u32 range: ${v}`);
        view.setUint32(i * 4, v, true);
      }
    });
    return buffer;
  }
}

function packer<const F extends string>(shader: ShaderName, struct: string, fields: readonly F[]): UniformPacker<F> {
  return new UniformPacker(shader, struct, fields, wgslStruct(SHADERS[shader], struct));
}

/** recurrent_common.wgsl's Dims, shared by the six recurrent kernels. */
export const RECURRENT_DIMS = packer('lstmForward', 'Dims', ['T', 'B', 'H', 'rowsPerGroup', 'whhOff', 'bihOff', 'bhhOff', 'reverse', 'foldI', 'wihOff']);
/** matmul_common.wgsl's Dims, shared by both matmul kernels. */
export const MATMUL_DIMS = packer('matmulTiled', 'Dims', ['M', 'N', 'K', 'flags', 'aOff', 'sam', 'sak', 'bOff', 'sbk', 'sbn', 'cOff', 'ldc', 'biasOff']);
export const COLUMN_SUM_DIMS = packer('columnSum', 'Dims', ['M', 'N', 'inOff', 'ld', 'outOff', 'outOff2', 'copies']);
export const CROSS_ENTROPY_DIMS = packer('crossEntropyLoss', 'Dims', ['R', 'mode', 'C']);
export const REGRESSION_DIMS = packer('regressionLoss', 'Dims', ['n', 'mode', 'kind']);
export const DROPOUT_DIMS = packer('dropout', 'Dims', ['n', 'inOff', 'outOff', 'salt', 'p', 'scale']);
export const DROPOUT_STEP = packer('dropout', 'Step', ['seed']);
export const EMBEDDING_FORWARD_DIMS = packer('embeddingForward', 'Dims', ['rows', 'E', 'embOff']);
export const EMBEDDING_BACKWARD_DIMS = packer('embeddingBackward', 'Dims', ['E', 'embOff']);
export const GRAD_NORM_DIMS = packer('gradNorm', 'Dims', ['n', 'maxNorm', 'groups']);
export const ADAM_HYPER = packer('adam', 'Hyper', [
  'n', 'stride', 'stepSize', 'beta1', 'beta2', 'eps', 'invSqrtBc2', 'oneMinusBeta1', 'oneMinusBeta2', 'lr', 'weightDecay', 'decoupled',
]);
export const SGD_HYPER = packer('sgd', 'Hyper', ['n', 'stride', 'lr', 'momentum', 'weightDecay', 'first']);

/** Every packer, for the test that checks them against the shaders. */
export const UNIFORM_PACKERS = [
  RECURRENT_DIMS, MATMUL_DIMS, COLUMN_SUM_DIMS, CROSS_ENTROPY_DIMS, REGRESSION_DIMS, DROPOUT_DIMS, DROPOUT_STEP,
  EMBEDDING_FORWARD_DIMS, EMBEDDING_BACKWARD_DIMS, GRAD_NORM_DIMS, ADAM_HYPER, SGD_HYPER,
] as const;
