import { MENTION_TOKEN, URL_TOKEN, tokenize, type Token } from './tokenize';
import type { WordVectors } from './vectors';

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
  /**
   * Pre-trained word vectors (a model folder's `vectors.bin`, whose sha256 this records): the mean
   * of a text's word vectors and their element-wise maximum, each L2-normalised and times
   * `weight`, join the n-grams as 2 × `dims` more inputs after the buckets.
   */
  vectors?: { words: number; dims: number; weight: number; sha256: string };
}

export const DEFAULT_FEATURIZER: FeaturizerConfig = {
  buckets: 1 << 20,
  wordNgrams: 2,
  charMin: 2,
  charMax: 5,
  sublinearTf: true,
  minDf: 5,
};

/** Inputs of a linear layer over a featuriser with these settings: the buckets, then the mean and the maximum of the word vectors. */
export function inputsOf(config: FeaturizerConfig): number {
  return config.buckets + (config.vectors ? 2 * config.vectors.dims : 0);
}

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
/** Table slots kept however short the next text is (4 MB); a longer text's table is let go after it. */
const KEEP_SLOTS = 1 << 18;
/** Words whose features are kept between texts, by default. */
const WORD_CACHE = 200_000;

/**
 * One text's feature occurrences, in the order they are generated: per token its word, its pair
 * with the next token (when word pairs are on and a next token exists), then its character n-grams.
 */
export interface FeatureBuffer {
  n: number;
  /** Which of the text's distinct features each occurrence is (an index into `Distinct`). */
  p: Int32Array;
  /** Where each token's occurrences start (one entry per token, and one for the end). */
  start: Int32Array;
  /** Whether each token's second occurrence is its pair with the next token (all but the last token's, then). */
  pairs: boolean;
}

/** The distinct (group, bucket) features of one text in first-seen order, their counts and weights. */
export interface Distinct {
  n: number;
  id: Int32Array;
  group: Uint8Array;
  count: Float64Array;
  /** TF-IDF weight, L2-normalised per group once `weigh` has run (`project` leaves it before normalising). */
  value: Float64Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 32;
const LT = 60;
const GT = 62;

/**
 * The word cache's index: word -> number, open addressing on the word's FNV-1a hash (which the
 * featuriser needs anyway). A `Map` hashes each lookup's string afresh in the engine, and tokens
 * are fresh strings; this was about twice as fast on the corpora's tokens.
 */
class WordIndex {
  size = 0;
  private keys: (string | undefined)[] = new Array<string | undefined>(1024).fill(undefined);
  /** Per slot: the word's hash, and its value. */
  private meta = new Int32Array(2 * 1024);
  private shift = Math.clz32(1023);

  /** The value stored for `w`, whose hash is `h`; -1 when it is not stored. */
  get(w: string, h: number): number {
    const { keys, meta } = this;
    const m = keys.length - 1;
    for (let s = Math.imul(h, 0x9e3779b1) >>> this.shift; ; s = (s + 1) & m) {
      const k = keys[s];
      if (k === undefined) return -1;
      if (meta[2 * s] === h && k === w) return meta[2 * s + 1];
    }
  }

  /** Store `value` for `w` (not stored yet), whose hash is `h`. */
  add(w: string, h: number, value: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.rehash(2 * this.keys.length);
    const { keys, meta } = this;
    const m = keys.length - 1;
    let s = Math.imul(h, 0x9e3779b1) >>> this.shift;
    while (keys[s] !== undefined) s = (s + 1) & m;
    keys[s] = w;
    meta[2 * s] = h;
    meta[2 * s + 1] = value;
    this.size++;
  }

  /** Forget every word; an index grown past a million slots (by one huge text) is let go. */
  clear(): void {
    if (this.keys.length > 1 << 20) {
      this.keys = new Array<string | undefined>(1024).fill(undefined);
      this.meta = new Int32Array(2 * 1024);
      this.shift = Math.clz32(1023);
    } else this.keys.fill(undefined);
    this.size = 0;
  }

  private rehash(slots: number): void {
    const { keys, meta } = this;
    this.keys = new Array<string | undefined>(slots).fill(undefined);
    this.meta = new Int32Array(2 * slots);
    this.shift = Math.clz32(slots - 1);
    this.size = 0;
    for (let s = 0; s < keys.length; s++) if (keys[s] !== undefined) this.add(keys[s]!, meta[2 * s], meta[2 * s + 1]);
  }
}

/**
 * Word and character n-grams hashed into a fixed number of buckets, weighted by sublinear term
 * frequency times inverse document frequency, L2-normalised separately for words and characters
 * (as TF-IDF over a word vectoriser and a character vectoriser, concatenated).
 */
export class Featurizer {
  readonly config: FeaturizerConfig;
  /** Inverse document frequency per bucket, learnt from the training text; null until fitted. */
  readonly idf: Float32Array | null;
  private readonly mask: number;
  private distinct: Distinct = { n: 0, id: new Int32Array(1024), group: new Uint8Array(1024), count: new Float64Array(1024), value: new Float64Array(1024) };
  /**
   * Where each (group, bucket) of the current text sits in `distinct`: a small open-addressing
   * table on group + 2 × bucket, each slot [stamp, key, place, unused] side by side (one cache
   * line holds four). A slot is taken for the current text when its stamp is the text's generation
   * number. Each text uses only the first slots it needs (twice its feature occurrences, rounded
   * up to a power of two), so a short text's table stays in the fastest cache whatever a long one
   * grew it to.
   */
  private slots = new Int32Array(4 * 1024).fill(-1);
  private gen = 0;
  /** Per token of the current text, where its word's entry starts in `pool`. */
  private entries = new Int32Array(256);
  private buf: FeatureBuffer = { n: 0, p: new Int32Array(1024), start: new Int32Array(256), pairs: false };
  /** Hashes of the padded word's prefixes from each position, (charMax + 1) per position. */
  private prefix: Int32Array;
  /** The cached words' entries back to back, each [its length, then the entry]; `words` maps a word to where its entry starts. */
  private pool = new Int32Array(1 << 16);
  private poolEnd = 0;
  private readonly words = new WordIndex();
  /** The tokens whose features and weights the buffers hold, until the next text. */
  private last: Token[] | null = null;
  /** Whether `distinct.value` holds the weights of `last`'s features, and the buffer its occurrences. */
  private weighed = false;
  private kept = false;
  /** Whether `distinct.value` holds the weights before normalising, and `inv0`, `inv1` the norms' inverses (as `project` leaves them). */
  private valued = false;
  private inv0 = 0;
  private inv1 = 0;
  private sums = new Float64Array(0);
  /** The word vectors, when the settings have them. */
  readonly vectors: WordVectors | null;
  /** Inputs after the buckets: twice the word vectors' dimensions, for their mean and their maximum (0 without vectors). */
  readonly dims: number;
  /** The current text's word-vector inputs before scaling: the sum of its words' vectors, then their element-wise maximum. */
  private readonly dense: Float64Array;
  private readonly argmax: Int32Array;
  /** The tokens `argmax` was found for. */
  private argmaxFor: Token[] | null = null;
  private denseScale = 0;
  private maxScale = 0;

  /**
   * @param wordCache how many words' features are kept between texts (about 100 bytes each; the
   *   200,000 default holds the vocabulary of the benchmark's 43,000 comments with room to spare)
   */
  constructor(
    config: FeaturizerConfig = DEFAULT_FEATURIZER,
    idf: Float32Array | null = null,
    vectors: WordVectors | null = null,
    private readonly wordCache = WORD_CACHE,
  ) {
    if (!Number.isInteger(Math.log2(config.buckets))) throw new Error(`buckets must be a power of two, got ${config.buckets}`);
    if (idf && idf.length !== config.buckets) throw new Error(`idf has ${idf.length} entries for ${config.buckets} buckets`);
    const want = config.vectors;
    if (!want !== !vectors) throw new Error(want ? 'the featuriser settings name word vectors, and none were given' : 'word vectors were given to a featuriser whose settings have none');
    if (want && vectors && (want.dims !== vectors.dims || want.words !== vectors.size)) {
      throw new Error(`the featuriser settings name ${want.words} word vectors of ${want.dims} dimensions; the ones given have ${vectors.size} of ${vectors.dims}`);
    }
    this.config = config;
    this.idf = idf;
    this.vectors = vectors;
    this.dims = vectors ? 2 * vectors.dims : 0;
    this.dense = new Float64Array(this.dims);
    this.argmax = new Int32Array(this.dims / 2);
    this.mask = config.buckets - 1;
    this.prefix = new Int32Array((MAX_CHARGRAM_WORD + 2) * (config.charMax + 1));
  }

  /**
   * What a word contributes wherever it occurs: [its word bucket, the FNV state of a word pair
   * after this word (and the space), then its character n-gram buckets in order], as the offset in
   * `pool` where it starts (after its two word-vector rows, -1 where none, and its length). Words repeat from comment to comment, so these are
   * kept (a bounded cache, emptied when full): one flat array, so that a hit costs a map lookup and
   * reads of neighbouring memory.
   */
  private wordEntry(w: string): number {
    let h = FNV_OFFSET ^ SEED_WORD;
    for (let j = 0; j < w.length; j++) h = Math.imul(h ^ w.charCodeAt(j), FNV_PRIME);
    const hit = this.words.get(w, h);
    if (hit >= 0) return hit;
    const { charMin, charMax } = this.config;
    const mask = this.mask;
    const prefix = this.prefix;
    const stride = charMax + 1;
    const chars = w !== URL_TOKEN && w !== MENTION_TOKEN;
    // the word padded with < and >: "<" + its first MAX_CHARGRAM_WORD code units + ">"
    const len = Math.min(w.length, MAX_CHARGRAM_WORD) + 2;
    let nChars = 0;
    if (chars) for (let n = charMin; n <= charMax; n++) nChars += Math.max(0, len - n + 1);
    // two word-vector rows, the length, the word, the pair state, the character n-grams
    const size = 5 + nChars;
    if (this.poolEnd + size > this.pool.length) {
      const grown = new Int32Array(Math.max(2 * this.pool.length, this.poolEnd + size));
      grown.set(this.pool.subarray(0, this.poolEnd));
      this.pool = grown;
    }
    const e = this.pool;
    const at = this.poolEnd + 3;
    if (this.vectors && chars) this.vectors.rows(w, e, at - 3);
    else e[at - 3] = e[at - 2] = -1;
    e[at - 1] = size - 3;
    this.poolEnd += size;
    e[at] = h & mask;
    const hw = h;
    h = (FNV_OFFSET ^ SEED_PAIR) >>> 0;
    for (let j = 0; j < w.length; j++) h = Math.imul(h ^ w.charCodeAt(j), FNV_PRIME);
    e[at + 1] = Math.imul(h ^ SPACE, FNV_PRIME);
    if (chars) {
      for (let p = 0; p < len; p++) {
        let x = (FNV_OFFSET ^ SEED_CHAR) >>> 0;
        const o = p * stride;
        for (let n = 1; n <= charMax && p + n <= len; n++) {
          const q = p + n - 1;
          x = Math.imul(x ^ (q === 0 ? LT : q === len - 1 ? GT : w.charCodeAt(q - 1)), FNV_PRIME);
          prefix[o + n] = x;
        }
      }
      let k = at + 2;
      for (let n = charMin; n <= charMax; n++) for (let p = 0; p + n <= len; p++) e[k++] = prefix[p * stride + n] & mask;
    }
    // a copy of the key: a token may be a slice of a much longer text, which the cache would pin
    this.words.add(w.length < 13 ? w : (' ' + w).slice(1), hw, at);
    return at;
  }

  /**
   * Count a text's distinct features (group 0 = words, 1 = characters) into `distinct`, in the
   * order first seen: per token its word, its pair with the next word, then its character n-grams
   * by length and position (FNV-1a computed in place: no substrings are built). With `keep`, every
   * occurrence also goes into the feature buffer, tied to its token(s) and distinct feature.
   */
  private count(tokens: Token[], keep: boolean): void {
    const pairs = this.config.wordNgrams >= 2;
    const mask = this.mask;
    // emptied between texts only: the offsets of this text's words must hold until it is counted
    if (this.words.size + tokens.length > this.wordCache) {
      this.words.clear();
      this.poolEnd = 0;
      // a pool grown past 32 MB (by one huge text's words) is let go too
      if (this.pool.length > 1 << 23) this.pool = new Int32Array(1 << 16);
    }
    if (this.entries.length < tokens.length) this.entries = new Int32Array(2 * tokens.length);
    const entries = this.entries;
    let total = 0;
    for (let i = 0; i < tokens.length; i++) {
      const at = this.wordEntry(tokens[i].text);
      entries[i] = at;
      total += this.pool[at - 1];
    }
    this.reserve(total);
    if (this.gen === 0x7fffffff) this.slots.fill((this.gen = -1));
    const gen = ++this.gen;
    let f = this.buf;
    if (keep && (total > f.p.length || tokens.length >= f.start.length)) {
      f = this.buf = { n: 0, p: new Int32Array(Math.max(total, 2 * f.p.length)), start: new Int32Array(Math.max(2 * tokens.length + 2, f.start.length)), pairs };
    }
    f.pairs = pairs;
    // the table insert inlined, on locals: this loop is most of the time scoring takes
    const slots = this.slots;
    const size = Math.max(64, 1 << (32 - Math.clz32(2 * total - 1)));
    const m = size - 1;
    const shift = Math.clz32(m);
    const d = this.distinct;
    const dId = d.id;
    const dGroup = d.group;
    const dCount = d.count;
    let n = 0;
    let k = 0;
    const pool = this.pool;
    for (let i = 0; i < tokens.length; i++) {
      const at = entries[i];
      const end = at + pool[at - 1];
      if (keep) f.start[i] = k;
      let pair = -1;
      if (pairs && i + 1 < tokens.length) {
        const v = tokens[i + 1].text;
        let h = pool[at + 1];
        for (let j = 0; j < v.length; j++) h = Math.imul(h ^ v.charCodeAt(j), FNV_PRIME);
        pair = h & mask;
      }
      // the word, then the pair's bucket in place of the pair's FNV state, then the character n-grams
      for (let c = at; c < end; c++) {
        const id = c === at + 1 ? pair : pool[c];
        if (id < 0) continue;
        const g = c < at + 2 ? 0 : 1;
        const key = id * 2 + g;
        let s = (Math.imul(key, 0x9e3779b1) >>> shift) << 2;
        while (slots[s] === gen && slots[s + 1] !== key) s = (s + 4) & (4 * m);
        let p: number;
        if (slots[s] === gen) dCount[(p = slots[s + 2])] += 1;
        else {
          slots[s] = gen;
          slots[s + 1] = key;
          slots[s + 2] = p = n++;
          dId[p] = id;
          dGroup[p] = g;
          dCount[p] = 1;
        }
        if (keep) f.p[k++] = p;
      }
    }
    d.n = n;
    if (this.vectors) this.sumVectors(tokens.length);
    if (keep) f.start[tokens.length] = k;
    f.n = k;
    this.last = tokens;
    this.kept = keep;
    this.weighed = false;
    this.valued = false;
  }

  /**
   * The word-vector inputs of the text just counted: the sum of its tokens' rows (scaled by
   * `denseScale` to `weight` long), then their element-wise maximum (scaled by `maxScale` likewise).
   */
  private sumVectors(nTokens: number): void {
    const { dense, entries, pool } = this;
    const vd = this.dims / 2;
    const { q, unit } = this.vectors!;
    this.argmaxFor = null;
    dense.fill(0, 0, vd);
    dense.fill(-Infinity, vd);
    let found = false;
    for (let i = 0; i < nTokens; i++) {
      for (let j = entries[i] - 3; j < entries[i] - 1; j++) {
        const r = pool[j];
        if (r < 0) continue;
        found = true;
        const o = r * vd;
        const u = unit[r];
        for (let k = 0; k < vd; k++) {
          const v = q[o + k] * u;
          dense[k] += v;
          if (v > dense[vd + k]) dense[vd + k] = v;
        }
      }
    }
    if (!found) {
      dense.fill(0);
      this.denseScale = this.maxScale = 0;
      return;
    }
    let norm = 0;
    let normMax = 0;
    for (let k = 0; k < vd; k++) {
      norm += dense[k] * dense[k];
      normMax += dense[vd + k] * dense[vd + k];
    }
    const weight = this.config.vectors!.weight;
    this.denseScale = norm > 0 ? weight / Math.sqrt(norm) : 0;
    this.maxScale = normMax > 0 ? weight / Math.sqrt(normMax) : 0;
  }

  /** The word-vector input `k` of the text just counted. */
  private vectorInput(k: number): number {
    return this.dense[k] * (k < this.dims / 2 ? this.denseScale : this.maxScale);
  }

  /** `out[l] += Σ_k input_k · table[(buckets + k) · stride + 1 + l]` over the word-vector inputs of the text just counted. */
  private addVectors(table: Float32Array, stride: number, out: Float64Array, L: number): void {
    if (this.denseScale === 0 && this.maxScale === 0) return;
    const { dense } = this;
    const vd = this.dims / 2;
    const base = this.config.buckets * stride + 1;
    for (let l = 0; l < L; l++) {
      let zMean = 0;
      let zMax = 0;
      for (let k = 0; k < vd; k++) {
        zMean += dense[k] * table[base + k * stride + l];
        zMax += dense[vd + k] * table[base + (vd + k) * stride + l];
      }
      out[l] += zMean * this.denseScale + zMax * this.maxScale;
    }
  }

  /**
   * What token `t` of the text just counted (by `features` or `project`) adds through the
   * word-vector inputs to output `l` of `table` (as `scoringTable` lays it out): its rows' share of
   * the sum, and the maxima it holds. These add up to the inputs' whole contribution.
   */
  vectorPush(t: number, table: Float32Array, stride: number, l: number): number {
    if (this.denseScale === 0 && this.maxScale === 0) return 0;
    const { entries, pool } = this;
    const vd = this.dims / 2;
    const { q, unit } = this.vectors!;
    const base = this.config.buckets * stride + 1 + l;
    let z = 0;
    for (let j = entries[t] - 3; j < entries[t] - 1; j++) {
      const r = pool[j];
      if (r < 0) continue;
      for (let k = 0; k < vd; k++) z += q[r * vd + k] * unit[r] * table[base + k * stride];
    }
    z *= this.denseScale;
    const argmax = this.argmaxOf();
    for (let k = 0; k < vd; k++) if (argmax[k] === t) z += this.vectorInput(vd + k) * table[base + (vd + k) * stride];
    return z;
  }

  /** Per word-vector dimension, the first token of the text just counted holding its maximum (found when first asked: scoring never needs it). */
  private argmaxOf(): Int32Array {
    const { argmax, dense, entries, pool } = this;
    if (this.argmaxFor === this.last) return argmax;
    const vd = this.dims / 2;
    const { q, unit } = this.vectors!;
    argmax.fill(-1);
    for (let i = 0; i < (this.last?.length ?? 0); i++) {
      for (let j = entries[i] - 3; j < entries[i] - 1; j++) {
        const r = pool[j];
        if (r < 0) continue;
        for (let k = 0; k < vd; k++) if (argmax[k] < 0 && q[r * vd + k] * unit[r] === dense[vd + k]) argmax[k] = i;
      }
    }
    this.argmaxFor = this.last;
    return argmax;
  }

  /** Inputs of a linear layer over this featuriser's vectors: the buckets, then the word vectors' dimensions. */
  get inputs(): number {
    return inputsOf(this.config);
  }

  /**
   * Room in the table and the distinct lists for `n` feature occurrences. They grow as texts need,
   * and shrink back after a very long text (a million-character comment takes hundreds of MB).
   */
  private reserve(n: number): void {
    const slots = this.slots.length / 4;
    if (n * 2 <= slots && (slots <= KEEP_SLOTS || n * 2 * 16 > slots)) return;
    let size = 1024;
    while (n * 2 > size) size *= 2;
    this.slots = new Int32Array(4 * size).fill(this.gen);
    // a text has at most n distinct features
    const d = size / 2;
    this.distinct = { n: 0, id: new Int32Array(d), group: new Uint8Array(d), count: new Float64Array(d), value: new Float64Array(d) };
  }

  /** The TF-IDF weights of the counted features, L2-normalised per group (words, characters). */
  private weigh(): Distinct {
    const d = this.distinct;
    if (!this.valued) {
      const { idf } = this;
      const sublinear = this.config.sublinearTf;
      let norm0 = 0;
      let norm1 = 0;
      for (let t = 0; t < d.n; t++) {
        const c = d.count[t];
        let v = sublinear && c > 1 ? 1 + Math.log(c) : c;
        if (idf) v *= idf[d.id[t]];
        // held at float32 precision before normalising, as the models were trained
        d.value[t] = Math.fround(v);
        if (d.group[t] === 0) norm0 += v * v;
        else norm1 += v * v;
      }
      this.norms(norm0, norm1);
    }
    const { inv0, inv1 } = this;
    for (let t = 0; t < d.n; t++) d.value[t] *= d.group[t] === 0 ? inv0 : inv1;
    this.weighed = true;
    return d;
  }

  vectorize(text: string): SparseVector {
    return this.vectorizeTokens(tokenize(text));
  }

  /** `vectorize` of an already tokenised text. */
  vectorizeTokens(tokens: Token[]): SparseVector {
    // counted afresh: the caller may have changed the array since it was last seen
    this.count(tokens, false);
    const d = this.weigh();
    // words first, then characters (the layout the models were trained with)
    // then the word vectors' inputs, after the buckets
    const extra = this.denseScale > 0 || this.maxScale > 0 ? this.dims : 0;
    const idx = new Int32Array(d.n + extra);
    const val = new Float32Array(d.n + extra);
    let k = 0;
    for (let g = 0; g < 2; g++) {
      for (let t = 0; t < d.n; t++) {
        if (d.group[t] !== g) continue;
        idx[k] = d.id[t];
        val[k++] = d.value[t];
      }
    }
    for (let j = 0; j < extra; j++) {
      idx[k] = this.config.buckets + j;
      val[k++] = this.vectorInput(j);
    }
    return { idx, val };
  }

  /**
   * `out[l] = bias[l] + Σ x[f] · W[f][l]` for the text's TF-IDF vector x, without building it: a
   * linear layer's outputs, as `vectorizeTokens` then a sparse product would give. `table` holds,
   * per input f, `stride` floats: the bucket's IDF, then its weight per output (see
   * `scoringTable`; the word-vector inputs follow the buckets): one memory read per feature where separate IDF and weight arrays need two,
   * which is most of the time this takes.
   */
  project(tokens: Token[], table: Float32Array, stride: number, bias: Float32Array, out: Float64Array): Float64Array {
    const L = bias.length;
    // the per-group norms are known only at the end: sum each group's products, then scale
    const sums = this.sums.length === 2 * L ? this.sums : (this.sums = new Float64Array(2 * L));
    sums.fill(0);
    let norm0 = 0;
    let norm1 = 0;
    const sublinear = this.config.sublinearTf;
    // occurrences kept: explaining the score (most flagged texts are) then needs no second count
    this.count(tokens, true);
    const { n, id, count, group, value } = this.distinct;
    // the values before normalising are kept too, for explaining the score
    if (L === 2) {
      // the shipped models' case, unrolled: markedly faster than the general loop below, which
      // it repeats with the label loop written out
      let a0 = 0;
      let a1 = 0;
      let c0 = 0;
      let c1 = 0;
      for (let t = 0; t < n; t++) {
        const o = id[t] * stride;
        const idf = table[o];
        const c = count[t];
        const v = (c > 1 && sublinear ? 1 + Math.log(c) : c) * idf;
        value[t] = Math.fround(v);
        if (v === 0) continue;
        if (group[t] === 0) {
          norm0 += v * v;
          a0 += v * table[o + 1];
          a1 += v * table[o + 2];
        } else {
          norm1 += v * v;
          c0 += v * table[o + 1];
          c1 += v * table[o + 2];
        }
      }
      const inv0 = this.norms(norm0, norm1);
      const { inv1 } = this;
      out[0] = bias[0] + a0 * inv0 + c0 * inv1;
      out[1] = bias[1] + a1 * inv0 + c1 * inv1;
      if (this.vectors) this.addVectors(table, stride, out, 2);
      return out;
    }
    for (let t = 0; t < n; t++) {
      const o = id[t] * stride;
      const idf = table[o];
      const c = count[t];
      const v = (c > 1 && sublinear ? 1 + Math.log(c) : c) * idf;
      value[t] = Math.fround(v);
      if (v === 0) continue;
      const g = group[t];
      if (g === 0) norm0 += v * v;
      else norm1 += v * v;
      const so = g * L;
      for (let l = 0; l < L; l++) sums[so + l] += v * table[o + 1 + l];
    }
    const inv0 = this.norms(norm0, norm1);
    const { inv1 } = this;
    for (let l = 0; l < L; l++) out[l] = bias[l] + sums[l] * inv0 + sums[L + l] * inv1;
    if (this.vectors) this.addVectors(table, stride, out, L);
    return out;
  }

  /** Keep the inverse norms of the values just computed (after `project`, `weigh` then only scales them); returns the words'. */
  private norms(norm0: number, norm1: number): number {
    this.inv0 = norm0 > 0 ? 1 / Math.sqrt(norm0) : 0;
    this.inv1 = norm1 > 0 ? 1 / Math.sqrt(norm1) : 0;
    this.valued = true;
    return this.inv0;
  }

  /**
   * The table `project` reads: per bucket its IDF (1 when there is none) then `W[f * L + l]` for
   * each output l, padded to a power-of-two stride so that a bucket never straddles a cache line.
   */
  scoringTable(W: Float32Array, L: number): { table: Float32Array; stride: number } {
    const stride = 1 << Math.ceil(Math.log2(L + 1));
    const { buckets } = this.config;
    const rows = this.inputs;
    if (W.length !== rows * L) throw new Error(`weights have ${W.length} entries for ${rows} inputs and ${L} outputs`);
    const table = new Float32Array(rows * stride);
    for (let f = 0; f < rows; f++) {
      table[f * stride] = this.idf && f < buckets ? this.idf[f] : 1;
      for (let l = 0; l < L; l++) table[f * stride + 1 + l] = W[f * L + l];
    }
    return { table, stride };
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
    const { distinct: d, occurrences: o } = this.features(tokens);
    const id = new Int32Array(o.n);
    const value = new Float64Array(o.n);
    const a = new Int32Array(o.n);
    const b = new Int32Array(o.n).fill(-1);
    for (let i = 0; i < tokens.length; i++) {
      for (let q = o.start[i]; q < o.start[i + 1]; q++) {
        id[q] = d.id[o.p[q]];
        value[q] = d.value[o.p[q]] / d.count[o.p[q]];
        a[q] = i;
      }
      if (o.pairs && i + 1 < tokens.length) b[o.start[i] + 1] = i + 1;
    }
    return { n: o.n, id, value, a, b };
  }

  /**
   * A tokenised text's distinct features (bucket, group, count, normalised weight) and its feature
   * occurrences, each tied to its distinct feature, grouped by the token they came from (see
   * `FeatureBuffer`). Views of scratch buffers, valid until the next text.
   */
  features(tokens: Token[]): { distinct: Readonly<Distinct>; occurrences: Readonly<FeatureBuffer> } {
    // scoring (`project`) has just counted and valued this text when spans are asked for
    if (this.last !== tokens || !this.kept) this.count(tokens, true);
    const distinct = this.weighed ? this.distinct : this.weigh();
    return { distinct, occurrences: this.buf };
  }

  /** Learn inverse document frequencies (smoothed, as scikit-learn does) from training texts. */
  static fitIdf(config: FeaturizerConfig, texts: Iterable<string>): Float32Array {
    const f = new Featurizer({ ...config, vectors: undefined });
    const df = new Uint32Array(config.buckets);
    let n = 0;
    for (const t of texts) {
      f.count(tokenize(t), false);
      // a bucket counts once per text, whether it came from words or characters
      const d = f.distinct;
      const seen = new Set<number>(d.id.subarray(0, d.n));
      for (const id of seen) df[id]++;
      n++;
    }
    const idf = new Float32Array(config.buckets);
    const minDf = config.minDf ?? 1;
    for (let i = 0; i < idf.length; i++) idf[i] = df[i] >= minDf ? Math.log((1 + n) / (1 + df[i])) + 1 : 0;
    return idf;
  }
}
