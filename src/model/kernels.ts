/**
 * btl's own kernels and gradient for the two ops a hashed-feature linear model trains with,
 * `gather` and `unsortedSegmentSum`; registered by backend.ts only.
 *
 * UnsortedSegmentSum: tfjs's cpu kernel loops once per segment over the whole input, which is what
 * the gradient of `gather` calls with one segment per row of the weight table (minutes and
 * gigabytes per step on a hashed-feature table); the wasm backend has none at all. btl's adds each
 * input row into its segment once, on both backends.
 */
import type * as TF from '@tensorflow/tfjs';
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

/**
 * Rows of a table by index (`gather` along the first axis): `out[i] = x[indices[i]]`, rows of
 * `rowSize` values. An index outside the table is an error, as in TensorFlow.
 */
export function gatherRowsInto(
  x: ArrayLike<number>,
  rowSize: number,
  indices: ArrayLike<number>,
  rows: number,
  out: Float32Array | Int32Array,
): void {
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i];
    if (!(s >= 0 && s < rows)) throw new Error(`GatherV2: the index value ${s} is not in [0, ${rows - 1}]`);
    const r = s * rowSize;
    const o = i * rowSize;
    for (let j = 0; j < rowSize; j++) out[o + j] = x[r + j];
  }
}

const NAME = 'UnsortedSegmentSum';
const GATHER = 'GatherV2';

interface Args {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  attrs: { numSegments: number };
}

function geometry({ inputs, attrs }: Args): { rowSize: number; shape: number[] } {
  const { x, segmentIds } = inputs;
  const rest = x.shape.slice(segmentIds.shape.length);
  return { rowSize: rest.reduce((a, b) => a * b, 1), shape: [attrs.numSegments, ...rest] };
}

interface GatherArgs {
  inputs: { x: TensorInfo; indices: TensorInfo };
  attrs: { axis: number; batchDims: number };
}

/**
 * The wasm backend has no UnsortedSegmentSum at all (so `gather` has no gradient there); this
 * one works on the wasm heap directly. Its GatherV2 takes about 95 ms for 300,000 rows of a
 * two-column table (a check per index in JavaScript, then a strided copy of one value at a time),
 * a third of each training step; gathering whole rows on the heap takes a few ms. Other gathers
 * (another axis, batch dimensions) go to the wasm kernel as before.
 */
export function registerWasmKernels(tf: Tf): void {
  const wasmGather = tf.getKernel(GATHER, 'wasm');
  if (wasmGather && !(wasmGather.kernelFunc as { btl?: true }).btl) {
    tf.unregisterKernel(GATHER, 'wasm');
    const kernelFunc = Object.assign(
      (raw: Parameters<typeof wasmGather.kernelFunc>[0]) => {
        const args = raw as unknown as GatherArgs;
        const { x, indices } = args.inputs;
        const axis = args.attrs.axis < 0 ? args.attrs.axis + x.shape.length : args.attrs.axis;
        if (axis !== 0 || args.attrs.batchDims || indices.dtype !== 'int32' || !(x.dtype === 'float32' || x.dtype === 'int32')) return wasmGather.kernelFunc(raw);
        const backend = raw.backend as unknown as WasmBackend;
        const rowSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
        const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
        // views are taken after makeOutput: growing the heap detaches earlier ones
        gatherRowsInto(backend.typedArrayFromHeap(x), rowSize, backend.typedArrayFromHeap(indices), x.shape[0], backend.typedArrayFromHeap(out));
        return out as never;
      },
      { btl: true as const },
    );
    tf.registerKernel({ ...wasmGather, kernelFunc });
  }
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

/**
 * The gradient of UnsortedSegmentSum is a gather of the incoming gradient by segment id.
 * tfjs-core's version masks out negative ids with a broadcast logicalAnd that takes about 120 ms
 * for 162,000 ids on the wasm backend (a training batch; the rest of the step takes less); this one
 * gathers directly when every id is a segment, and masks with a multiply otherwise (ids outside the
 * segments take no gradient, as the forward pass dropped them).
 */
export function registerSparseGradients(tf: Tf): void {
  tf.registerGradient({
    kernelName: NAME,
    inputsToSave: ['segmentIds'],
    gradFunc: (dy, saved) => {
      const grad = dy as TF.Tensor;
      const [ids] = saved;
      const n = grad.shape[0];
      return {
        x: () => {
          const v = ids.dataSync();
          let inside = true;
          for (let i = 0; i < v.length && inside; i++) inside = v[i] >= 0 && v[i] < n;
          if (inside) return tf.gather(grad, ids);
          const keep = tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, n)).cast(grad.dtype);
          const shape = [...ids.shape, ...grad.shape.slice(1).map(() => 1)];
          const clipped = tf.minimum(tf.maximum(ids, tf.scalar(0, 'int32')), tf.scalar(n - 1, 'int32'));
          return tf.gather(grad, clipped).mul(keep.reshape(shape));
        },
      };
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
