import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { evaluate, readLabelled, readModel, train, type TrainOptions } from '../src/model';
import { explain } from '../src/score';
import { DEFAULT_FEATURIZER, Featurizer, tokenize, WordVectors } from '../src/text';

const dir = mkdtempSync(path.join(tmpdir(), 'btl-vectors-'));

/**
 * Hand-made 6-dimensional vectors: insults lie along the first axis, kind words about people along
 * the second, the rest apart; each a little off its axis so that no two are equal.
 */
const AXES: Record<string, number> = {
  idiot: 0, clown: 0, fool: 0, moron: 0, imbecile: 0, buffoon: 0,
  teacher: 1, neighbour: 1, friend: 1, nurse: 1, volunteer: 1, colleague: 1,
  you: 2, are: 2, a: 2, what: 2, such: 2, total: 2,
  well: 3, known: 4, the: 5, council: 5,
};
const WORDS = Object.keys(AXES);
const DIMS = 6;
const ROWS = WORDS.flatMap((w, i) => Array.from({ length: DIMS }, (_, k) => (k === AXES[w] ? 1 : 0.05 * (((i + k) % 3) - 1))));
const vectors = WordVectors.fromRows(WORDS, DIMS, ROWS);
const row = (w: string) => Array.from(vectors.vector(WORDS.indexOf(w)));
const config = (weight = 2) => ({ ...DEFAULT_FEATURIZER, buckets: 1 << 12, minDf: 1, vectors: { words: vectors.size, dims: DIMS, weight, sha256: 'x' } });

describe('WordVectors', () => {
  test('keep each row to int8 rounding through their file, and use it at unit length', () => {
    const back = WordVectors.decode(vectors.encode());
    expect(back.words).toEqual(WORDS);
    expect(back.dims).toBe(DIMS);
    for (let r = 0; r < back.size; r++) {
      const v = back.vector(r);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      // int8 rounding of the unit row
      const want = ROWS.slice(r * DIMS, (r + 1) * DIMS);
      const norm = Math.hypot(...want);
      v.forEach((x, k) => expect(Math.abs(x - want[k] / norm)).toBeLessThan(0.01));
    }
    // vectors read from a file write back the same bytes
    expect(back.encode().equals(vectors.encode())).toBe(true);
  });

  test('a file that is not theirs, or cut short, says what is wrong', () => {
    expect(() => WordVectors.decode(Buffer.from('not vectors at all, really'))).toThrow(/BTLV/);
    const buf = vectors.encode();
    expect(() => WordVectors.decode(buf.subarray(0, buf.length - 3))).toThrow(/bytes; its header implies/);
  });

  test('a token stands for its own row, or for the parts of a hyphenated or possessive word', () => {
    const out = [0, 0];
    const rows = (w: string) => {
      vectors.rows(w, out);
      return out.map((r) => (r < 0 ? null : WORDS[r]));
    };
    expect(rows('moron')).toEqual(['moron', null]);
    expect(rows('well-known')).toEqual(['well', 'known']);
    expect(rows("moron's")).toEqual(['moron', null]);
    expect(rows('zzz')).toEqual([null, null]);
    expect(rows('__url__')).toEqual([null, null]);
  });
});

describe('a featuriser with word vectors', () => {
  const f = new Featurizer(config(2), null, vectors);

  test('adds the mean and the maximum of the words\' vectors, each L2-normalised and scaled, after the buckets', () => {
    const x = f.vectorize('You moron!');
    const n = x.idx.length;
    expect(Array.from(x.idx.subarray(n - 2 * DIMS))).toEqual(Array.from({ length: 2 * DIMS }, (_, k) => (1 << 12) + k));
    const sum = row('you').map((v, k) => v + row('moron')[k]);
    const max = row('you').map((v, k) => Math.max(v, row('moron')[k]));
    const mean = Array.from(x.val.subarray(n - 2 * DIMS, n - DIMS));
    const top = Array.from(x.val.subarray(n - DIMS));
    mean.forEach((v, k) => expect(v).toBeCloseTo((2 * sum[k]) / Math.hypot(...sum), 5));
    top.forEach((v, k) => expect(v).toBeCloseTo((2 * max[k]) / Math.hypot(...max), 5));
    // every index before them is a bucket
    expect(Array.from(x.idx.subarray(0, n - 2 * DIMS)).every((i) => i < 1 << 12)).toBe(true);
  });

  test('a text without a known word gets no word-vector inputs', () => {
    const x = f.vectorize('zzz qqq');
    expect(Array.from(x.idx).every((i) => i < 1 << 12)).toBe(true);
    expect(x.idx.length).toBeGreaterThan(0);
  });

  test('project() gives the sparse product, and each word\'s vectorPush adds up to the vectors\' part', () => {
    const L = 2;
    const W = Float32Array.from({ length: f.inputs * L }, (_, i) => Math.sin(i * 12.9898) * 0.5);
    const bias = Float32Array.from([0.1, -0.2]);
    const { table, stride } = f.scoringTable(W, L);
    for (const text of ['you are a total moron', 'what a well-known clown', 'the council', 'zzz']) {
      const tokens = tokenize(text);
      const got = Array.from(f.project(tokens, table, stride, bias, new Float64Array(L)));
      const x = f.vectorizeTokens(tokens);
      const want = Array.from(bias, (b, l) => x.idx.reduce((s, id, k) => s + x.val[k] * W[id * L + l], b));
      got.forEach((z, l) => expect(z).toBeCloseTo(want[l], 5));
      // the word-vector inputs' share of the logit, word by word
      f.features(tokens);
      for (let l = 0; l < L; l++) {
        const part = x.idx.reduce((s, id, k) => (id >= 1 << 12 ? s + x.val[k] * W[id * L + l] : s), 0);
        const pushes = tokens.reduce((s, _, t) => s + f.vectorPush(t, table, stride, l), 0);
        expect(pushes).toBeCloseTo(part, 5);
      }
    }
  });

  test('settings and vectors that disagree are refused', () => {
    expect(() => new Featurizer(config(), null, null)).toThrow(/none were given/);
    expect(() => new Featurizer({ ...config(), vectors: undefined }, null, vectors)).toThrow(/settings have none/);
    expect(() => new Featurizer({ ...config(), vectors: { ...config().vectors, dims: 7 } }, null, vectors)).toThrow(/7 dimensions/);
  });
});

describe('a model trained with word vectors', () => {
  // insults and kind words in the same frames; the test uses insults and kind words never trained on
  const frames = ['you are a {}', 'what a {}', 'such a total {}', 'you {}', 'a {} as always'];
  const seen = { hostile: ['idiot', 'clown', 'fool'], kind: ['teacher', 'friend', 'nurse'] };
  const csv = (pairs: [string, number][]) => `text,hostile,conspiratorial\n${pairs.map(([t, h]) => `"${t}",${h},0`).join('\n')}\n`;
  const rowsFor = (words: string[], h: number, reps: number) =>
    words.flatMap((w) => frames.flatMap((fr) => Array.from({ length: reps }, (_, i) => [`${fr.replace('{}', w)}${'!'.repeat(i)}`, h] as [string, number])));
  const trainCsv = path.join(dir, 'train.csv');
  const testCsv = path.join(dir, 'test.csv');
  writeFileSync(trainCsv, csv([...rowsFor(seen.hostile, 1, 4), ...rowsFor(seen.kind, 0, 4)]));
  writeFileSync(testCsv, csv([...rowsFor(['moron', 'imbecile', 'buffoon'], 1, 1), ...rowsFor(['neighbour', 'volunteer', 'colleague'], 0, 1)]));
  const vpath = path.join(dir, 'vectors.bin');
  writeFileSync(vpath, vectors.encode());
  const opts: Partial<TrainOptions> = { featurizer: { ...DEFAULT_FEATURIZER, buckets: 1 << 12, minDf: 1 }, epochs: 20, patience: 5, learningRate: 0.05, batchSize: 8, heldOut: 0.25, nb: false };

  test('ranks insults it never saw above kind words it never saw; without vectors it cannot', async () => {
    await train({ ...opts, vectors: vpath, vectorWeight: 5, data: [trainCsv], out: path.join(dir, 'with') });
    await train({ ...opts, vectors: null, data: [trainCsv], out: path.join(dir, 'without') });
    const rows = (await readLabelled([testCsv])).rows;
    const withVectors = evaluate(await readModel(path.join(dir, 'with')), rows).hostile!.rocAuc;
    const without = evaluate(await readModel(path.join(dir, 'without')), rows).hostile!.rocAuc;
    expect(withVectors).toBeGreaterThan(0.95);
    expect(without).toBeLessThan(0.8);
  });

  test('keeps its vectors in the model folder, checked against the manifest, and points at the unseen insult', async () => {
    const m = path.join(dir, 'with');
    const manifest = JSON.parse(readFileSync(path.join(m, 'manifest.json'), 'utf8'));
    expect(manifest.formatVersion).toBe(2);
    expect(manifest.featurizer.vectors).toMatchObject({ words: WORDS.length, dims: DIMS, weight: 5 });
    expect(readFileSync(path.join(m, 'vectors.bin')).equals(readFileSync(vpath))).toBe(true);
    const model = await readModel(m);
    const spans = explain(model, 'you are a moron', ['hostile']);
    expect(spans.map((s) => 'you are a moron'.slice(s.start, s.end))).toContain('moron');
    // a model without vectors is written in the format older btl reads
    expect(JSON.parse(readFileSync(path.join(dir, 'without', 'manifest.json'), 'utf8')).formatVersion).toBe(1);
    // a retrained model keeps them, whatever vectors the options name
    await train({ ...opts, from: m, vectors: null, data: [trainCsv], out: path.join(dir, 'again') });
    expect(readFileSync(path.join(dir, 'again', 'vectors.bin')).equals(readFileSync(vpath))).toBe(true);
    // damaged vectors are refused, naming the file
    const bad = readFileSync(path.join(m, 'vectors.bin'));
    bad[bad.length - 1] ^= 0x7f;
    writeFileSync(path.join(dir, 'again', 'vectors.bin'), bad);
    await expect(readModel(path.join(dir, 'again'))).rejects.toMatchObject({ code: 'E_MODEL', file: path.join(dir, 'again', 'vectors.bin'), message: expect.stringMatching(/sha256/) });
    // and so they are when a new model would take them from that folder
    await expect(train({ ...opts, vectors: path.join(dir, 'again'), data: [trainCsv], out: path.join(dir, 'from-bad') })).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/sha256/) });
  });

  test('a manifest whose vectors lack a usable weight is refused, and so is a weight of 0 for a new model', async () => {
    const m = path.join(dir, 'no-weight');
    cpSync(path.join(dir, 'with'), m, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(m, 'manifest.json'), 'utf8'));
    delete manifest.featurizer.vectors.weight;
    writeFileSync(path.join(m, 'manifest.json'), JSON.stringify(manifest));
    await expect(readModel(m)).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/weight above 0/) });
    await expect(train({ ...opts, vectors: vpath, vectorWeight: 0, data: [trainCsv], out: path.join(dir, 'zero') })).rejects.toMatchObject({ code: 'E_USAGE', message: expect.stringMatching(/vectorWeight/) });
  });
});
