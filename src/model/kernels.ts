/**
 * Linear-time UnsortedSegmentSum for tfjs's cpu backend. The built-in kernel loops once per
 * segment over the whole input, which is what the gradient of `gather` calls with one segment per
 * row of the weight table: minutes and gigabytes per step on a hashed-feature table; the wasm backend
 * has none at all. This one adds each input row into its segment once. Registered by backend.ts only.
 */
import type { Tf } from './backend';

interface TensorInfo {
  dataId: object;
  shape: number[];
  dtype: string;
}

interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array;
}

interface CpuBackend {
  data: { get(id: object): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array | Int32Array): TensorInfo;
}

export function unsortedSegmentSumInto(
  x: ArrayLike<number>,
  rowSize: number,
  segmentIds: ArrayLike<number>,
  numSegments: number,
  out: Float32Array | Int32Array,
): void {
  for (let i = 0; i < segmentIds.length; i++) {
    const s = segmentIds[i];
    if (s < 0 || s >= numSegments) continue; // as TensorFlow: ids out of range are dropped
    const o = s * rowSize;
    const r = i * rowSize;
    for (let j = 0; j < rowSize; j++) out[o + j] += x[r + j];
  }
}

const NAME = 'UnsortedSegmentSum';

interface Args {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  attrs: { numSegments: number };
}

function geometry({ inputs, attrs }: Args): { rowSize: number; shape: number[] } {
  const { x, segmentIds } = inputs;
  const rest = x.shape.slice(segmentIds.shape.length);
  return { rowSize: rest.reduce((a, b) => a * b, 1), shape: [attrs.numSegments, ...rest] };
}

/**
 * The wasm backend has no UnsortedSegmentSum at all (so `gather` has no gradient there); this
 * one works on the wasm heap directly.
 */
export function registerWasmKernels(tf: Tf): void {
  if (tf.getKernel(NAME, 'wasm')) tf.unregisterKernel(NAME, 'wasm');
  tf.registerKernel({
    kernelName: NAME,
    backendName: 'wasm',
    kernelFunc: (raw) => {
      const args = raw as unknown as Args;
      const backend = raw.backend as unknown as WasmBackend;
      const { rowSize, shape } = geometry(args);
      const out = backend.makeOutput(shape, args.inputs.x.dtype);
      // views are taken after makeOutput: growing the heap detaches earlier ones
      const o = backend.typedArrayFromHeap(out);
      o.fill(0);
      unsortedSegmentSumInto(backend.typedArrayFromHeap(args.inputs.x), rowSize, backend.typedArrayFromHeap(args.inputs.segmentIds), args.attrs.numSegments, o);
      return out as never;
    },
  });
}

export function registerSparseKernels(tf: Tf): void {
  const name = NAME;
  if (tf.getKernel(name, 'cpu')) tf.unregisterKernel(name, 'cpu');
  tf.registerKernel({
    kernelName: name,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const { inputs, attrs } = args as unknown as {
        inputs: { x: TensorInfo; segmentIds: TensorInfo };
        attrs: { numSegments: number };
      };
      const backend = args.backend as unknown as CpuBackend;
      const { x, segmentIds } = inputs;
      const rowSize = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
      const shape = [attrs.numSegments, ...x.shape.slice(segmentIds.shape.length)];
      const out = x.dtype === 'int32' ? new Int32Array(attrs.numSegments * rowSize) : new Float32Array(attrs.numSegments * rowSize);
      unsortedSegmentSumInto(backend.data.get(x.dataId).values, rowSize, backend.data.get(segmentIds.dataId).values, attrs.numSegments, out);
      return backend.makeTensorInfo(shape, x.dtype, out) as never;
    },
  });
}
