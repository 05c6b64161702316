// A named float32 tensor: the unit of weight import and export.
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}
