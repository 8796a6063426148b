import type * as TF from '@tensorflow/tfjs';
import { loadTf } from '../src/model/backend';
import { gatherRowsInto } from '../src/model/kernels';
import { trainLinear } from '../src/model/train-loop';

test('gatherRowsInto copies whole rows by index and refuses an index outside the table', () => {
  const table = Float32Array.from([0, 1, 10, 11, 20, 21]); // three rows of two
  const out = new Float32Array(8);
  gatherRowsInto(table, 2, [2, 0, 2, 1], 3, out);
  expect(Array.from(out)).toEqual([20, 21, 0, 1, 20, 21, 10, 11]);
  expect(() => gatherRowsInto(table, 2, [1, 3], 3, out)).toThrow(/index value 3 is not in \[0, 2\]/);
  expect(() => gatherRowsInto(table, 2, [-1], 3, out)).toThrow(/index value -1/);
});

describe.each(['wasm', 'cpu'])('on the %s backend', (name) => {
  beforeAll(async () => {
    const { tf } = await loadTf();
    expect(await tf.setBackend(name)).toBe(true);
  });
  afterAll(async () => {
    const { tf, backend } = await loadTf();
    await tf.setBackend(backend);
  });

  test('gather along the first axis and along another give the rows and columns asked for', async () => {
    const { tf } = await loadTf();
    const [rows, cols, ints] = tf.tidy(() => {
      const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
      return [
        tf.gather(x, tf.tensor1d([2, 2, 0], 'int32')).arraySync(),
        tf.gather(x, tf.tensor1d([1], 'int32'), 1).arraySync(),
        tf.gather(tf.tensor2d([7, 8, 9, 10], [2, 2], 'int32'), tf.tensor1d([1, 0], 'int32')).arraySync(),
      ];
    });
    expect(rows).toEqual([[5, 6], [5, 6], [1, 2]]);
    expect(cols).toEqual([[2], [4], [6]]);
    expect(ints).toEqual([[9, 10], [7, 8]]);
    const nested = tf.tidy(() => tf.gather(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 0, 1], [2, 2], 'int32')).arraySync());
    expect(nested).toEqual([[[3, 4], [1, 2]], [[1, 2], [3, 4]]]);
    if (name === 'wasm') {
      // btl's kernel is the one registered, and it refuses an index outside the table
      expect((tf.getKernel('GatherV2', 'wasm')?.kernelFunc as { btl?: boolean }).btl).toBe(true);
      expect(() => tf.tidy(() => tf.gather(tf.tensor2d([1, 2], [1, 2]), tf.tensor1d([1], 'int32')))).toThrow(/index value 1/);
    }
  });

  test('the gradient of unsortedSegmentSum gives each input row its segment gradient, and none to ids outside', async () => {
    const { tf } = await loadTf();
    const x = tf.tensor2d([1, 1, 2, 2, 3, 3, 4, 4], [4, 2]);
    const weights = tf.tensor2d([1, 10, 2, 20, 3, 30], [3, 2]); // d(sum(out * weights)) / d(out) = weights
    const loss = (ids: number[]) => (v: TF.Tensor) => tf.unsortedSegmentSum(v, tf.tensor1d(ids, 'int32'), 3).mul(weights).sum();
    const inside = tf.grad(loss([2, 0, 0, 1]))(x).arraySync();
    expect(inside).toEqual([[3, 30], [1, 10], [1, 10], [2, 20]]);
    const outside = tf.grad(loss([2, -1, 3, 1]))(x).arraySync();
    expect(outside).toEqual([[3, 30], [0, 0], [0, 0], [2, 20]]);
    // ids of rank 2: the mask takes their shape
    const ids2 = tf.tensor2d([2, -1, 0, 3], [2, 2], 'int32');
    const grid = tf.grad((v: TF.Tensor) => tf.unsortedSegmentSum(v, ids2 as unknown as TF.Tensor1D, 3).mul(weights).sum())(tf.ones([2, 2, 2])).arraySync();
    expect(grid).toEqual([[[3, 30], [0, 0]], [[1, 10], [0, 0]]]);
  });

  test('Adam is lazy: a weight row moves only in the steps whose batch touches it, and nothing is left allocated', async () => {
    const { tf } = await loadTf();
    const before = tf.memory().numTensors;
    // two examples with no feature in common, one per batch, one label
    const x = [
      { idx: Int32Array.from([1, 4]), val: Float32Array.from([0.6, 0.8]) },
      { idx: Int32Array.from([2]), val: Float32Array.from([1]) },
    ];
    const lr = 0.1;
    const { weights } = await trainLinear({ W: new Float32Array(6), b: new Float32Array(1), labels: 1 }, { x, y: Int8Array.from([1, 0]) }, { x, y: Int8Array.from([1, 0]) }, {
      epochs: 1, batchSize: 1, learningRate: lr, l2: 0, patience: 1, seed: 5,
    });
    expect(tf.memory().numTensors).toBe(before);
    // a row's first Adam step, taken at global step t from zero moments, moves it against its
    // gradient g by lr·√(1-β2^t)/(1-β1^t)·(1-β1)·|g|/(√(1-β2)·|g|+ε) ≈ lr·√(1-β2^t)/(1-β1^t)·(1-β1)/√(1-β2)
    const moved = (t: number) => (lr * Math.sqrt(1 - 0.999 ** t) * 0.1) / (1 - 0.9 ** t) / Math.sqrt(0.001);
    const up = [weights.W[1], weights.W[4]];
    const down = weights.W[2];
    expect(weights.W[0]).toBe(0);
    expect(weights.W[3]).toBe(0);
    expect(weights.W[5]).toBe(0);
    // one example's rows moved at step 1 and the other's at step 2, each exactly once (a dense
    // Adam would move the first rows again at step 2, on their momentum)
    expect(up[0]).toBeGreaterThan(0);
    expect(up[1]).toBeCloseTo(up[0], 6);
    expect(down).toBeLessThan(0);
    const sizes = [Math.abs(up[0]), Math.abs(down)].sort((a, b) => a - b);
    expect(sizes[0]).toBeCloseTo(moved(2), 5); // about 0.0744
    expect(sizes[1]).toBeCloseTo(moved(1), 5); // about lr
  });
});
