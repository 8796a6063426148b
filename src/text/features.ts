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
  /** Buckets seen in fewer training documents than this get no weight (their IDF is 0). */
  minDf?: number;
}

export const DEFAULT_FEATURIZER: FeaturizerConfig = {
  buckets: 1 << 20,
  wordNgrams: 2,
  charMin: 2,
  charMax: 5,
  sublinearTf: true,
  minDf: 5,
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
/** Words whose features are kept between texts (about 100 bytes each). */
const WORD_CACHE = 50_000;

/** Scratch space for one text's feature occurrences, in the order they are generated. */
interface FeatureBuffer {
  n: number;
  id: Int32Array;
  group: Uint8Array;
  /** The token a feature came from, and the second token of a word pair (-1 otherwise). */
  a: Int32Array;
  b: Int32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 32;
const LT = 60;
const GT = 62;

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
  /** Per group, the buckets of the current text in first-seen order, and their counts. */
  private readonly touched: [number[], number[]];
  private readonly tally: [number[], number[]];
  /**
   * Where each (group, bucket) of the current text sits in `touched`: a small open-addressing
   * table on group + 2 × bucket (cache-friendly, unlike an array over every bucket).
   */
  private keys = new Int32Array(1024).fill(-1);
  private place = new Int32Array(1024);
  private shift = 32 - 10;
  private readonly used: number[] = [];
  private buf: FeatureBuffer = { n: 0, id: new Int32Array(1024), group: new Uint8Array(1024), a: new Int32Array(1024), b: new Int32Array(1024) };
  /** Hashes of the padded word's prefixes from each position, (charMax + 1) per position. */
  private prefix: Int32Array;
  private readonly words = new Map<string, Int32Array>();
  /** The tokens of the last `vectorizeTokens` call, its result and its number of word features, while the buffer still holds their features. */
  private last: { tokens: Token[]; vec: SparseVector; nWords: number } | null = null;

  constructor(config: FeaturizerConfig = DEFAULT_FEATURIZER, idf: Float32Array | null = null) {
    if (!Number.isInteger(Math.log2(config.buckets))) throw new Error(`buckets must be a power of two, got ${config.buckets}`);
    if (idf && idf.length !== config.buckets) throw new Error(`idf has ${idf.length} entries for ${config.buckets} buckets`);
    this.config = config;
    this.idf = idf;
    this.mask = config.buckets - 1;
    this.touched = [[], []];
    this.tally = [[], []];
    this.prefix = new Int32Array((MAX_CHARGRAM_WORD + 2) * (config.charMax + 1));
  }

  /**
   * What a word contributes wherever it occurs: [its word bucket, the FNV state of a word pair
   * after this word (and the space), then its character n-gram buckets in order]. Words repeat from
   * comment to comment, so these are kept (a bounded cache, emptied when full).
   */
  private wordEntry(w: string): Int32Array {
    const hit = this.words.get(w);
    if (hit) return hit;
    const { charMin, charMax } = this.config;
    const mask = this.mask;
    const prefix = this.prefix;
    const stride = charMax + 1;
    const chars = w === URL_TOKEN || w === MENTION_TOKEN;
    // the word padded with < and >: "<" + its first MAX_CHARGRAM_WORD code units + ">"
    const len = Math.min(w.length, MAX_CHARGRAM_WORD) + 2;
    let nChars = 0;
    if (!chars) for (let n = charMin; n <= charMax; n++) nChars += Math.max(0, len - n + 1);
    const e = new Int32Array(2 + nChars);
    let h = (FNV_OFFSET ^ SEED_WORD) >>> 0;
    for (let j = 0; j < w.length; j++) h = Math.imul(h ^ w.charCodeAt(j), FNV_PRIME);
    e[0] = h & mask;
    h = (FNV_OFFSET ^ SEED_PAIR) >>> 0;
    for (let j = 0; j < w.length; j++) h = Math.imul(h ^ w.charCodeAt(j), FNV_PRIME);
    e[1] = Math.imul(h ^ SPACE, FNV_PRIME);
    if (!chars) {
      for (let p = 0; p < len; p++) {
        let x = (FNV_OFFSET ^ SEED_CHAR) >>> 0;
        const o = p * stride;
        for (let n = 1; n <= charMax && p + n <= len; n++) {
          const q = p + n - 1;
          x = Math.imul(x ^ (q === 0 ? LT : q === len - 1 ? GT : w.charCodeAt(q - 1)), FNV_PRIME);
          prefix[o + n] = x;
        }
      }
      let k = 2;
      for (let n = charMin; n <= charMax; n++) for (let p = 0; p + n <= len; p++) e[k++] = prefix[p * stride + n] & mask;
    }
    if (this.words.size >= WORD_CACHE) this.words.clear();
    // a copy of the key: a token may be a slice of a much longer text, which the cache would pin
    this.words.set(w.length < 13 ? w : (' ' + w).slice(1), e);
    return e;
  }

  /**
   * Every n-gram of a token list into the feature buffer (group 0 = words, 1 = characters), in a
   * fixed order: per token its word, its pair with the next word, then its character n-grams by
   * length and position. FNV-1a computed in place: no substrings are built.
   */
  private features(tokens: Token[]): FeatureBuffer {
    const pairs = this.config.wordNgrams >= 2;
    const mask = this.mask;
    this.buf.n = 0;
    this.last = null;
    for (let i = 0; i < tokens.length; i++) {
      const e = this.wordEntry(tokens[i].text);
      let f = this.buf;
      if (f.n + e.length > f.id.length) {
        let size = f.id.length * 2;
        while (f.n + e.length > size) size *= 2;
        const grow = <T extends Int32Array | Uint8Array>(x: T, y: T): T => (y.set(x), y);
        f = this.buf = { n: f.n, id: grow(f.id, new Int32Array(size)), group: grow(f.group, new Uint8Array(size)), a: grow(f.a, new Int32Array(size)), b: grow(f.b, new Int32Array(size)) };
      }
      const { id, group, a, b } = f;
      let k = f.n;
      id[k] = e[0];
      group[k] = 0;
      a[k] = i;
      b[k++] = -1;
      if (pairs && i + 1 < tokens.length) {
        const v = tokens[i + 1].text;
        let h = e[1];
        for (let j = 0; j < v.length; j++) h = Math.imul(h ^ v.charCodeAt(j), FNV_PRIME);
        id[k] = h & mask;
        group[k] = 0;
        a[k] = i;
        b[k++] = i + 1;
      }
      for (let c = 2; c < e.length; c++) {
        id[k] = e[c];
        group[k] = 1;
        a[k] = i;
        b[k++] = -1;
      }
      f.n = k;
    }
    return this.buf;
  }

  /** The table slot of a key, or the empty slot where it goes. */
  private slot(key: number): number {
    const { keys } = this;
    const m = keys.length - 1;
    let s = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (keys[s] !== -1 && keys[s] !== key) s = (s + 1) & m;
    return s;
  }

  /** Index of (group, bucket) among the current text's features (collect()'s layout: words, then characters). */
  private indexOf(group: number, id: number, nWords: number): number {
    const p = this.place[this.slot(id * 2 + group)];
    return group === 0 ? p : nWords + p;
  }

  private count(tokens: Token[]): FeatureBuffer {
    const f = this.features(tokens);
    const { touched, tally, used } = this;
    for (const s of used) this.keys[s] = -1;
    used.length = 0;
    if (f.n * 2 > this.keys.length) {
      let size = this.keys.length;
      while (f.n * 2 > size) size *= 2;
      this.keys = new Int32Array(size).fill(-1);
      this.place = new Int32Array(size);
      this.shift = 32 - Math.log2(size);
    }
    const { keys, place } = this;
    const { id, group } = f;
    for (let k = 0; k < f.n; k++) {
      const g = group[k];
      const key = id[k] * 2 + g;
      const s = this.slot(key);
      if (keys[s] === -1) {
        keys[s] = key;
        place[s] = touched[g].length;
        touched[g].push(id[k]);
        tally[g].push(1);
        used.push(s);
      } else tally[g][place[s]] += 1;
    }
    return f;
  }

  /** Turn the counts gathered by `count` into weights, and reset the lists (the table stays until the next count). */
  private collect(): SparseVector {
    const { touched, tally, idf } = this;
    const sublinear = this.config.sublinearTf;
    const n = touched[0].length + touched[1].length;
    const idx = new Int32Array(n);
    const val = new Float32Array(n);
    let k = 0;
    for (let g = 0; g < 2; g++) {
      const start = k;
      let norm = 0;
      const ids = touched[g];
      const cs = tally[g];
      for (let t = 0; t < ids.length; t++) {
        const id = ids[t];
        const c = cs[t];
        let v = sublinear ? 1 + Math.log(c) : c;
        if (idf) v *= idf[id];
        idx[k] = id;
        val[k] = v;
        norm += v * v;
        k++;
      }
      if (norm > 0) {
        const inv = 1 / Math.sqrt(norm);
        for (let j = start; j < k; j++) val[j] *= inv;
      }
      ids.length = 0;
      cs.length = 0;
    }
    return { idx, val };
  }

  vectorize(text: string): SparseVector {
    return this.vectorizeTokens(tokenize(text));
  }

  /** `vectorize` of an already tokenised text. */
  vectorizeTokens(tokens: Token[]): SparseVector {
    this.count(tokens);
    const nWords = this.touched[0].length;
    const vec = this.collect();
    this.last = { tokens, vec, nWords };
    return vec;
  }

  /** The features of `text`, each occurrence tied to the tokens it came from. */
  explain(text: string): { tokens: Token[]; occurrences: Occurrence[] } {
    const tokens = tokenize(text);
    const o = this.occurrences(tokens);
    const occurrences: Occurrence[] = [];
    for (let k = 0; k < o.n; k++) occurrences.push({ id: o.id[k], value: o.value[k], tokens: o.b[k] < 0 ? [o.a[k]] : [o.a[k], o.b[k]] });
    return { tokens, occurrences };
  }

  /**
   * Every feature occurrence of a tokenised text as parallel arrays (valid until the next call):
   * bucket id, value (the feature's weight shared equally among its occurrences), the token it came
   * from and, for a word pair, the second token (else -1).
   */
  occurrences(tokens: Token[]): { n: number; id: Int32Array; value: Float64Array; a: Int32Array; b: Int32Array } {
    let f: FeatureBuffer;
    let vec: SparseVector;
    let nWords: number;
    if (this.last?.tokens === tokens) {
      // just vectorised: its features are still in the buffer
      f = this.buf;
      ({ vec, nWords } = this.last);
    } else {
      f = this.count(tokens);
      nWords = this.touched[0].length;
      vec = this.collect();
    }
    // the table still places each feature of this text (collect() lays words out first)
    const place = new Int32Array(f.n);
    const cnt = new Float64Array(vec.idx.length);
    for (let q = 0; q < f.n; q++) cnt[(place[q] = this.indexOf(f.group[q], f.id[q], nWords))]++;
    const value = new Float64Array(f.n);
    for (let q = 0; q < f.n; q++) value[q] = vec.val[place[q]] / cnt[place[q]];
    return { n: f.n, id: f.id, value, a: f.a, b: f.b };
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
    const minDf = config.minDf ?? 1;
    for (let i = 0; i < idf.length; i++) idf[i] = df[i] >= minDf ? Math.log((1 + n) / (1 + df[i])) + 1 : 0;
    return idf;
  }
}
