// Small typed helpers over onnx-proto (protobufjs) for building ONNX graphs: tensors, nodes, attributes, value infos.
import onnxProto from 'onnx-proto';

// onnx-proto is CommonJS (`module.exports = { onnx }`); its default import is that object in Node, Vite and the browser.
export const onnx = onnxProto.onnx;
export type IModelProto = import('onnx-proto').onnx.IModelProto;
export type INodeProto = import('onnx-proto').onnx.INodeProto;
export type ITensorProto = import('onnx-proto').onnx.ITensorProto;
export type IValueInfoProto = import('onnx-proto').onnx.IValueInfoProto;
export type IAttributeProto = import('onnx-proto').onnx.IAttributeProto;
/** Decoded messages (onnx.ModelProto.decode) have every repeated field present. */
export type GraphProto = import('onnx-proto').onnx.GraphProto;
export type NodeProto = import('onnx-proto').onnx.NodeProto;

const FLOAT = 1;
const INT64 = 7;

export function floatTensor(name: string, dims: number[], data: Float32Array): ITensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new Error(`ONNX tensor ${name} has ${data.length} values but dims [${dims.join(', ')}] need ${count}.`);
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  return { name, dims, dataType: FLOAT, rawData: raw };
}

export function int64Tensor(name: string, dims: number[], data: number[]): ITensorProto {
  const raw = new Uint8Array(data.length * 8);
  const view = new DataView(raw.buffer);
  data.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
  return { name, dims, dataType: INT64, rawData: raw };
}

type AttrValue = number | string | number[];

/** Attributes by value: integer → INT, other number → FLOAT, string → STRING, number[] → INTS. */
export function attributes(attrs: Record<string, AttrValue>): IAttributeProto[] {
  const T = onnx.AttributeProto.AttributeType;
  return Object.entries(attrs).map(([name, v]) => {
    if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
    return Number.isInteger(v) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
  });
}

export function stringsAttribute(name: string, values: string[]): IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.STRINGS, strings: values.map((v) => new TextEncoder().encode(v)) };
}

/** A tensor value info; a string dimension is symbolic (dim_param), a number fixed (dim_value). */
export function valueInfo(name: string, elem: 'float' | 'int64', dims: (number | string)[]): IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elem === 'float' ? FLOAT : INT64,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

/** Accumulates nodes and initializers with unique names. */
export class GraphBuilder {
  readonly nodes: INodeProto[] = [];
  readonly initializers: ITensorProto[] = [];
  private counter = 0;

  fresh(base: string): string {
    this.counter += 1;
    return `${base}_${this.counter}`;
  }

  constFloat(base: string, dims: number[], data: Float32Array): string {
    const name = this.fresh(base);
    this.initializers.push(floatTensor(name, dims, data));
    return name;
  }

  constInt64(base: string, dims: number[], data: number[]): string {
    const name = this.fresh(base);
    this.initializers.push(int64Tensor(name, dims, data));
    return name;
  }

  /** Adds a node and returns its first output's name (`output` forces that name). */
  node(opType: string, inputs: string[], attrs: IAttributeProto[] = [], output?: string): string {
    const out = output ?? this.fresh(opType.toLowerCase());
    this.nodes.push({ opType, input: inputs, output: [out], name: this.fresh(`${opType}_node`), attribute: attrs });
    return out;
  }

  encode(model: IModelProto): Uint8Array {
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }
}
