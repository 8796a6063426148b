import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { BtlError, type Skipped } from '../errors';
import { inRange, isLabelName, LABEL_NAMES, type LabelName } from '../labels';
import { DEFAULT_FEATURIZER, Featurizer, WordVectors, type FeaturizerConfig } from '../text';
import { loadTf } from './backend';
import { applyPlatt, calibrateLabel, IDENTITY, type Platt } from './calibrate';
import { dedupKey, readLabelled, type DataOptions, type LabelledData, type LabelledRow } from './data';
import { evaluate, labelledFor, metricsOrNull, MIN_ROWS_PER_CLASS, type Evaluation } from './evaluate';
import { zeroWeights } from './linear';
import { nbScale } from './nb';
import type { BinaryMetrics } from './metrics';
import { FORMAT_VERSION, Model, type Manifest, type SourceRecord } from './model';
import { readModel, readVectors, resolveModelDir, saveModel, sha256, VECTORS_FILE } from './store';
import { rng, shuffle, trainLinear, type EpochReport, type Examples } from './train-loop';

/** Every training option, with its default in TRAIN_DEFAULTS. Flag names are these field names. */
export interface TrainOptions {
  data: string[];
  out: string;
  /** Continue from this model: keeps its featuriser and starts from its weights. */
  from?: string;
  /** Earlier data to mix in when retraining (a replay sample; see replayRows). */
  replay?: string[];
  /** At most this many replay rows (sampled with the seed). */
  replayRows: number;
  /** Labelled files to report metrics on (before and after, when retraining). */
  eval?: string[];
  /** Pick thresholds as the lowest reaching this precision instead of best F1. */
  targetPrecision?: number;
  /**
   * Per label, the share of positives in the comments the model will score (say 0.05 for a
   * section where one comment in twenty is hostile). Calibration and thresholds are then those of
   * that share rather than of the held-out rows' (see `calibrateLabel`). A retrained model keeps its
   * starting model's unless given; null drops it (back to the held-out rows' share).
   */
  prevalence?: Partial<Record<LabelName, number | null>>;
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  patience: number;
  /** Scale each feature per label by the signed square root of its naive Bayes log-count ratio when training from scratch (see nbScale). */
  nb: boolean;
  /** Share of the training rows held out for early stopping, calibration and thresholds. */
  heldOut: number;
  seed: number;
  name: string;
  featurizer: FeaturizerConfig;
  /**
   * Word vectors for a new model: a `vectors.bin` file or a model folder holding one, the vectors
   * themselves, or null for none. By default the shipped model's, when it has them. A retrained
   * model keeps its starting model's.
   */
  vectors?: string | WordVectors | null;
  /** Length of each word-vector input: the mean and the element-wise maximum of a text's word vectors, each L2-normalised, times this. */
  vectorWeight: number;
  /** Balance classes within each source ('source') or over all rows ('global'). */
  balance: 'source' | 'global';
  /** Per-file weight multipliers, by file path: a small in-domain file can count more. */
  sourceWeights?: Record<string, number>;
  dataOptions?: DataOptions;
  onEpoch?: (e: EpochReport) => void;
  onBatch?: (done: number, total: number, epoch: number) => void;
  onSkip?: (s: Skipped) => void;
  signal?: AbortSignal;
}

export const TRAIN_DEFAULTS = {
  replayRows: 20000,
  epochs: 8,
  batchSize: 512,
  learningRate: 0.01,
  l2: 1e-3,
  patience: 2,
  nb: true,
  heldOut: 0.1,
  seed: 13,
  balance: 'global',
  name: 'btl',
  featurizer: DEFAULT_FEATURIZER,
  vectorWeight: 5,
} satisfies Partial<TrainOptions>;

/** Retraining defaults: gentler steps from a trained start. */
export const RETRAIN_DEFAULTS = { learningRate: 0.005, epochs: 6 };

export interface TrainResult {
  manifest: Manifest;
  dir: string;
  skipped: Skipped[];
  duplicates: number;
  history: EpochReport[];
  /** When retraining: the starting model's metrics on the same held-out rows (at its own thresholds). */
  heldOutBefore?: Evaluation;
  /** Per eval file: metrics of the starting model (when retraining) and of the new one. */
  evals: { file: string; before?: Evaluation; after: Evaluation }[];
}

function toExamples(f: Featurizer, rows: LabelledRow[], weight: (r: LabelledRow, l: number) => number): Examples {
  const L = LABEL_NAMES.length;
  const y = new Int8Array(rows.length * L);
  const w = new Float32Array(rows.length * L);
  rows.forEach((r, i) => {
    y.set(r.labels, i * L);
    for (let l = 0; l < L; l++) w[i * L + l] = r.labels[l] >= 0 ? weight(r, l) : 0;
  });
  return { x: rows.map((r) => f.vectorize(r.text)), y, w };
}

/**
 * The rows to train on and the ones held out for early stopping, calibration and thresholds. When
 * retraining with a replay sample, the held-out rows come from the fresh data only: the starting
 * model has learnt the replayed rows, so holding them out would judge each epoch (and the "before"
 * figures) mostly on what it already knew, and stop it before the fresh labels had moved it. Where
 * the fresh rows held out would have fewer than MIN_ROWS_PER_CLASS rows of a class of a label they
 * teach (too few to calibrate on and pick a threshold), rows are held out from all, as before.
 * `taught`: the labels this run recalibrates; with fresh held-out rows, a label the fresh rows do
 * not label is not among them and keeps the starting model's weights, calibration and threshold.
 */
function splitForTraining(
  rows: LabelledRow[],
  freshSources: number,
  usable: LabelName[],
  o: TrainOptions,
  retraining: boolean,
): { train: LabelledRow[]; held: LabelledRow[]; heldOutFrom: 'all' | 'fresh'; taught: LabelName[] } {
  const fresh = rows.filter((r) => r.source < freshSources);
  if (retraining && fresh.length < rows.length) {
    const split = holdOut(fresh, o.heldOut, o.seed);
    const count = (l: number, c: number) => split.held.reduce((n, r) => n + (r.labels[l] === c ? 1 : 0), 0);
    const both = (l: number) => count(l, 1) >= MIN_ROWS_PER_CLASS && count(l, 0) >= MIN_ROWS_PER_CLASS;
    const taught = LABEL_NAMES.map((label, l) => (usable.includes(label) && fresh.some((r) => r.labels[l] >= 0) ? l : -1)).filter((l) => l >= 0);
    if (taught.length && taught.every(both)) {
      const train = [...split.train, ...rows.filter((r) => r.source >= freshSources)];
      return { train, held: split.held, heldOutFrom: 'fresh', taught: taught.map((l) => LABEL_NAMES[l]) };
    }
  }
  return { ...holdOut(rows, o.heldOut, o.seed), heldOutFrom: 'all', taught: usable };
}

/** Hold out a share of rows, stratified by label pattern so rare positives land on both sides. */
function holdOut(rows: LabelledRow[], share: number, seed: number): { train: LabelledRow[]; held: LabelledRow[] } {
  const groups = new Map<string, LabelledRow[]>();
  for (const r of rows) {
    const k = Array.from(r.labels).join(',');
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  const rand = rng(seed ^ 0x5bd1e995);
  const train: LabelledRow[] = [];
  const held: LabelledRow[] = [];
  for (const k of [...groups.keys()].sort()) {
    const g = shuffle(groups.get(k)!.slice(), rand);
    const n = Math.round(g.length * share);
    held.push(...g.slice(0, n));
    train.push(...g.slice(n));
  }
  return { train, held };
}

/**
 * Loss weights per row and label. Classes are balanced within each source (n / (2 n_class) of that
 * source), so that no source's base rate, and no style that only one source has, reads as a sign
 * of the label: corpora differ a lot in their share of positives. Sources whose rows all carry one
 * class for a label fall back to the global balance. `sourceWeight` multiplies on top.
 */
function lossWeights(rows: LabelledRow[], sourceWeight: number[], balance: TrainOptions['balance']): (r: LabelledRow, l: number) => number {
  const L = LABEL_NAMES.length;
  const S = sourceWeight.length;
  const counts = new Float64Array(S * L * 2);
  const global = new Float64Array(L * 2);
  for (const r of rows) for (let l = 0; l < L; l++) if (r.labels[l] >= 0) {
    counts[(r.source * L + l) * 2 + r.labels[l]]++;
    global[l * 2 + r.labels[l]]++;
  }
  const bal = (neg: number, pos: number, c: number) => (neg && pos ? (neg + pos) / (2 * (c ? pos : neg)) : 1);
  return (r, l) => {
    const o = (r.source * L + l) * 2;
    const [neg, pos] = [counts[o], counts[o + 1]];
    const within = neg && pos && balance === 'source' ? bal(neg, pos, r.labels[l]) : bal(global[l * 2], global[l * 2 + 1], r.labels[l]);
    return within * (sourceWeight[r.source] ?? 1);
  };
}

async function sampleReplay(files: string[], limit: number, seed: number, opts: DataOptions): Promise<LabelledData> {
  const data = await readLabelled(files, opts);
  if (data.rows.length > limit) data.rows = shuffle(data.rows.slice(), rng(seed ^ 0x27d4eb2d)).slice(0, limit);
  return data;
}

/**
 * Train a model (or continue one with `from`), calibrate it on held-out rows, choose thresholds,
 * and write it atomically to `out`.
 */
export async function train(input: Partial<TrainOptions> & Pick<TrainOptions, 'data' | 'out'>): Promise<TrainResult> {
  const started = Date.now();
  const base = input.from ? await readModel(input.from) : null;
  const o: TrainOptions = { ...TRAIN_DEFAULTS, ...(base ? RETRAIN_DEFAULTS : {}), ...stripUndefined(input) } as TrainOptions;
  if (base && base.labels.join() !== LABEL_NAMES.join()) throw new BtlError('E_MODEL', `model labels ${base.labels.join(', ')} differ from ${LABEL_NAMES.join(', ')}`, { file: input.from });
  const dataOpts = { ...o.dataOptions, onSkip: o.onSkip };
  const data = await readLabelled(o.data, dataOpts);
  const replay = o.replay?.length ? await sampleReplay(o.replay, o.replayRows, o.seed, dataOpts) : null;
  // rows of sources below this index are the fresh data; the replay sample's come after
  const freshSources = data.sources.length;
  if (replay) {
    // a replayed comment that is also among the fresh ones is the fresh one (perhaps relabelled)
    const fresh = new Set(data.rows.map((r) => dedupKey(r.text)));
    for (const s of replay.sources) data.sources.push(s);
    for (const r of replay.rows) {
      if (fresh.has(dedupKey(r.text))) data.duplicates++;
      else data.rows.push({ ...r, source: r.source + freshSources });
    }
    data.skipped.push(...replay.skipped);
    data.duplicates += replay.duplicates;
  }
  if (data.rows.length === 0) {
    const where = Object.entries(o.dataOptions?.where ?? {}).map(([c, v]) => `${c}=${v}`);
    const why = where.length ? ` (no row has ${where.join(' and ')})` : ' (every row has empty label cells)';
    throw new BtlError('E_DATA', `no labelled rows to train on${why}`, { file: o.data.join(', ') });
  }
  const L = LABEL_NAMES.length;
  const usable = LABEL_NAMES.filter((_, l) => data.rows.some((r) => r.labels[l] === 1) && data.rows.some((r) => r.labels[l] === 0));
  if (!usable.length) throw new BtlError('E_DATA', 'every label has one class only (need both 1 and 0 for at least one label)', { file: o.data[0] });

  const { train: trainRows, held, heldOutFrom, taught: taughtLabels } = splitForTraining(data.rows, freshSources, usable, o, !!base);
  if (!base && o.vectors !== null && !(Number.isFinite(o.vectorWeight) && o.vectorWeight > 0)) {
    throw new BtlError('E_USAGE', `vectorWeight must be a number above 0, got ${o.vectorWeight}`);
  }
  const vectors = base ? base.featurizer.vectors : await chooseVectors(o.vectors);
  const featurizerConfig: FeaturizerConfig = base
    ? base.manifest.featurizer
    : { ...o.featurizer, vectors: vectors ? { words: vectors.size, dims: vectors.dims, weight: o.vectorWeight, sha256: sha256(vectors.encode()) } : undefined };
  const idf = base ? base.featurizer.idf : Featurizer.fitIdf(featurizerConfig, trainRows.map((r) => r.text));
  const featurizer = new Featurizer(featurizerConfig, idf, vectors);
  const weightsBySource = data.sources.map((s) => o.sourceWeights?.[s.file] ?? o.sourceWeights?.[path.basename(s.file)] ?? 1);
  const weigh = lossWeights(trainRows, weightsBySource, o.balance);
  const trainEx = toExamples(featurizer, trainRows, weigh);
  const heldEx = toExamples(featurizer, held, weigh);

  const { backend } = await loadTf();
  const init = base ? { W: base.weights.W.slice(), b: base.weights.b.slice(), labels: L } : zeroWeights(featurizer.inputs, L);
  const { weights, bestEpoch, history } = await trainLinear(init, trainEx, heldEx, {
    epochs: o.epochs,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    l2: o.l2,
    patience: o.patience,
    // a retrained model continues from its merged weights: its scales are not kept apart
    scale: o.nb && !base ? nbScale(trainEx, featurizerConfig.buckets, L, idf, undefined, undefined, featurizer.inputs) : undefined,
    seed: o.seed,
    onEpoch: o.onEpoch,
    onBatch: o.onBatch,
    signal: o.signal,
  });

  // a label this data does not teach (no rows, or one class only; or, with fresh held-out rows, no
  // fresh labels) keeps the starting model's weights (zero for a new model): the shared L2 step
  // would otherwise have worn them down
  LABEL_NAMES.forEach((label, l) => {
    if (taughtLabels.includes(label)) return;
    for (let i = l; i < weights.W.length; i += L) weights.W[i] = init.W[i];
    weights.b[l] = init.b[l];
  });

  // calibration and thresholds on the held-out rows
  const draft = new Model({ labels: [...LABEL_NAMES], featurizer: featurizerConfig } as Manifest, weights, idf, vectors);
  const calibration: Record<string, Platt> = {};
  const thresholds: Record<string, number> = {};
  const heldOut: Record<string, BinaryMetrics | null> = {};
  const logits = heldEx.x.map((x) => draft.logits(x));
  const basePrevalence = base ? checkPrevalence(base.manifest.training.options.prevalence ?? {}, input.from!) : {};
  const wanted = { ...basePrevalence, ...checkPrevalence(o.prevalence ?? {}) };
  // the shares the saved calibration is for: a label keeps its starting model's when this run
  // does not recalibrate it, and gets none when its held-out rows have one class only
  const prevalence: Partial<Record<LabelName, number>> = {};
  LABEL_NAMES.forEach((label, l) => {
    const { y, p: z } = labelledFor(held, logits, l);
    const taught = taughtLabels.includes(label);
    // an untaught label keeps the starting model's calibration and threshold; in a new model it
    // never flags (threshold 1 over zero weights, whose probability is 0.5)
    if (taught) {
      const c = calibrateLabel(y, z, wanted[label] ?? undefined, o.targetPrecision);
      calibration[label] = c.calibration;
      thresholds[label] = c.threshold;
      if (c.prevalence !== undefined) prevalence[label] = c.prevalence;
    } else {
      calibration[label] = base ? base.manifest.calibration[label] : IDENTITY;
      thresholds[label] = base ? base.manifest.thresholds[label] : 1;
      const kept = basePrevalence[label];
      if (kept != null) prevalence[label] = kept;
    }
    heldOut[label] = metricsOrNull(y, z.map((v) => applyPlatt(calibration[label], v)), thresholds[label]);
  });

  const sources: SourceRecord[] = data.sources.map((s, i) => ({ ...s, ...(i >= freshSources ? { replay: true } : {}) }));
  const manifest: Manifest = {
    format: 'btl-model',
    formatVersion: featurizerConfig.vectors ? FORMAT_VERSION : 1,
    name: o.name,
    created: new Date().toISOString(),
    labels: [...LABEL_NAMES],
    featurizer: featurizerConfig,
    weights: { file: 'weights.bin', bytes: 0, sha256: '' },
    calibration,
    thresholds,
    metrics: { heldOut },
    training: {
      sources,
      ...(base ? { from: { name: base.manifest.name, sha256: base.manifest.weights.sha256 } } : {}),
      options: {
        epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, l2: o.l2, patience: o.patience, nb: o.nb && !base,
        heldOut: o.heldOut, heldOutFrom, seed: o.seed, balance: o.balance, targetPrecision: o.targetPrecision ?? null,
        prevalence: Object.keys(prevalence).length ? prevalence : null, replayRows: o.replay?.length ? o.replayRows : null,
        sourceWeights: o.sourceWeights ?? null,
      },
      backend,
      epochs: history.length,
      bestEpoch: Object.fromEntries(LABEL_NAMES.map((l, i) => [l, bestEpoch[i]])),
      seconds: 0,
      rows: { train: trainRows.length, heldOut: held.length, duplicates: data.duplicates },
    },
  };
  const model = new Model(manifest, weights, idf, vectors);
  const evals: TrainResult['evals'] = [];
  for (const file of o.eval ?? []) {
    const rows = (await readLabelled([file], { ...dataOpts, keepDuplicates: true })).rows;
    evals.push({ file, ...(base ? { before: evaluate(base, rows) } : {}), after: evaluate(model, rows) });
  }
  if (evals.length) manifest.metrics.eval = Object.fromEntries(evals.map((e) => [e.file, e.after]));
  manifest.training.seconds = Math.round((Date.now() - started) / 100) / 10;
  const saved = await saveModel(o.out, model);
  const heldOutBefore = base ? evaluate(base, held) : undefined;
  return { manifest: saved, dir: path.resolve(o.out), skipped: data.skipped, duplicates: data.duplicates, history, evals, heldOutBefore };
}

/**
 * The word vectors a new model is trained with (see `TrainOptions.vectors`). Those of a model
 * folder (the shipped one by default) are checked against its manifest, as loading it would.
 */
async function chooseVectors(given: TrainOptions['vectors']): Promise<WordVectors | null> {
  if (given === null) return null;
  if (given instanceof WordVectors) return given;
  if (given !== undefined) return readVectors(given);
  const shipped = resolveModelDir();
  return existsSync(path.join(shipped, VECTORS_FILE)) ? readVectors(shipped) : null;
}

/**
 * `prevalence` as a label-to-share map with every share in (0, 1), or null (drop the share) in the
 * options given; E_USAGE, or E_MODEL for a starting model's manifest (`modelDir`), otherwise.
 */
function checkPrevalence(prevalence: unknown, modelDir?: string): Partial<Record<LabelName, number | null>> {
  const bad = (why: string) => (modelDir ? new BtlError('E_MODEL', `manifest.json: training.options.prevalence ${why}`, { file: modelDir }) : new BtlError('E_USAGE', `prevalence ${why}`));
  if (typeof prevalence !== 'object' || prevalence === null) throw bad('is not a map of label to share');
  for (const [label, share] of Object.entries(prevalence)) {
    if (!isLabelName(label)) throw bad(`names an unknown label '${label}'. Should be one of: ${LABEL_NAMES.join(', ')}`);
    if (share === null && !modelDir) continue;
    if (typeof share !== 'number' || !inRange(share, true)) throw bad(`for ${label} must be a number between 0 and 1 (exclusive), got ${JSON.stringify(share)}`);
  }
  return prevalence as Partial<Record<LabelName, number | null>>;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
