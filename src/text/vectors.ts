/**
 * Pre-trained word vectors: what lets a model trained on a few corpora score words it never saw
 * in training by their neighbours ("imbecile" near "idiot"). A featuriser with vectors adds, to its
 * hashed n-grams, the mean and the element-wise maximum of the unit vectors of a text's words, each
 * L2-normalised and scaled (see `Featurizer`): the mean for what a comment is about, the maximum
 * for the one word that makes it hostile, which a mean over a long comment dilutes. A model folder carries the vectors it was trained with in `vectors.bin`:
 *
 *   "BTLV", then uint32 LE: format version (1), word count, dimensions, byte length of the words;
 *   the words, UTF-8, joined by "\n", padded with zeros to a multiple of 4 bytes;
 *   per word a float32 LE scale, then per word `dims` int8 components (the vector is component × scale).
 *
 * In memory they stay int8 (4 MB for the shipped 40,000 words, against 16 as floats: scoring reads
 * a row per word, and the smaller table stays in cache), each row used at unit length.
 */
export class WordVectors {
  private readonly index = new Map<string, number>();
  /** Per row, the factor that makes `q` a unit vector (0 for an all-zero row). */
  readonly unit: Float32Array;

  /**
   * @param words the vocabulary, one entry per row
   * @param q the rows' int8 components (words × dims); row i is `q[i] × scale[i]`
   * @param scale per row, as stored in the file
   */
  constructor(
    readonly words: readonly string[],
    readonly dims: number,
    readonly q: Int8Array,
    readonly scale: Float32Array,
  ) {
    if (!Number.isInteger(dims) || dims < 1) throw new Error(`word vectors need a positive number of dimensions, got ${dims}`);
    if (q.length !== words.length * dims || scale.length !== words.length) throw new Error(`word vectors: ${q.length} components and ${scale.length} scales for ${words.length} words of ${dims} dimensions`);
    words.forEach((w, i) => {
      if (!this.index.has(w)) this.index.set(w, i);
    });
    // the unit factor over the int8 components: the stored scale only matters for the file
    this.unit = new Float32Array(words.length);
    for (let i = 0; i < words.length; i++) {
      let norm = 0;
      for (let k = 0; k < dims; k++) norm += q[i * dims + k] * q[i * dims + k];
      this.unit[i] = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    }
  }

  get size(): number {
    return this.words.length;
  }

  /** Row `i` as a unit vector (or zeros). */
  vector(i: number): Float32Array {
    const { dims } = this;
    return Float32Array.from(this.q.subarray(i * dims, (i + 1) * dims), (v) => v * this.unit[i]);
  }

  /**
   * Up to two rows standing for a token, into `out` (-1 where none): the word's own, or for a word
   * the vocabulary lacks that joins parts with - ("well-known"), its first two parts that the
   * vocabulary has, each cut at an apostrophe ("obama's" -> "obama").
   */
  rows(word: string, out: Int32Array | number[], at = 0): void {
    out[at] = -1;
    out[at + 1] = -1;
    const own = this.index.get(word);
    if (own !== undefined) {
      out[at] = own;
      return;
    }
    if (!/['-]/.test(word)) return;
    let k = 0;
    for (const piece of word.split('-')) {
      // "obama's" -> "obama": the clitic adds little, and GloVe spells it apart
      const part = piece.split("'")[0];
      const r = part ? this.index.get(part) : undefined;
      if (r === undefined) continue;
      out[at + k++] = r;
      if (k === 2) return;
    }
  }

  /** The file format described above (vectors read from a file give back its bytes: the format has one encoding). */
  encode(): Buffer {
    const { dims } = this;
    const words = Buffer.from(this.words.join('\n'), 'utf8');
    const pad = (4 - (words.length % 4)) % 4;
    const n = this.size;
    const buf = Buffer.alloc(20 + words.length + pad + 4 * n + n * dims);
    buf.write('BTLV', 0, 'latin1');
    buf.writeUInt32LE(1, 4);
    buf.writeUInt32LE(n, 8);
    buf.writeUInt32LE(dims, 12);
    buf.writeUInt32LE(words.length, 16);
    words.copy(buf, 20);
    const scales = 20 + words.length + pad;
    for (let i = 0; i < n; i++) buf.writeFloatLE(this.scale[i], scales + 4 * i);
    Buffer.from(this.q.buffer, this.q.byteOffset, this.q.byteLength).copy(buf, scales + 4 * n);
    return buf;
  }

  /** Read `encode`'s format. Throws a plain Error saying what is wrong. */
  static decode(buf: Uint8Array): WordVectors {
    const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    if (b.length < 20 || b.toString('latin1', 0, 4) !== 'BTLV') throw new Error('not a btl word-vector file (no BTLV header)');
    const version = b.readUInt32LE(4);
    if (version !== 1) throw new Error(`word-vector format ${version} is not one this btl reads (1)`);
    const n = b.readUInt32LE(8);
    const dims = b.readUInt32LE(12);
    const wordBytes = b.readUInt32LE(16);
    const pad = (4 - (wordBytes % 4)) % 4;
    const scales = 20 + wordBytes + pad;
    const comps = scales + 4 * n;
    if (dims < 1 || b.length !== comps + n * dims) throw new Error(`word-vector file has ${b.length} bytes; its header implies ${comps + n * dims}`);
    const words = n ? b.toString('utf8', 20, 20 + wordBytes).split('\n') : [];
    if (words.length !== n) throw new Error(`word-vector file lists ${words.length} words; its header says ${n}`);
    const scale = new Float32Array(n);
    for (let i = 0; i < n; i++) scale[i] = b.readFloatLE(scales + 4 * i);
    const q = new Int8Array(n * dims);
    q.set(new Int8Array(b.buffer, b.byteOffset + comps, n * dims));
    return new WordVectors(words, dims, q, scale);
  }

  /** Vectors from rows of any length, rounded to int8 components with a scale per row. */
  static fromRows(words: readonly string[], dims: number, rows: ArrayLike<number>): WordVectors {
    const n = words.length;
    const q = new Int8Array(n * dims);
    const scale = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let max = 0;
      for (let k = 0; k < dims; k++) max = Math.max(max, Math.abs(rows[i * dims + k]));
      scale[i] = max / 127;
      if (max > 0) for (let k = 0; k < dims; k++) q[i * dims + k] = Math.round((rows[i * dims + k] / max) * 127);
    }
    return new WordVectors(words, dims, q, scale);
  }
}
