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

/** Adam's constants (Kingma & Ba 2015; TensorFlow's defaults, its epsilon for float32). */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

/**
 * One batch as TensorFlow.js inputs: the distinct weight rows it touches (`rows`), and for each
 * feature occurrence its row among them (`local`), its value and its example (`seg`).
 */
interface Batch {
  rows: Int32Array;
  local: Int32Array;
  val: Float32Array;
  seg: Int32Array;
  y: Float32Array;
  w: Float32Array;
  size: number;
}

/** Builds batches, reusing a bucket-to-row map (stamped per batch) across them. */
class Batcher {
  private stamp: Int32Array;
  private place: Int32Array;
  private generation = 0;

  constructor(
    buckets: number,
    private readonly ex: Examples,
    private readonly L: number,
  ) {
    this.stamp = new Int32Array(buckets);
    this.place = new Int32Array(buckets);
  }

  build(order: number[]): Batch {
    const { ex, L } = this;
    const gen = ++this.generation;
    let nnz = 0;
    for (const r of order) nnz += ex.x[r].idx.length;
    const local = new Int32Array(nnz);
    const val = new Float32Array(nnz);
    const seg = new Int32Array(nnz);
    const distinct = new Int32Array(nnz);
    const y = new Float32Array(order.length * L);
    const w = new Float32Array(order.length * L);
    let k = 0;
    let u = 0;
    order.forEach((r, i) => {
      const x = ex.x[r];
      for (let j = 0; j < x.idx.length; j++, k++) {
        const bucket = x.idx[j];
        if (this.stamp[bucket] !== gen) {
          this.stamp[bucket] = gen;
          this.place[bucket] = u;
          distinct[u++] = bucket;
        }
        local[k] = this.place[bucket];
        val[k] = x.val[j];
        seg[k] = i;
      }
      for (let l = 0; l < L; l++) {
        const label = ex.y[r * L + l];
        y[i * L + l] = label > 0 ? 1 : 0;
        w[i * L + l] = label < 0 ? 0 : ex.w ? ex.w[r * L + l] : 1;
      }
    });
    return { rows: distinct.slice(0, u), local, val, seg, y, w, size: order.length };
  }
}

/**
 * Train the linear model with TensorFlow.js. Each batch gathers the weight rows it touches, scales
 * them by the feature values, sums them per document (unsortedSegmentSum), and takes one sigmoid
 * cross-entropy per label, masked where a row is not labelled and class-weighted, plus an L2
 * penalty on the touched rows. The gradient is taken with respect to those rows only, and Adam
 * updates only them (the "lazy" Adam of sparse embeddings: a row's moments move when its feature
 * occurs): a dense Adam step over the whole hashed table cost more than the rest of the step.
 * Starts from `init` (zeros for a new model, the old weights when retraining). Each label keeps the
 * weights of its best held-out epoch; training stops when no label has improved for `patience`
 * epochs.
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
  // in a tidy: a variable shares its initial tensor's data, which would otherwise outlive it
  const W = tf.tidy(() => tf.variable(tf.tensor2d(start, [buckets, L]), false, 'W'));
  const M = tf.tidy(() => tf.variable(tf.zeros([buckets, L]), false, 'M'));
  const V = tf.tidy(() => tf.variable(tf.zeros([buckets, L]), false, 'V'));
  let b: TF.Tensor = tf.keep(tf.tensor1d(init.b));
  let mb: TF.Tensor = tf.keep(tf.zeros([L]));
  let vb: TF.Tensor = tf.keep(tf.zeros([L]));
  const rand = rng(opts.seed);
  const order = Array.from({ length: train.x.length }, (_, i) => i);
  const history: EpochReport[] = [];
  const S = scale ? tf.tensor2d(scale, [buckets, L]) : null;
  const batcher = new Batcher(buckets, train, L);
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
  let step = 0;
  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const t0 = Date.now();
      shuffle(order, rand);
      let lossSum = 0;
      for (let bi = 0; bi < batches; bi++) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
        const batch = batcher.build(order.slice(bi * opts.batchSize, (bi + 1) * opts.batchSize));
        step++;
        // Adam's bias corrections folded into the step size
        const lr = (opts.learningRate * Math.sqrt(1 - BETA2 ** step)) / (1 - BETA1 ** step);
        const loss = tf.tidy((): TF.Scalar => {
          const tRows = tf.tensor1d(batch.rows, 'int32');
          const tLocal = tf.tensor1d(batch.local, 'int32');
          const tVal = tf.tensor2d(batch.val, [batch.local.length, 1]);
          const tSeg = tf.tensor1d(batch.seg, 'int32');
          const tY = tf.tensor2d(batch.y, [batch.size, L]);
          const tW = tf.tensor2d(batch.w, [batch.size, L]);
          const x = S ? tf.gather(tf.gather(S, tRows), tLocal).mul(tVal) : tVal;
          const f = (rows: TF.Tensor, bias: TF.Tensor): TF.Scalar => {
            const g = tf.gather(rows, tLocal);
            const logits = tf.unsortedSegmentSum(g.mul(x), tSeg, batch.size).add(bias);
            const ce = tf.losses.sigmoidCrossEntropy(tY, logits, tW, 0, tf.Reduction.SUM_BY_NONZERO_WEIGHTS);
            return ce.add(g.square().sum().mul(opts.l2 / batch.size)) as TF.Scalar;
          };
          const rows = tf.gather(W, tRows);
          const { value, grads } = tf.valueAndGrads(f as (...args: TF.Tensor[]) => TF.Scalar)([rows, b]);
          const [gRows, gBias] = grads;
          const at = tRows.expandDims(1);
          const m = tf.gather(M, tRows).mul(BETA1).add(gRows.mul(1 - BETA1));
          const v = tf.gather(V, tRows).mul(BETA2).add(gRows.square().mul(1 - BETA2));
          W.assign(tf.tensorScatterUpdate(W, at, rows.sub(m.div(v.sqrt().add(EPSILON)).mul(lr))));
          M.assign(tf.tensorScatterUpdate(M, at, m));
          V.assign(tf.tensorScatterUpdate(V, at, v));
          const m1 = mb.mul(BETA1).add(gBias.mul(1 - BETA1));
          const v1 = vb.mul(BETA2).add(gBias.square().mul(1 - BETA2));
          const b1 = b.sub(m1.div(v1.sqrt().add(EPSILON)).mul(lr));
          for (const t of [b, mb, vb]) t.dispose();
          [b, mb, vb] = [tf.keep(b1), tf.keep(m1), tf.keep(v1)];
          return value;
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
    for (const t of [W, M, V, b, mb, vb]) t.dispose();
    S?.dispose();
  }
  return { weights: best, bestEpoch, history };
}
