import type * as TF from '@tensorflow/tfjs';
import type { SparseVector } from '../text';
import { loadTf } from './backend';
import { logitsInto, type LinearWeights } from './linear';
import { rocAuc } from './metrics';

/** Labelled examples as features. `y[i * L + l]` is 1, 0, or -1 for "not labelled". */
export interface Examples {
  x: SparseVector[];
  y: Int8Array;
  /** Loss weight per example and label (class balance, source weighting); 1 when absent. */
  w?: Float32Array;
}

export interface LoopOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** L2 penalty on the weights each step touches. */
  l2: number;
  /** Epochs without improvement on the held-out data before stopping. */
  patience: number;
  /**
   * A fixed scale per weight (buckets × labels, as W): the logit is Σ x · scale · W, the L2 penalty
   * is on W, and the weights returned are scale · W (see `nbScale`). None: every scale is 1.
   */
  scale?: Float32Array;
  seed: number;
  onEpoch?: (e: EpochReport) => void;
  onBatch?: (done: number, total: number, epoch: number) => void;
  signal?: AbortSignal;
}

export interface EpochReport {
  epoch: number;
  epochs: number;
  loss: number;
  /** Held-out ROC-AUC per label (NaN where the held-out data has one class). */
  heldOutAuc: number[];
  seconds: number;
}

/** A small, fast, seedable PRNG (mulberry32) so that a rerun on the same data gives the same model. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(a: T[], rand: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Held-out logits per label with the current weights, computed directly. */
export function heldOutAucs(w: LinearWeights, held: Examples): number[] {
  const L = w.labels;
  const out = new Float64Array(L);
  const ys: number[][] = Array.from({ length: L }, () => []);
  const ps: number[][] = Array.from({ length: L }, () => []);
  for (let i = 0; i < held.x.length; i++) {
    logitsInto(w, held.x[i], out);
    for (let l = 0; l < L; l++) {
      const y = held.y[i * L + l];
      if (y >= 0) {
        ys[l].push(y);
        ps[l].push(out[l]);
      }
    }
  }
  return ys.map((y, l) => rocAuc(y, ps[l]));
}

/**
 * Train the linear model with TensorFlow.js: a gather of the touched weight rows, scaled by the
 * feature values and summed per document (unsortedSegmentSum), one sigmoid cross-entropy per
 * label masked where a row is not labelled, class-weighted, Adam. Starts from `init` (zeros for a
 * new model, the old weights when retraining). Each label keeps the weights of its best held-out
 * epoch; training stops when no label has improved for `patience` epochs.
 */
export async function trainLinear(
  init: LinearWeights,
  train: Examples,
  held: Examples,
  opts: LoopOptions,
): Promise<{ weights: LinearWeights; bestEpoch: number[]; history: EpochReport[] }> {
  const { tf } = await loadTf();
  const L = init.labels;
  const buckets = init.W.length / L;
  const scale = opts.scale;
  // training runs on W = weights / scale
  const start = scale ? init.W.map((w, i) => (scale[i] !== 0 ? w / scale[i] : 0)) : init.W;
  const W = tf.variable(tf.tensor2d(start, [buckets, L]), true, 'W');
  const b = tf.variable(tf.tensor1d(init.b), true, 'b');
  const optimizer = tf.train.adam(opts.learningRate);
  const rand = rng(opts.seed);
  const order = Array.from({ length: train.x.length }, (_, i) => i);
  const history: EpochReport[] = [];
  const S = scale ? tf.tensor2d(scale, [buckets, L]) : null;
  // the weights as scoring uses them: scale · W
  const snapshot = (): LinearWeights => {
    const w = W.dataSync().slice() as Float32Array;
    if (scale) for (let i = 0; i < w.length; i++) w[i] *= scale[i];
    return { W: w, b: b.dataSync().slice() as Float32Array, labels: L };
  };
  // labels have separate weight columns, so each keeps the weights of its own best held-out epoch
  const best = snapshot();
  const bestScore = new Array<number>(L).fill(-Infinity);
  const bestEpoch = new Array<number>(L).fill(0);
  const batches = Math.ceil(order.length / opts.batchSize);
  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const t0 = Date.now();
      shuffle(order, rand);
      let lossSum = 0;
      for (let bi = 0; bi < batches; bi++) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
        const rows = order.slice(bi * opts.batchSize, (bi + 1) * opts.batchSize);
        let nnz = 0;
        for (const r of rows) nnz += train.x[r].idx.length;
        const idx = new Int32Array(nnz);
        const val = new Float32Array(nnz);
        const seg = new Int32Array(nnz);
        const yb = new Float32Array(rows.length * L);
        const wb = new Float32Array(rows.length * L);
        let k = 0;
        rows.forEach((r, i) => {
          const x = train.x[r];
          idx.set(x.idx, k);
          val.set(x.val, k);
          seg.fill(i, k, k + x.idx.length);
          k += x.idx.length;
          for (let l = 0; l < L; l++) {
            const y = train.y[r * L + l];
            yb[i * L + l] = y > 0 ? 1 : 0;
            wb[i * L + l] = y < 0 ? 0 : train.w ? train.w[r * L + l] : 1;
          }
        });
        const loss = tf.tidy((): TF.Scalar => {
          const tIdx = tf.tensor1d(idx, 'int32');
          const tVal = tf.tensor2d(val, [nnz, 1]);
          const tSeg = tf.tensor1d(seg, 'int32');
          const tY = tf.tensor2d(yb, [rows.length, L]);
          const tW = tf.tensor2d(wb, [rows.length, L]);
          const l = optimizer.minimize((): TF.Scalar => {
            const g = tf.gather(W, tIdx);
            const x = S ? tf.gather(S, tIdx).mul(tVal) : tVal;
            const logits = tf.unsortedSegmentSum(g.mul(x), tSeg, rows.length).add(b);
            const ce = tf.losses.sigmoidCrossEntropy(tY, logits, tW, 0, tf.Reduction.SUM_BY_NONZERO_WEIGHTS);
            return ce.add(g.square().sum().mul(opts.l2 / rows.length)) as TF.Scalar;
          }, true);
          return l ?? tf.scalar(0);
        });
        lossSum += (await loss.data())[0];
        loss.dispose();
        opts.onBatch?.(bi + 1, batches, epoch);
      }
      const current = snapshot();
      const aucs = heldOutAucs(current, held);
      const report: EpochReport = { epoch, epochs: opts.epochs, loss: lossSum / batches, heldOutAuc: aucs, seconds: (Date.now() - t0) / 1000 };
      history.push(report);
      opts.onEpoch?.(report);
      for (let l = 0; l < L; l++) {
        // a label without both classes held out is judged by the training loss
        const score = Number.isNaN(aucs[l]) ? -report.loss : aucs[l];
        if (score > bestScore[l] + 1e-5) {
          bestScore[l] = score;
          bestEpoch[l] = epoch;
          for (let i = l; i < current.W.length; i += L) best.W[i] = current.W[i];
          best.b[l] = current.b[l];
        }
      }
      if (bestEpoch.every((e) => epoch - e >= opts.patience)) break;
    }
  } finally {
    W.dispose();
    b.dispose();
    S?.dispose();
    optimizer.dispose();
  }
  return { weights: best, bestEpoch, history };
}
