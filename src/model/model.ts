import type { LabelName } from '../labels';
import { Featurizer, tokenize, type FeaturizerConfig, type SparseVector, type Token, type WordVectors } from '../text';
import { applyPlatt, type Platt } from './calibrate';
import { logitsInto, type LinearWeights } from './linear';
import type { BinaryMetrics } from './metrics';

/** The newest model format this btl reads and writes: 2 added word vectors (a model without them is still written as 1). */
export const FORMAT_VERSION = 2;

/** What a model folder's manifest.json holds. */
export interface Manifest {
  format: 'btl-model';
  formatVersion: number;
  name: string;
  created: string;
  labels: LabelName[];
  featurizer: FeaturizerConfig;
  /** Layout of weights.bin: float32 little-endian, W (inputs × labels: the buckets, then the word vectors' dimensions) then b (labels) then idf (buckets). */
  weights: { file: string; bytes: number; sha256: string };
  calibration: Record<string, Platt>;
  thresholds: Record<string, number>;
  /** Metrics on the held-out part of the training data, and on --eval files. */
  metrics: { heldOut: Record<string, BinaryMetrics | null>; eval?: Record<string, Record<string, BinaryMetrics | null>> };
  training: TrainingRecord;
}

export interface SourceRecord {
  file: string;
  sha256: string;
  rows: number;
  skipped: number;
  /** Per label: [negatives, positives] used. */
  labels: Record<string, [number, number]>;
  /** Set when the source was mixed in as a replay sample of earlier data. */
  replay?: boolean;
}

export interface TrainingRecord {
  sources: SourceRecord[];
  /** Model folder this one continued from, with its weights' sha256. */
  from?: { name: string; sha256: string };
  options: Record<string, unknown>;
  backend: string;
  epochs: number;
  /** Per label, the epoch whose weights it keeps. */
  bestEpoch: Record<string, number>;
  seconds: number;
  rows: { train: number; heldOut: number; duplicates: number };
}

/** A trained model in memory: featuriser, linear weights, calibration and thresholds per label. */
export class Model {
  readonly featurizer: Featurizer;
  private readonly out: Float64Array;
  /** IDF and weights side by side for scoring, built on first use (16 MB for the default model). */
  private table: { table: Float32Array; stride: number } | null = null;

  constructor(
    readonly manifest: Manifest,
    readonly weights: LinearWeights,
    idf: Float32Array | null,
    vectors: WordVectors | null = null,
  ) {
    this.featurizer = new Featurizer(manifest.featurizer, idf, vectors);
    this.out = new Float64Array(manifest.labels.length);
  }

  get labels(): LabelName[] {
    return this.manifest.labels;
  }

  /** Raw logits per label for a featurised text. */
  logits(x: SparseVector): Float64Array {
    logitsInto(this.weights, x, this.out);
    return this.out.slice();
  }

  /** Raw logits per label for a tokenised text: `logits(vectorizeTokens(tokens))` without building the vector (equal within float rounding, about 1e-8). */
  logitsOf(tokens: Token[]): Float64Array {
    const { table, stride } = this.scoringTable();
    return this.featurizer.project(tokens, table, stride, this.weights.b, this.out).slice();
  }

  /** Per bucket its IDF then its weight per label (`Featurizer.scoringTable`), built on first use. */
  scoringTable(): { table: Float32Array; stride: number } {
    return (this.table ??= this.featurizer.scoringTable(this.weights.W, this.weights.labels));
  }

  /** Calibrated probability per label (in `labels` order). */
  probabilities(text: string): number[] {
    const z = this.logitsOf(tokenize(text));
    return this.labels.map((l, i) => applyPlatt(this.manifest.calibration[l], z[i]));
  }
}
