import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BtlError } from '../src/errors';
import { applyPlatt, calibrateLabel, chooseThreshold, countsAt, evaluate, fitPlatt, readLabelled, readModel, shiftPrior, shortThreshold, sweepThresholds, train, type Model, type TrainOptions } from '../src/model';
import { nbScale } from '../src/model/nb';
import { DEFAULT_FEATURIZER } from '../src/text';
import { loadModel } from '../src/score';
import { compose, toCsv } from './helpers/comments';

const dir = mkdtempSync(path.join(tmpdir(), 'btl-model-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
// a small featuriser keeps these tests fast; the shipped settings are tested on the default model
// n-grams only: with the shipped model's word vectors, an insult these tests call new is near one it knew
const small: Partial<TrainOptions> = { featurizer: { ...DEFAULT_FEATURIZER, buckets: 1 << 14 }, vectors: null, epochs: 15, patience: 3, learningRate: 0.05, heldOut: 0.2 };
const trainCsv = file('train.csv', toCsv(compose(0)));
const testCsv = file('test.csv', toCsv(compose(1)));

describe('train', () => {
  let first: Awaited<ReturnType<typeof train>>;
  beforeAll(async () => {
    first = await train({ ...small, data: [trainCsv], out: path.join(dir, 'm1') });
  });

  test('learns both labels well enough to rank unseen comments', async () => {
    const model = await readModel(path.join(dir, 'm1'));
    const ev = evaluate(model, (await readLabelled([testCsv])).rows);
    expect(ev.hostile!.rocAuc).toBeGreaterThan(0.9);
    expect(ev.conspiratorial!.rocAuc).toBeGreaterThan(0.9);
  });

  test('writes a manifest with sources, calibration, thresholds and metrics', () => {
    const m = JSON.parse(readFileSync(path.join(dir, 'm1', 'manifest.json'), 'utf8'));
    expect(m.format).toBe('btl-model');
    expect(m.labels).toEqual(['hostile', 'conspiratorial']);
    expect(m.featurizer.buckets).toBe(1 << 14);
    expect(m.training.sources[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.training.sources[0].labels.hostile).toEqual([100, 50]); // [negatives, positives] in compose(0)
    for (const l of ['hostile', 'conspiratorial']) {
      expect(m.thresholds[l]).toBeGreaterThan(0);
      expect(m.thresholds[l]).toBeLessThan(1);
      expect(typeof m.calibration[l].a).toBe('number');
    }
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
  });

  test('a rerun on the same data gives the same model', async () => {
    const again = await train({ ...small, data: [trainCsv], out: path.join(dir, 'm1b') });
    expect(again.manifest.weights.sha256).toBe(first.manifest.weights.sha256);
    expect(again.manifest.thresholds).toEqual(first.manifest.thresholds);
    expect(again.manifest.calibration).toEqual(first.manifest.calibration);
  });

  test('retraining on fresh labels starts from the model and keeps its featuriser', async () => {
    // fresh labels: a kind of insult the first model never saw, and its civil counterpart
    const fresh = [];
    for (const w of ['dunderhead', 'nincompoop', 'halfwit', 'numbskull', 'blockhead', 'dimwit', 'bonehead', 'lamebrain']) {
      for (const t of ['the bypass', 'the budget', 'the strike', 'the merger']) {
        fresh.push({ text: `About ${t}, what a ${w} take from a ${w}`, hostile: 1, conspiratorial: '' as const });
        fresh.push({ text: `About ${t}, what a thoughtful take from a reporter`, hostile: 0, conspiratorial: '' as const });
      }
    }
    // every fourth pair (an insult and its civil twin) is kept out for evaluation
    const freshCsv = file('fresh.csv', toCsv(fresh.filter((_, i) => Math.floor(i / 2) % 4 !== 3)));
    const freshEval = file('fresh-eval.csv', toCsv(fresh.filter((_, i) => Math.floor(i / 2) % 4 === 3)));
    const res = await train({ ...small, from: path.join(dir, 'm1'), data: [freshCsv], replay: [trainCsv], eval: [freshEval], out: path.join(dir, 'm2') });
    expect(res.manifest.training.from?.sha256).toBe(first.manifest.weights.sha256);
    expect(res.manifest.featurizer).toEqual(first.manifest.featurizer);
    expect(res.manifest.training.sources.some((s) => s.replay)).toBe(true);
    // too few fresh rows to calibrate on: held out from all rows, replayed ones too
    expect(res.manifest.training.options.heldOutFrom).toBe('all');
    const [e] = res.evals;
    expect(e.before).toBeDefined();
    expect(e.after.hostile!.f1).toBeGreaterThan(e.before!.hostile!.f1);
    // the conspiratorial label, not in the fresh file, keeps working
    const ev = evaluate(await readModel(path.join(dir, 'm2')), (await readLabelled([testCsv])).rows);
    expect(ev.conspiratorial!.rocAuc).toBeGreaterThan(0.85);
  });
});

test('retraining on enough fresh rows holds out from them only: the starting model has learnt the replayed ones', async () => {
  const insults = ['dunderhead', 'nincompoop', 'numbskull', 'blockhead', 'bonehead', 'lamebrain', 'dimwit', 'halfwit'];
  const places = ['the bypass', 'the budget', 'the strike', 'the merger', 'the flood plan', 'the bus lanes', 'the library', 'the park', 'the port', 'the tram'];
  const rows = insults.flatMap((w, i) => places.flatMap((p, j) => [
    { text: `On ${p}, what a ${w} the writer is (${i}.${j})`, hostile: 1, conspiratorial: '' as const },
    { text: `The writer on ${p}? A ${w}, as usual (${i}.${j})`, hostile: 1, conspiratorial: '' as const },
    { text: `On ${p}, what a careful piece from the writer (${i}.${j})`, hostile: 0, conspiratorial: '' as const },
    { text: `The writer on ${p} checked the figures, as usual (${i}.${j})`, hostile: 0, conspiratorial: '' as const },
  ]));
  // a moderator relabels one comment the replay file also holds: the fresh label wins
  const relabelled = compose(0).find((r) => r.hostile === 1)!;
  const freshCsv = file('fresh-many.csv', toCsv([...rows, { text: relabelled.text, hostile: 0, conspiratorial: '' }]));
  const start = (await readModel(path.join(dir, 'm1'))).manifest;
  const res = await train({ ...small, epochs: 2, from: path.join(dir, 'm1'), data: [freshCsv], replay: [trainCsv], out: path.join(dir, 'm-many') });
  expect(res.manifest.training.options.heldOutFrom).toBe('fresh');
  // 20% of the fresh rows, stratified; every replayed row is trained on, but for the relabelled one
  const held = res.manifest.training.rows.heldOut;
  expect(held).toBe(2 * Math.round(160 * 0.2));
  expect(res.manifest.training.rows.train).toBe(321 - held + compose(0).length - 1);
  expect(res.manifest.training.rows.duplicates).toBe(1);
  // conspiratorial, which the fresh rows do not label, keeps the starting model's calibration and threshold
  expect(res.manifest.calibration.conspiratorial).toEqual(start.calibration.conspiratorial);
  expect(res.manifest.thresholds.conspiratorial).toBe(start.thresholds.conspiratorial);
  // a replay sample without --from is just more data: held out from all of it
  const plain = await train({ ...small, epochs: 1, data: [freshCsv], replay: [trainCsv], out: path.join(dir, 'm-replay-only') });
  expect(plain.manifest.training.options.heldOutFrom).toBe('all');
});

test('a prevalence moves calibration and thresholds only, to those of a section with that share of positives', async () => {
  const res = await train({ ...small, data: [trainCsv], out: path.join(dir, 'm-rare'), prevalence: { hostile: 0.05 } });
  const plain = await readModel(path.join(dir, 'm1'));
  const rare = await readModel(path.join(dir, 'm-rare'));
  // the same weights: only the read-out changes
  expect(res.manifest.weights.sha256).toBe(plain.manifest.weights.sha256);
  expect(res.manifest.training.options.prevalence).toEqual({ hostile: 0.05 });
  const heldShare = plain.manifest.metrics.heldOut.hostile!.positives / plain.manifest.metrics.heldOut.hostile!.n;
  expect(rare.manifest.calibration.hostile.a).toBeCloseTo(plain.manifest.calibration.hostile.a, 10);
  expect(rare.manifest.calibration.hostile.b - plain.manifest.calibration.hostile.b).toBeCloseTo(Math.log(0.05 / 0.95) - Math.log(heldShare / (1 - heldShare)), 6);
  expect(rare.manifest.calibration.conspiratorial).toEqual(plain.manifest.calibration.conspiratorial);
  // rarer positives: each comment is less likely hostile, and it takes a stronger score to flag
  const text = 'what a halfwit, honestly, the writer is a clown';
  expect(rare.probabilities(text)[0]).toBeLessThan(plain.probabilities(text)[0]);
  const rows = (await readLabelled([testCsv])).rows;
  const flagged = (m: typeof plain) => rows.filter((r) => m.probabilities(r.text)[0] >= m.manifest.thresholds.hostile).length;
  expect(flagged(rare)).toBeLessThanOrEqual(flagged(plain));
  // ranking is untouched
  expect(evaluate(rare, rows).hostile!.rocAuc).toBeCloseTo(evaluate(plain, rows).hostile!.rocAuc, 10);
  // a model retrained from it keeps the prevalence unless given another, and applies it: against the
  // same retraining from the unshifted model (same weights), only the hostile offset differs
  const again = await train({ ...small, epochs: 1, from: path.join(dir, 'm-rare'), data: [testCsv], out: path.join(dir, 'm-rare2') });
  const twin = await train({ ...small, epochs: 1, from: path.join(dir, 'm1'), data: [testCsv], out: path.join(dir, 'm-rare2-twin') });
  expect(again.manifest.training.options.prevalence).toEqual({ hostile: 0.05 });
  expect(again.manifest.weights.sha256).toBe(twin.manifest.weights.sha256);
  const h = twin.manifest.metrics.heldOut.hostile!;
  expect(again.manifest.calibration.hostile.b - twin.manifest.calibration.hostile.b).toBeCloseTo(Math.log(0.05 / 0.95) - Math.log(h.positives / (h.n - h.positives)), 6);
  expect(again.manifest.calibration.conspiratorial).toEqual(twin.manifest.calibration.conspiratorial);
  // null drops the inherited share: the same read-out as the retraining from the unshifted model
  const dropped = await train({ ...small, epochs: 1, from: path.join(dir, 'm-rare'), data: [testCsv], out: path.join(dir, 'm-rare3'), prevalence: { hostile: null } });
  expect(dropped.manifest.training.options.prevalence).toBeNull();
  expect(dropped.manifest.calibration).toEqual(twin.manifest.calibration);
  expect(dropped.manifest.thresholds).toEqual(twin.manifest.thresholds);
  // a share out of range is refused
  await expect(train({ ...small, data: [trainCsv], out: path.join(dir, 'm-bad'), prevalence: { hostile: 1 } })).rejects.toMatchObject({ code: 'E_USAGE' });
});

describe('labels a file does not teach', () => {
  test('retraining on a file that labels only hostile leaves conspiratorial as it was', async () => {
    const hostileOnly = file('hostile-only.csv', 'text,hostile\n' + compose(1).map((r) => `"${r.text}",${r.hostile}`).join('\n') + '\n');
    await train({ ...small, from: path.join(dir, 'm1'), data: [hostileOnly], out: path.join(dir, 'm3') });
    const before = await readModel(path.join(dir, 'm1'));
    const after = await readModel(path.join(dir, 'm3'));
    const text = 'Follow the money, this was planned years ago. Look at the rail strike.';
    expect(after.probabilities(text)[1]).toBeCloseTo(before.probabilities(text)[1], 6);
    expect(after.manifest.thresholds.conspiratorial).toBe(before.manifest.thresholds.conspiratorial);
  });

  test('a new model trained on hostile labels only never flags conspiratorial', async () => {
    const hostileOnly = file('hostile-only-new.csv', 'text,hostile\n' + compose(0).map((r) => `"${r.text}",${r.hostile}`).join('\n') + '\n');
    const res = await train({ ...small, data: [hostileOnly], out: path.join(dir, 'm4'), prevalence: { hostile: 0.2, conspiratorial: 0.05 } });
    expect(res.manifest.thresholds.conspiratorial).toBe(1);
    // a share for a label the data does not teach is not applied, so not recorded
    expect(res.manifest.training.options.prevalence).toEqual({ hostile: 0.2 });
    const scorer = await loadModel(path.join(dir, 'm4'));
    expect(scorer.score(['it was all staged by the people really in charge'])[0].flags).not.toContain('conspiratorial');
  });
});

describe('calibration', () => {
  test('Platt scaling keeps the order of scores on separable and badly scaled logits', () => {
    const sep = { z: [] as number[], y: [] as number[] };
    for (let i = 0; i < 50; i++) {
      sep.z.push(8 + (i % 7), -8 - (i % 7));
      sep.y.push(1, 0);
    }
    for (const scale of [1, 30 / 14, 0.01]) {
      const c = fitPlatt(sep.z.map((v) => v * scale), sep.y);
      expect(c.a).toBeGreaterThan(0);
      expect(Number.isFinite(c.b)).toBe(true);
    }
    // an ordinary case: positives score higher on average, probabilities come out between the classes' rates
    const z = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5];
    const y = [0, 0, 0, 1, 0, 0, 1, 1, 1, 1];
    const c = fitPlatt(z, y);
    expect(c.a).toBeGreaterThan(0);
    expect(applyPlatt(c, 2.5)).toBeGreaterThan(applyPlatt(c, -2));
  });
});

describe('prevalence', () => {
  // scores of two overlapping classes, half of them positive
  const z: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < 400; i++) {
    const u = ((i * 37) % 400) / 400 - 0.5;
    z.push(1 + 3 * u, -1 + 3 * ((i * 53 % 400) / 400 - 0.5));
    y.push(1, 0);
  }

  test('shifting the prior gives the calibration fitted on the rarer population', () => {
    // scores that are calibrated log-odds: at each score, a sigmoid(score) share of 180 rows is
    // positive; the rarer population keeps every negative and a ninth of the positives
    const all = { z: [] as number[], y: [] as number[] };
    const rare = { z: [] as number[], y: [] as number[] };
    for (let s = -4; s <= 4; s += 0.25) {
      const pos = Math.round(180 / (1 + Math.exp(-s)));
      for (let k = 0; k < 180; k++) {
        const label = k < pos ? 1 : 0;
        all.z.push(s);
        all.y.push(label);
        if (label === 0 || k % 9 === 0) {
          rare.z.push(s);
          rare.y.push(label);
        }
      }
    }
    const share = (v: number[]) => v.filter((x) => x === 1).length / v.length;
    const shifted = shiftPrior(fitPlatt(all.z, all.y), share(all.y), share(rare.y));
    const direct = fitPlatt(rare.z, rare.y);
    for (const v of [-3, -1, 0, 1, 3]) expect(applyPlatt(shifted, v)).toBeCloseTo(applyPlatt(direct, v), 1);
    expect(applyPlatt(shifted, 0)).toBeLessThan(applyPlatt(fitPlatt(all.z, all.y), 0) - 0.3);
  });

  test('a label calibrated for rarer positives needs a higher score to be flagged', () => {
    const plain = calibrateLabel(y, z);
    const rare = calibrateLabel(y, z, 0.1);
    expect(plain.prevalence).toBeUndefined();
    expect(rare.prevalence).toBe(0.1);
    expect(rare.calibration.b - plain.calibration.b).toBeCloseTo(Math.log(0.1 / 0.9), 10);
    // the raw score at which each flags: the weighted negatives move it, not only the calibration
    const cutoff = (c: ReturnType<typeof calibrateLabel>) => (Math.log(c.threshold / (1 - c.threshold)) - c.calibration.b) / c.calibration.a;
    expect(cutoff(rare)).toBeGreaterThan(cutoff(plain) + 0.3);
    expect(rare.threshold).toBe(chooseThreshold(y, z.map((v) => applyPlatt(rare.calibration, v)), undefined, 9));
    // one class only: nothing to shift
    expect(calibrateLabel([1, 1, 1], [0.2, 0.5, 0.9], 0.1).prevalence).toBeUndefined();
  });

  test('weighting negatives picks the threshold of a population with that many more negatives', () => {
    const p = z.map((v) => 1 / (1 + Math.exp(-v)));
    const copies = { p: [] as number[], y: [] as number[] };
    p.forEach((v, i) => {
      for (let k = 0; k < (y[i] === 1 ? 1 : 9); k++) {
        copies.p.push(v);
        copies.y.push(y[i]);
      }
    });
    expect(chooseThreshold(y, p, undefined, 9)).toBe(chooseThreshold(copies.y, copies.p));
    expect(chooseThreshold(y, p, undefined, 9)).toBeGreaterThan(chooseThreshold(y, p));
    expect(chooseThreshold(y, p, 0.8, 9)).toBe(chooseThreshold(copies.y, copies.p, 0.8));
  });
});

describe('naive Bayes scales', () => {
  test('follow the log-count ratios of each label over the buckets with an IDF', () => {
    // 4 buckets, 2 labels; bucket 3 has no IDF; the second label is taught by one class only
    const ex = {
      x: [
        { idx: Int32Array.from([0]), val: Float32Array.from([1]) },
        { idx: Int32Array.from([1]), val: Float32Array.from([1]) },
        { idx: Int32Array.from([0, 2]), val: Float32Array.from([0.5, 0.5]) },
      ],
      y: Int8Array.from([1, 0, 0, 0, 1, -1]),
    };
    const idf = Float32Array.from([1, 1, 1, 0]);
    const s = nbScale(ex, 4, 2, idf);
    // label 0 over the three buckets with an IDF: p = 1 + [1.5, 0, 0.5] (sum 5), q = 1 + [0, 1, 0] (sum 4)
    const ratio = (p: number, q: number) => Math.log(p / 5 / (q / 4));
    // the scale is the ratio's signed square root by default
    const r = (p: number, q: number) => Math.sign(ratio(p, q)) * Math.sqrt(Math.abs(ratio(p, q)));
    expect(nbScale(ex, 4, 2, idf, 1, 1)[0]).toBeCloseTo(ratio(2.5, 1), 6);
    expect(s[0 * 2]).toBeCloseTo(r(2.5, 1), 6);
    expect(s[1 * 2]).toBeCloseTo(r(1, 2), 6);
    expect(s[2 * 2]).toBeCloseTo(r(1.5, 1), 6);
    expect(s[3 * 2]).toBe(0);
    // a feature of the positives scales up, one of the negatives flips sign
    expect(s[0]).toBeGreaterThan(0);
    expect(s[2]).toBeLessThan(0);
    expect([0, 1, 2, 3].map((f) => s[f * 2 + 1])).toEqual([1, 1, 1, 1]);
  });

  test('a model trained with them ranks unseen comments at least as well as one without', async () => {
    const plain = await train({ ...small, nb: false, data: [trainCsv], out: path.join(dir, 'plain') });
    expect(plain.manifest.training.options.nb).toBe(false);
    await train({ ...small, data: [trainCsv], out: path.join(dir, 'nb') });
    const model = await readModel(path.join(dir, 'nb'));
    expect(model.manifest.training.options.nb).toBe(true);
    const rows = (await readLabelled([testCsv])).rows;
    const withNb = evaluate(model, rows);
    const without = evaluate(await readModel(path.join(dir, 'plain')), rows);
    expect(withNb.hostile!.rocAuc).toBeGreaterThan(without.hostile!.rocAuc - 0.02);
    expect(withNb.conspiratorial!.rocAuc).toBeGreaterThan(without.conspiratorial!.rocAuc - 0.02);
  });
});

describe('training data', () => {
  test('malformed rows are reported with file and line and skipped; --strict makes them fatal', async () => {
    const bad = file('bad.csv', 'text,hostile,conspiratorial\n"fine comment",0,0\n"another one",maybe,0\n"third comment",1,\n');
    const data = await readLabelled([bad]);
    expect(data.rows.map((r) => r.text)).toEqual(['fine comment', 'third comment']);
    expect(data.skipped).toEqual([expect.objectContaining({ file: bad, line: 3, message: expect.stringContaining('maybe') })]);
    await expect(readLabelled([bad], { strict: true })).rejects.toMatchObject({ code: 'E_CSV', line: 3 });
  });

  test('a file may label one label only; empty cells are not labelled; duplicates across files are dropped', async () => {
    const a = file('a.csv', 'text,hostile\nyou fool,1\nnice piece,0\n');
    const b = file('b.jsonl', '{"text":"You  fool","conspiratorial":"0"}\n{"text":"not labelled at all","conspiratorial":""}\n');
    const data = await readLabelled([a, b], { textColumn: 'text' });
    expect(data.rows).toHaveLength(2);
    // "You  fool" repeats "you fool": dropped and counted, its conspiratorial label joining the first copy
    expect(Array.from(data.rows[0].labels)).toEqual([1, 0]);
    expect(data.duplicates).toBe(1);
    const mapped = await readLabelled([file('c.csv', 'body,c\nit was staged,1\nit rained,0\n')], { textColumn: 'body', labelColumns: { conspiratorial: 'c' } });
    expect(mapped.rows.map((r) => Array.from(r.labels))).toEqual([[-1, 1], [-1, 0]]);
  });

  test('a JSONL row may leave a label out; a text labelled in two files gets both labels', async () => {
    const j = file('rows.jsonl', '{"text":"first row","hostile":0}\n{"text":"second row","conspiratorial":1}\n');
    expect((await readLabelled([j])).rows.map((r) => Array.from(r.labels))).toEqual([[0, -1], [-1, 1]]);
    const h = file('h.csv', 'text,hostile\nthey faked the moon landing you clown,1\n');
    const c = file('c.csv', 'text,conspiratorial\nThey faked the moon landing you clown,1\n');
    const both = await readLabelled([h, c]);
    expect(both.rows.map((r) => Array.from(r.labels))).toEqual([[1, 1]]);
    expect(both.duplicates).toBe(1);
  });

  test('no label column at all is a clear error', async () => {
    await expect(readLabelled([file('n.csv', 'text,score\nhello,1\n')])).rejects.toThrow(/no label column/);
  });
});

describe('threshold sweep', () => {
  // a stand-in for a model: each text is its own hostile score; conspiratorial is not labelled
  const stub = { labels: ['hostile', 'conspiratorial'], manifest: { thresholds: { hostile: 0.55, conspiratorial: 0.5 } }, probabilities: (t: string) => [Number(t), 0] } as unknown as Model;
  const rows = (pairs: [number, 0 | 1][]) => pairs.map(([score, y], i) => ({ text: String(score), labels: Int8Array.from([y, -1]), source: 0, line: i + 2 }));
  // precision from the top: 1, 1, .67, .75, .8, .67, …: not monotone; F1 is best at 0.6 (0.8)
  const ranked = rows([[0.95, 1], [0.9, 1], [0.8, 0], [0.7, 1], [0.6, 1], [0.5, 0], [0.4, 0], [0.3, 1], [0.2, 0], [0.1, 0]]);

  test('gives the best-F1 threshold and the lowest reaching a precision, even past a dip', () => {
    const s = sweepThresholds(stub, ranked, { targetPrecision: 0.78 }).hostile!;
    expect(s.bestF1).toMatchObject({ threshold: 0.6, tp: 4, fp: 1 });
    expect(s.bestF1.f1).toBeCloseTo(0.8, 10);
    // 0.8 and 0.7 fall short of 0.78, 0.6 reaches it again: the lowest is 0.6, not 0.9
    expect(s.forPrecision).toMatchObject({ threshold: 0.6, tp: 4, fp: 1 });
    expect(sweepThresholds(stub, ranked, { targetPrecision: 1 }).hostile!.forPrecision).toMatchObject({ threshold: 0.9, tp: 2, fp: 0 });
    // the grid and the threshold in use, in order, each as counting would give it
    expect(s.current).toBe(0.55);
    expect(s.points.map((p) => p.threshold)).toEqual([0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.95]);
    const y = ranked.map((r) => r.labels[0]);
    const p = ranked.map((r) => Number(r.text));
    for (const point of s.points) expect(point).toEqual(countsAt(y, p, point.threshold));
    expect(sweepThresholds(stub, ranked, { thresholds: { hostile: 0.65 } }).hostile!.current).toBe(0.65);
    // no labelled rows for conspiratorial: not swept
    expect(sweepThresholds(stub, ranked).conspiratorial).toBeNull();
  });

  test('says when no threshold reaches the precision', () => {
    expect(sweepThresholds(stub, rows([[0.9, 0], [0.8, 1], [0.1, 0]]), { targetPrecision: 0.9 }).hostile!.forPrecision).toBeNull();
  });

  test('a suggested threshold is as short as can be while flagging the same rows, and never above the score', () => {
    expect(shortThreshold(0.123456, [0.123456, 0.12, 0.5])).toBe(0.123); // 0.12 would flag the 0.12
    expect(shortThreshold(0.6, [0.6, 0.5])).toBe(0.6);
    // floating point: 0.0036999… × 10^4 rounds up to 37, and 0.0037 would miss the row at 0.0036999…
    // (the negative at 0.00369 rules out three decimals)
    const t = 0.0036999999999999997;
    const scores = [t, 0.9, 0.00369, 0.002];
    const short = shortThreshold(t, scores);
    expect(short).toBeLessThanOrEqual(t);
    expect(countsAt([1, 1, 0, 0], scores, short)).toMatchObject({ tp: 2, fp: 0 });
  });
});

describe('model folders', () => {
  test('a missing or corrupt model names the file and the problem', async () => {
    await expect(readModel(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringContaining('manifest.json') });
    const m = path.join(dir, 'corrupt');
    await train({ ...small, epochs: 1, data: [trainCsv], out: m });
    const w = path.join(m, 'weights.bin');
    const buf = readFileSync(w);
    buf[100] ^= 0xff;
    writeFileSync(w, buf);
    await expect(readModel(m)).rejects.toThrow(/sha256/);
    await expect(loadModel(m)).rejects.toBeInstanceOf(BtlError);
  });

  test('a run that fails leaves the old model in place', async () => {
    const m = path.join(dir, 'keep');
    const before = await train({ ...small, epochs: 1, data: [trainCsv], out: m });
    // an --eval file that does not exist fails after training, before anything is written
    await expect(train({ ...small, epochs: 1, seed: 99, data: [trainCsv], eval: [path.join(dir, 'missing.csv')], out: m })).rejects.toThrow();
    expect((await readModel(m)).manifest.weights.sha256).toBe(before.manifest.weights.sha256);
    expect(existsSync(path.join(m, 'manifest.json'))).toBe(true);
  });
});
