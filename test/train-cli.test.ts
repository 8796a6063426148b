import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EXIT } from '../src/errors';
import { compose, toCsv } from './helpers/comments';
import { runCli } from './helpers/cli';

const dir = mkdtempSync(path.join(tmpdir(), 'btl-train-cli-'));
const trainCsv = path.join(dir, 'train.csv');
const evalCsv = path.join(dir, 'eval.csv');
writeFileSync(trainCsv, toCsv(compose(0)) + '"a row with a bad label",yes,0\n');
writeFileSync(evalCsv, toCsv(compose(1)));
// small and quick: these flags are the training options' field names
const quick = ['--epochs', '6', '--learning-rate', '0.05'];

describe('btl train / btl eval', () => {
  test('--help shows an example', async () => {
    for (const cmd of ['train', 'eval']) {
      const r = await runCli([cmd, '--help']);
      expect(r.code).toBe(EXIT.ok);
      expect(r.out).toMatch(new RegExp(`Examples?:\\n\\s+btl ${cmd} `));
    }
  });

  test('trains, reports the skipped row with file and line, and exits 1 because a row was skipped', async () => {
    const out = path.join(dir, 'm');
    const r = await runCli(['train', '--data', trainCsv, '--out', out, '--eval', evalCsv, ...quick]);
    expect(r.err).toContain(`${trainCsv}:152`);
    expect(r.code).toBe(EXIT.partial);
    expect(r.out).toMatch(/Model written to/);
    expect(r.out).toMatch(/1 malformed skipped/);
    expect(r.out).toMatch(/hostile\s+[01]\.\d{4}/);
    expect(existsSync(path.join(out, 'manifest.json'))).toBe(true);

    const e = await runCli(['eval', '--model', out, '--data', evalCsv, '--json']);
    expect(e.code).toBe(EXIT.ok);
    const m = JSON.parse(e.out).metrics;
    expect(m.hostile.rocAuc).toBeGreaterThan(0.9);
    expect(m.hostile.n).toBe(150);
  });

  test('btl eval --sweep shows each label over a range of thresholds and suggests thresholds that reproduce what it printed', async () => {
    const model = path.join(dir, 'm'); // trained by the test above
    const r = await runCli(['eval', '--model', model, '--data', evalCsv, '--sweep', '--target-precision', '0.95']);
    expect(r.code).toBe(EXIT.ok);
    const manifest = JSON.parse(readFileSync(path.join(model, 'manifest.json'), 'utf8'));
    for (const label of ['hostile', 'conspiratorial']) {
      expect(r.out).toContain(`${label}: 150 rows, 50 positive`); // compose(1): five topics of ten remarks of each kind
      // the model's own threshold is one of the rows, marked
      expect(r.out).toContain(`${Number(manifest.thresholds[label].toFixed(4))}*`);
      const best = new RegExp(`best F1 on these rows: (\\S+) +(\\S+) +(\\S+) +(\\S+) .*--threshold ${label}=(\\S+)`).exec(r.out);
      expect(best).not.toBeNull();
      const [, shown, precision, recall, f1, flag] = best!;
      expect(flag).toBe(shown);
      // the suggested flag flags exactly the comments the line describes
      const again = JSON.parse((await runCli(['eval', '--model', model, '--data', evalCsv, '--threshold', `${label}=${flag}`, '--json'])).out).metrics[label];
      expect(again.precision.toFixed(3)).toBe(precision);
      expect(again.recall.toFixed(3)).toBe(recall);
      expect(again.f1.toFixed(3)).toBe(f1);
    }
    const j = JSON.parse((await runCli(['eval', '--model', model, '--data', evalCsv, '--sweep', '--json'])).out).sweep;
    for (const s of Object.values(j) as { points: { threshold: number; f1: number }[]; bestF1: { f1: number; threshold: number }; forPrecision: { precision: number } | null; targetPrecision: number }[]) {
      const ts = s.points.map((p) => p.threshold);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
      for (const p of s.points) expect(p.f1).toBeLessThanOrEqual(s.bestF1.f1 + 1e-12);
      expect(s.targetPrecision).toBe(0.9);
      if (s.forPrecision) expect(s.forPrecision.precision).toBeGreaterThanOrEqual(0.9);
    }
    expect(r.out).not.toMatch(/few rows/);
    const tiny = path.join(dir, 'tiny.csv');
    writeFileSync(tiny, 'text,hostile\n"you utter clown",1\n"fair point about the budget",0\n"what a moron",1\n"the bus was late again",0\n');
    expect((await runCli(['eval', '--model', model, '--data', tiny, '--sweep'])).out).toMatch(/few rows: with under 30 positives or negatives/);
    // a --threshold given is the one marked in use
    expect((await runCli(['eval', '--model', model, '--data', evalCsv, '--sweep', '--threshold', 'hostile=0.33'])).out).toMatch(/^ +0\.33\* /m);
    expect((await runCli(['eval', '--model', model, '--data', evalCsv, '--target-precision', '0.9'])).code).toBe(EXIT.usage);
    expect((await runCli(['eval', '--model', model, '--data', evalCsv, '--sweep', '--target-precision', '1.5'])).code).toBe(EXIT.usage);
  });

  test('--no-nb trains on plain TF-IDF features, and the manifest says which', async () => {
    for (const [flags, nb] of [[['--no-nb'], false], [[], true]] as const) {
      const out = path.join(dir, nb ? 'with-nb' : 'no-nb');
      const r = await runCli(['train', '--data', evalCsv, '--out', out, ...quick, ...flags]);
      expect(r.code).toBe(EXIT.ok);
      expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')).training.options.nb).toBe(nb);
    }
  });

  test('--prevalence sets each label\'s share of positives; a bare share sets both', async () => {
    for (const [flags, want] of [[['--prevalence', 'hostile=0.05'], { hostile: 0.05 }], [['--prevalence', '0.1'], { hostile: 0.1, conspiratorial: 0.1 }]] as const) {
      const out = path.join(dir, `prev-${want.hostile}`);
      const r = await runCli(['train', '--data', evalCsv, '--out', out, ...quick, ...flags]);
      expect(r.code).toBe(EXIT.ok);
      expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')).training.options.prevalence).toEqual(want);
    }
    for (const bad of ['hostile=1', 'hostile=0', 'rude=0.1', 'hostile=']) {
      const r = await runCli(['train', '--data', evalCsv, '--out', path.join(dir, 'never'), '--prevalence', bad]);
      expect(r.code).toBe(EXIT.usage);
      expect(r.err).toMatch(/--prevalence/);
    }
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
    // a share for a label the data does not teach is not applied, and says so
    const hostileOnly = path.join(dir, 'hostile-only.csv');
    writeFileSync(hostileOnly, 'text,hostile\n' + compose(1).map((r) => `"${r.text}",${r.hostile}`).join('\n') + '\n');
    const r = await runCli(['train', '--data', hostileOnly, '--out', path.join(dir, 'prev-h'), ...quick, '--prevalence', 'conspiratorial=0.05']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toMatch(/--prevalence conspiratorial=0\.05 not applied/);
    expect(JSON.parse(readFileSync(path.join(dir, 'prev-h', 'manifest.json'), 'utf8')).training.options.prevalence).toBeNull();
    // LABEL=none drops the share a starting model was calibrated for
    const back = await runCli(['train', '--from', path.join(dir, 'prev-0.1'), '--data', evalCsv, '--out', path.join(dir, 'prev-none'), ...quick, '--prevalence', 'hostile=none']);
    expect(back.code).toBe(EXIT.ok);
    expect(JSON.parse(readFileSync(path.join(dir, 'prev-none', 'manifest.json'), 'utf8')).training.options.prevalence).toEqual({ conspiratorial: 0.1 });
    expect((await runCli(['train', '--data', evalCsv, '--out', path.join(dir, 'never'), '--prevalence', 'rude=none'])).code).toBe(EXIT.usage);
    // a retrained model keeps its own word vectors: options for a new model's are refused, not ignored
    for (const flags of [['--no-vectors'], ['--vectors', path.join(dir, 'nowhere')], ['--vector-weight', '3']]) {
      const r = await runCli(['train', '--from', path.join(dir, 'prev-0.1'), '--data', evalCsv, '--out', path.join(dir, 'never'), ...quick, ...flags]);
      expect(r.code).toBe(EXIT.usage);
      expect(r.err).toMatch(/keeps its own word vectors/);
    }
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
    // btl eval reads --threshold as btl score does
    const e = await runCli(['eval', '--model', path.join(dir, 'prev-h'), '--data', evalCsv, '--threshold', '0.99', '--json']);
    expect(e.code).toBe(EXIT.ok);
    expect(JSON.parse(e.out).metrics.hostile.threshold).toBe(0.99);
    const badEval = await runCli(['eval', '--model', path.join(dir, 'prev-h'), '--data', evalCsv, '--threshold', 'hostile=']);
    expect(badEval.code).toBe(EXIT.usage);
  });

  test('retraining prints before and after on the same rows', async () => {
    const out = path.join(dir, 'm2');
    await runCli(['train', '--data', evalCsv, '--out', path.join(dir, 'base'), ...quick]);
    const r = await runCli(['train', '--from', path.join(dir, 'base'), '--data', trainCsv, '--eval', evalCsv, '--out', out, ...quick]);
    expect(r.out).toMatch(/continued from/);
    expect(r.out).toMatch(/before hostile/);
    expect(r.out).toMatch(/after hostile/);
  });

  test('bad usage and unreadable inputs say what is wrong', async () => {
    const noOut = await runCli(['train', '--data', trainCsv]);
    expect(noOut.code).toBe(EXIT.usage);
    expect(noOut.err).toMatch(/--out/);
    const missing = await runCli(['train', '--data', path.join(dir, 'nope.csv'), '--out', path.join(dir, 'x')]);
    expect(missing.code).toBe(EXIT.input);
    expect(missing.err).toContain('nope.csv');
    const badModel = await runCli(['eval', '--model', dir, '--data', evalCsv]);
    expect(badModel.code).toBe(EXIT.model);
    expect(badModel.err).toMatch(/manifest\.json/);
    const zeroBatch = await runCli(['train', '--data', trainCsv, '--out', path.join(dir, 'z'), '--batch-size', '0']);
    expect(zeroBatch.code).toBe(EXIT.usage);
    expect(zeroBatch.err).toMatch(/--batch-size wants a whole number of at least 1, got "0"/);
    const badLabel = await runCli(['train', '--data', trainCsv, '--out', path.join(dir, 'y'), '--label', 'rude=x']);
    expect(badLabel.code).toBe(EXIT.usage);
    expect(badLabel.err).toMatch(/unknown label "rude"/);
  });
});
