import { fnv1a, fnv1aRange } from './hash';
import { MENTION_TOKEN, URL_TOKEN, tokenize, type Token } from './tokenize';

/** How text becomes features. Saved in the model's manifest; a retrained model keeps it. */
export interface FeaturizerConfig {
  /** Number of hash buckets, a power of two. */
  buckets: number;
  /** Longest word n-gram (1 = words only, 2 = words and word pairs). */
  wordNgrams: number;
  /** Character n-grams of each word, padded with < and >, from charMin to charMax characters. */
  charMin: number;
  charMax: number;
  /** 1 + ln(count) instead of raw counts. */
  sublinearTf: boolean;
}

export const DEFAULT_FEATURIZER: FeaturizerConfig = {
  buckets: 1 << 20,
  wordNgrams: 2,
  charMin: 2,
  charMax: 5,
  sublinearTf: true,
};

/** A document as hashed features: bucket ids and their weights (a bucket may repeat). */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/** One feature occurrence and the token(s) it came from, for explaining a score. */
export interface Occurrence {
  id: number;
  /** Weight of this occurrence: the feature's value shared equally among its occurrences. */
  value: number;
  tokens: number[];
}

const SEED_WORD = 0x9e3779b1;
const SEED_PAIR = 0x85ebca77;
const SEED_CHAR = 0xc2b2ae3d;
/** Longer "words" (hashes, base64, spam) get character n-grams from their first characters only. */
const MAX_CHARGRAM_WORD = 40;

type Visit = (group: 0 | 1, id: number, tokA: number, tokB: number) => void;

/**
 * Word and character n-grams hashed into a fixed number of buckets, weighted by sublinear term
 * frequency times inverse document frequency, L2-normalised separately for words and characters
 * (as TF-IDF over a word vectoriser and a character vectoriser, concatenated).
 */
export class Featurizer {
  readonly config: FeaturizerConfig;
  /** Inverse document frequency per bucket, learnt from the training text; null until fitted. */
  idf: Float32Array | null;
  private readonly mask: number;
  private readonly counts: [Float32Array, Float32Array];
  private readonly touched: [number[], number[]];

  constructor(config: FeaturizerConfig = DEFAULT_FEATURIZER, idf: Float32Array | null = null) {
    if (!Number.isInteger(Math.log2(config.buckets))) throw new Error(`buckets must be a power of two, got ${config.buckets}`);
    if (idf && idf.length !== config.buckets) throw new Error(`idf has ${idf.length} entries for ${config.buckets} buckets`);
    this.config = config;
    this.idf = idf;
    this.mask = config.buckets - 1;
    this.counts = [new Float32Array(config.buckets), new Float32Array(config.buckets)];
    this.touched = [[], []];
  }

  /** Feed every n-gram of a token list to `visit` (group 0 = words, 1 = characters). */
  private walk(tokens: Token[], visit: Visit): void {
    const { wordNgrams, charMin, charMax } = this.config;
    const mask = this.mask;
    for (let i = 0; i < tokens.length; i++) {
      const w = tokens[i].text;
      visit(0, fnv1a(w, SEED_WORD) & mask, i, -1);
      if (wordNgrams >= 2 && i + 1 < tokens.length) visit(0, fnv1a(`${w} ${tokens[i + 1].text}`, SEED_PAIR) & mask, i, i + 1);
      if (w === URL_TOKEN || w === MENTION_TOKEN) continue;
      const s = `<${w.length > MAX_CHARGRAM_WORD ? w.slice(0, MAX_CHARGRAM_WORD) : w}>`;
      for (let n = charMin; n <= charMax; n++) {
        for (let p = 0; p + n <= s.length; p++) visit(1, fnv1aRange(s, p, p + n, SEED_CHAR) & mask, i, -1);
      }
    }
  }

  private count(tokens: Token[]): void {
    const { counts, touched } = this;
    this.walk(tokens, (g, id) => {
      if (counts[g][id] === 0) touched[g].push(id);
      counts[g][id] += 1;
    });
  }

  /** Turn the counts gathered by `count` into weights, and reset the scratch space. */
  private collect(): SparseVector {
    const { counts, touched, idf } = this;
    const n = touched[0].length + touched[1].length;
    const idx = new Int32Array(n);
    const val = new Float32Array(n);
    let k = 0;
    for (const g of [0, 1] as const) {
      const start = k;
      let norm = 0;
      for (const id of touched[g]) {
        const c = counts[g][id];
        let v = this.config.sublinearTf ? 1 + Math.log(c) : c;
        if (idf) v *= idf[id];
        idx[k] = id;
        val[k] = v;
        norm += v * v;
        counts[g][id] = 0;
        k++;
      }
      if (norm > 0) {
        const inv = 1 / Math.sqrt(norm);
        for (let j = start; j < k; j++) val[j] *= inv;
      }
      touched[g].length = 0;
    }
    return { idx, val };
  }

  vectorize(text: string): SparseVector {
    this.count(tokenize(text));
    return this.collect();
  }

  /** The features of `text`, each occurrence tied to the tokens it came from. */
  explain(text: string): { tokens: Token[]; occurrences: Occurrence[] } {
    const tokens = tokenize(text);
    this.count(tokens);
    const weights: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
    const counts: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
    for (const g of [0, 1] as const) for (const id of this.touched[g]) counts[g].set(id, this.counts[g][id]);
    const vec = this.collect();
    // collect() lays words out first, then characters
    const nWords = counts[0].size;
    for (let j = 0; j < vec.idx.length; j++) weights[j < nWords ? 0 : 1].set(vec.idx[j], vec.val[j]);
    const occurrences: Occurrence[] = [];
    this.walk(tokens, (g, id, a, b) => {
      const value = weights[g].get(id)! / counts[g].get(id)!;
      occurrences.push({ id, value, tokens: b < 0 ? [a] : [a, b] });
    });
    return { tokens, occurrences };
  }

  /** Learn inverse document frequencies (smoothed, as scikit-learn does) from training texts. */
  static fitIdf(config: FeaturizerConfig, texts: Iterable<string>): Float32Array {
    const f = new Featurizer(config);
    const df = new Uint32Array(config.buckets);
    let n = 0;
    for (const t of texts) {
      f.count(tokenize(t));
      const seen = new Set<number>([...f.touched[0], ...f.touched[1]]);
      for (const id of seen) df[id]++;
      f.collect();
      n++;
    }
    const idf = new Float32Array(config.buckets);
    for (let i = 0; i < idf.length; i++) idf[i] = Math.log((1 + n) / (1 + df[i])) + 1;
    return idf;
  }
}
