/**
 * Pre-trained word vectors: what lets a model trained on a few corpora score words it never saw
 * in training by their neighbours ("imbecile" near "idiot"). A featuriser with vectors adds, to its
 * hashed n-grams, the mean of the unit vectors of a text's words, L2-normalised and scaled (see
 * `Featurizer`). A model folder carries the vectors it was trained with in `vectors.bin`:
 *
 *   "BTLV", then uint32 LE: format version (1), word count, dimensions, byte length of the words;
 *   the words, UTF-8, joined by "\n", padded with zeros to a multiple of 4 bytes;
 *   per word a float32 LE scale, then per word `dims` int8 components (the vector is component × scale).
 */
export class WordVectors {
  private readonly index = new Map<string, number>();
  /** The bytes these were decoded from, if they were. */
  private raw: Buffer | null = null;

  /**
   * @param words the vocabulary, one entry per row
   * @param data the rows (words × dims), each of unit length or all zero
   */
  constructor(
    readonly words: readonly string[],
    readonly dims: number,
    readonly data: Float32Array,
  ) {
    if (!Number.isInteger(dims) || dims < 1) throw new Error(`word vectors need a positive number of dimensions, got ${dims}`);
    if (data.length !== words.length * dims) throw new Error(`word vectors: ${data.length} components for ${words.length} words of ${dims} dimensions`);
    words.forEach((w, i) => {
      if (!this.index.has(w)) this.index.set(w, i);
    });
  }

  get size(): number {
    return this.words.length;
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

  /** The file format described above; components are rounded to int8 with a scale per word. Vectors read from a file give back its bytes. */
  encode(): Buffer {
    if (this.raw) return this.raw;
    const { dims, data } = this;
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
    const comps = scales + 4 * n;
    for (let i = 0; i < n; i++) {
      let max = 0;
      for (let k = 0; k < dims; k++) max = Math.max(max, Math.abs(data[i * dims + k]));
      const s = max / 127;
      buf.writeFloatLE(s, scales + 4 * i);
      for (let k = 0; k < dims; k++) buf.writeInt8(s > 0 ? Math.round(data[i * dims + k] / s) : 0, comps + i * dims + k);
    }
    return buf;
  }

  /** Read `encode`'s format; rows are renormalised to unit length after rounding. Throws a plain Error saying what is wrong. */
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
    const data = new Float32Array(n * dims);
    for (let i = 0; i < n; i++) {
      const s = b.readFloatLE(scales + 4 * i);
      let norm = 0;
      for (let k = 0; k < dims; k++) {
        const v = b.readInt8(comps + i * dims + k) * s;
        data[i * dims + k] = v;
        norm += v * v;
      }
      if (norm > 0) for (let k = 0, inv = 1 / Math.sqrt(norm); k < dims; k++) data[i * dims + k] *= inv;
    }
    const vectors = new WordVectors(words, dims, data);
    vectors.raw = Buffer.from(b);
    return vectors;
  }

  /** Vectors from rows of any length: each is scaled to unit length (an all-zero row stays zero). */
  static fromRows(words: readonly string[], dims: number, rows: ArrayLike<number>): WordVectors {
    const data = Float32Array.from(rows);
    for (let i = 0; i < words.length; i++) {
      let norm = 0;
      for (let k = 0; k < dims; k++) norm += data[i * dims + k] ** 2;
      if (norm > 0) for (let k = 0, inv = 1 / Math.sqrt(norm); k < dims; k++) data[i * dims + k] *= inv;
    }
    return new WordVectors(words, dims, data);
  }
}
