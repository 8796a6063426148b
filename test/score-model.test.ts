/**
 * End to end with the shipped default model (models/default): scores, flags and spans, the
 * featuriser's exact output (the model's weights depend on it), and the TypeScript scoring path
 * against TensorFlow.js computing the same weights.
 */
import { createHash } from 'node:crypto';
import { readModel, type Model } from '../src/model';
import { loadTf } from '../src/model/backend';
import { applyPlatt } from '../src/model/calibrate';
import { loadModel, type ModelScorer } from '../src/score';
import { Featurizer, tokenize, type SparseVector } from '../src/text';
import { fnv1a, fnv1aRange } from './helpers/fnv';

const INSULT = 'you are a pathetic idiot';
const CIVIL = 'the council should publish the budget before the vote';

/** Texts of every kind the featuriser has a rule for, written for this test. */
const TEXTS = [
  INSULT,
  CIVIL,
  'Wake up people, the floods were STAGED so the developers get the land. Follow the money!!',
  "Don't you dare call my nan a liar, she's lived on the quay for 60 years.",
  'u r a 1d10t and a m0r0n, s.t.u.p.i.d, f***ing cl0wn',
  'i d i o t alert @harbour_pete see https://example.org/page?id=3 or www.example.com',
  'Café naïve ÉCOLE straße œuvre — “quoted” ‘single’ … tab\there\r\nnew line',
  'іdіot in Cyrillic, ｉｄｉｏｔ full width, id\u200Biot with a zero-width space, z̶a̶l̶g̶o̶',
  `${'x'.repeat(70)} supercalifragilisticexpialidociousandthensomemore hash 9f86d081884c7d659a2feaa0c55ad015`,
  'covid19 5g 2nd 10am $500 £20 +1 C++ e-mail U.S.A. 😀😡 🤦‍♂️ 中文 العربية ελληνικά Привет',
  '',
  '   ',
  '!!!',
];

/** More texts: every pair and triple of words from the texts above, for breadth. */
function manyTexts(): string[] {
  const words = TEXTS.join(' ').split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < 400; i++) out.push([words[(i * 7) % words.length], words[(i * 13 + 1) % words.length], words[(i * 31 + 2) % words.length]].slice(0, 1 + (i % 3)).join(i % 5 ? ' ' : '  '));
  return out;
}

/**
 * The featuriser written the plain way (substrings, a Map per group), as it was when the default
 * model was trained: vectorize() must give exactly the same ids, in the same order, and the same
 * float32 values.
 */
function referenceVectorize(model: Model, text: string): SparseVector {
  const { buckets, wordNgrams, charMin, charMax, sublinearTf } = model.manifest.featurizer;
  const mask = buckets - 1;
  const idf = model.featurizer.idf!;
  const groups: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
  const add = (g: 0 | 1, id: number) => groups[g].set(id, (groups[g].get(id) ?? 0) + 1);
  const tokens = tokenize(text);
  tokens.forEach((t, i) => {
    add(0, fnv1a(t.text, 0x9e3779b1) & mask);
    if (wordNgrams >= 2 && i + 1 < tokens.length) add(0, fnv1a(`${t.text} ${tokens[i + 1].text}`, 0x85ebca77) & mask);
    if (t.text === '__url__' || t.text === '__mention__') return;
    const s = `<${t.text.slice(0, 40)}>`;
    for (let n = charMin; n <= charMax; n++) for (let p = 0; p + n <= s.length; p++) add(1, fnv1aRange(s, p, p + n, 0xc2b2ae3d) & mask);
  });
  const idx: number[] = [];
  const val: number[] = [];
  for (const g of groups) {
    const vals = [...g].map(([id, c]) => {
      idx.push(id);
      return (sublinearTf ? 1 + Math.log(Math.fround(c)) : c) * idf[id];
    });
    const norm = Math.sqrt(vals.reduce((a, v) => a + v * v, 0));
    for (const v of vals) val.push(norm > 0 ? Math.fround(Math.fround(v) * (1 / norm)) : Math.fround(v));
  }
  // then the word vectors: the sum and the element-wise maximum of the words' unit vectors (a word
  // the vocabulary lacks that joins parts with - stands for its first two known parts, each cut
  // at an apostrophe), each scaled to the configured length
  const vectors = model.featurizer.vectors;
  const vcfg = model.manifest.featurizer.vectors;
  if (vectors && vcfg) {
    const { dims, q } = vectors;
    const row = new Map(vectors.words.map((w, i) => [w, i] as const).reverse());
    const rowsOf = (w: string): number[] => {
      if (row.has(w)) return [row.get(w)!];
      if (!/['-]/.test(w)) return [];
      return w.split('-').map((p) => row.get(p.split("'")[0])).filter((r): r is number => r !== undefined).slice(0, 2);
    };
    const sum = new Float64Array(dims);
    const max = new Float64Array(dims).fill(-Infinity);
    let found = false;
    for (const t of tokens) {
      if (t.text === '__url__' || t.text === '__mention__') continue;
      for (const r of rowsOf(t.text)) {
        let n = 0;
        for (let k = 0; k < dims; k++) n += q[r * dims + k] ** 2;
        const u = Math.fround(n > 0 ? 1 / Math.sqrt(n) : 0);
        found = true;
        for (let k = 0; k < dims; k++) {
          const v = q[r * dims + k] * u;
          sum[k] += v;
          if (v > max[k]) max[k] = v;
        }
      }
    }
    if (found) {
      const len = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
      [sum, max].forEach((a, half) => {
        const scale = len(a) > 0 ? vcfg.weight / len(a) : 0;
        for (let k = 0; k < dims; k++) {
          idx.push(buckets + half * dims + k);
          val.push(Math.fround(a[k] * scale));
        }
      });
    }
  }
  return { idx: Int32Array.from(idx), val: Float32Array.from(val) };
}

let scorer: ModelScorer;
let model: Model;

beforeAll(async () => {
  scorer = await loadModel();
  model = await readModel();
});

test('scores are probabilities; a plain insult is flagged hostile, with a span on the insulting word', () => {
  const [insult, civil, ...rest] = scorer.score(TEXTS);
  for (const r of [insult, civil, ...rest]) {
    for (const l of scorer.labels) {
      expect(r.scores[l]).toBeGreaterThanOrEqual(0);
      expect(r.scores[l]).toBeLessThanOrEqual(1);
    }
    expect(r.flags.every((l) => r.scores[l] >= scorer.thresholds[l])).toBe(true);
  }
  expect(insult.scores.hostile).toBeGreaterThan(civil.scores.hostile);
  expect(insult.flags).toContain('hostile');
  expect(civil.flags).not.toContain('hostile');
  const words = insult.spans.filter((s) => s.label === 'hostile').map((s) => INSULT.slice(s.start, s.end));
  expect(words).toContain('idiot');
});

test('spans are valid offsets into the original text, on word characters, strongest first', () => {
  const texts = [...TEXTS, ...manyTexts()];
  for (const r of scorer.score(texts, { allSpans: true })) {
    const byLabel = new Map<string, number[]>();
    for (const s of r.spans) {
      expect(Number.isInteger(s.start) && Number.isInteger(s.end)).toBe(true);
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeGreaterThan(s.start);
      expect(s.end).toBeLessThanOrEqual(r.text.length);
      expect(s.weight).toBeGreaterThan(0);
      const piece = r.text.slice(s.start, s.end);
      expect(piece).toMatch(/^[\p{L}\p{N}]/u);
      expect(piece).toMatch(/[\p{L}\p{N}]$/u);
      byLabel.set(s.label, [...(byLabel.get(s.label) ?? []), s.weight]);
    }
    for (const w of byLabel.values()) expect(w).toEqual([...w].sort((a, b) => b - a));
    // spans of one label never overlap (each is one stretch of text: a word, or spaced-out letters)
    for (const l of byLabel.keys()) {
      const own = r.spans.filter((s) => s.label === l).sort((a, b) => a.start - b.start);
      own.slice(1).forEach((s, i) => expect(s.start).toBeGreaterThanOrEqual(own[i].end));
    }
  }
});

test('the featuriser gives exactly the features the default model was trained on', () => {
  const f = model.featurizer;
  for (const text of [...TEXTS, ...manyTexts()]) {
    const got = f.vectorize(text);
    const want = referenceVectorize(model, text);
    expect(Array.from(got.idx)).toEqual(Array.from(want.idx));
    expect(Array.from(got.val)).toEqual(Array.from(want.val));
  }
  // and the whole pipeline (tokeniser included) is pinned: a digest of its output on these texts,
  // without the model's IDF and word vectors so that retraining the default model does not move the pin
  const bare = new Featurizer({ ...model.manifest.featurizer, vectors: undefined });
  const h = createHash('sha256');
  for (const text of TEXTS) {
    const v = bare.vectorize(text);
    h.update(Buffer.from(v.idx.buffer, v.idx.byteOffset, v.idx.byteLength));
    h.update(Buffer.from(v.val.buffer, v.val.byteOffset, v.val.byteLength));
    h.update(JSON.stringify(tokenize(text)));
  }
  expect(h.digest('hex').slice(0, 16)).toBe(PINNED);
});

test('the TypeScript scoring path matches TensorFlow.js on the same weights within 1e-5', async () => {
  const { tf } = await loadTf();
  const texts = [...TEXTS, ...manyTexts().slice(0, 20)];
  const L = model.labels.length;
  const vecs = texts.map((t) => model.featurizer.vectorize(t));
  const idx = Int32Array.from(vecs.flatMap((v) => Array.from(v.idx)));
  const val = Float32Array.from(vecs.flatMap((v) => Array.from(v.val)));
  const doc = Int32Array.from(vecs.flatMap((v, d) => Array.from(v.idx, () => d)));
  const tfLogits = tf.tidy(() => {
    const W = tf.tensor2d(model.weights.W, [model.weights.W.length / L, L]);
    const rows = tf.gather(W, tf.tensor1d(idx, 'int32')).mul(tf.tensor2d(val, [val.length, 1]));
    return tf.unsortedSegmentSum(rows, tf.tensor1d(doc, 'int32'), texts.length).add(tf.tensor1d(model.weights.b)).arraySync() as number[][];
  });
  const scored = scorer.score(texts);
  texts.forEach((_, d) => {
    const z = model.logits(vecs[d]);
    const direct = model.logitsOf(tokenize(texts[d])); // the scorer's path: no vector built
    model.labels.forEach((label, l) => {
      expect(Math.abs(z[l] - tfLogits[d][l])).toBeLessThan(1e-5);
      expect(Math.abs(direct[l] - tfLogits[d][l])).toBeLessThan(1e-5);
      const p = applyPlatt(model.manifest.calibration[label], tfLogits[d][l]);
      expect(Math.abs(scored[d].scores[label] - p)).toBeLessThanOrEqual(5e-5 + 1e-5); // scores are rounded to 4 decimals
      expect(Math.abs(model.probabilities(texts[d])[l] - p)).toBeLessThan(1e-5);
    });
  });
});

/** sha256 prefix of the featuriser's output on TEXTS, recorded with the featuriser the default model was trained with. */
const PINNED = '59bac5504efe791c';
