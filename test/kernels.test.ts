import type * as TF from '@tensorflow/tfjs';
import { loadTf } from '../src/model/backend';
import { gatherRowsInto } from '../src/model/kernels';

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
    await tf.setBackend(name);
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
  });
});
