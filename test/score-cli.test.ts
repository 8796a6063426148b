import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScore } from '../src/cli/score';
import { parseThresholds, reasonsText } from '../src/audit';
import { BtlError } from '../src/errors';
import { toJson } from '../src/score';
import { fakeScorer } from './helpers/fake-scorer';
import { captureIo } from './helpers/cli';

const tmp = mkdtempSync(join(tmpdir(), 'btl-score-'));

const io = (stdin = '', tty = false) => captureIo({ stdin, tty, cwd: tmp });

const load = async (dir?: string) => fakeScorer(dir);

test('TEXT arguments with --json print one object per comment with spans into the text', async () => {
  const t = io();
  const code = await runScore(['--json', 'you idiot, it was staged', 'a kind word'], t, load);
  expect(code).toBe(0);
  const lines = t.out().trim().split('\n').map((l) => JSON.parse(l));
  expect(lines).toHaveLength(2);
  expect(lines[0].flags).toEqual(['hostile', 'conspiratorial']);
  expect(Object.keys(lines[0].scores)).toEqual(['hostile', 'conspiratorial']);
  for (const sp of lines[0].spans) expect(['idiot', 'staged']).toContain(lines[0].text.slice(sp.start, sp.end));
  expect(lines[1].flags).toEqual([]);
});

test('stdin lines in a pipe: plain tab-separated lines, no colour', async () => {
  const t = io('first comment, calm\n\nsecond: you moron\n');
  expect(await runScore([], t, load)).toBe(0);
  const lines = t.out().trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1].split('\t')[0]).toBe('hostile');
  expect(lines[1]).not.toContain('\x1b');
});

test('on a terminal the flagged words are marked and escapes in the text are neutralised', async () => {
  const t = io('', true);
  await runScore(['scum \x1b[2J here'], t, load);
  expect(t.out()).toContain('\x1b[4mscum\x1b[0m');
  expect(t.out()).not.toContain('\x1b[2J');
});

test('--threshold overrides the model threshold and rejects unknown labels', async () => {
  const t = io();
  await runScore(['--json', '--threshold', 'hostile=0.99', 'idiot'], t, load);
  expect(JSON.parse(t.out()).flags).toEqual([]);
  expect(() => parseThresholds(['rude=0.5'])).toThrow(/unknown label 'rude'/);
  expect(() => parseThresholds(['hostile=2'])).toThrow(BtlError);
  expect(() => parseThresholds(['hostile='])).toThrow(/expected LABEL=VALUE/);
  expect(parseThresholds(['0.9', 'hostile=0.7'])).toEqual({ hostile: 0.7, conspiratorial: 0.9 });
  // a label named on its own keeps its value whatever the order
  expect(parseThresholds(['hostile=0.7', '0.9'])).toEqual({ hostile: 0.7, conspiratorial: 0.9 });
});

test('--in CSV --out CSV keeps the columns, adds scores, reports the bad row, exit 1', async () => {
  const input = join(tmp, 'in.csv');
  writeFileSync(input, 'id,body,author\n1,"you idiot, a hoax",ann\n2,"bad "quote" row",bob\n3,nice piece,cy\n');
  const out = join(tmp, 'out.csv');
  const t = io();
  const code = await runScore(['--in', input, '--text-column', 'body', '--out', out], t, load);
  expect(code).toBe(1);
  expect(t.err()).toContain(`${input}:3:`);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('id,body,author,hostile,conspiratorial,hostile_flag,conspiratorial_flag,reasons');
  expect(lines[1]).toMatch(/^1,"you idiot, a hoax",ann,0\.\d{4},0\.\d{4},1,1,hostile: idiot; conspiratorial: hoax$/);
  expect(lines[2]).toMatch(/^3,nice piece,cy,0\.0500,0\.0500,0,0,$/);
  expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('--in JSONL --out JSONL, and a missing text column leaves no output', async () => {
  const input = join(tmp, 'in.jsonl');
  writeFileSync(input, '{"text":"vermin everywhere","n":1,"ok":true,"meta":{"tags":["a"]},"none":null}\n');
  const out = join(tmp, 'out.jsonl');
  expect(await runScore(['--in', input, '--out', out], io(), load)).toBe(0);
  const row = JSON.parse(readFileSync(out, 'utf8'));
  // the input's own JSON values come back as they were
  expect(row).toMatchObject({ text: 'vermin everywhere', n: 1, ok: true, meta: { tags: ['a'] }, none: null, hostile_flag: 1, reasons: 'hostile: vermin' });
  expect(typeof row.hostile).toBe('number');
  const bad = join(tmp, 'nocol.csv');
  writeFileSync(bad, 'comment\nhello\n');
  await expect(runScore(['--in', bad, '--out', join(tmp, 'never.csv')], io(), load)).rejects.toMatchObject({ code: 'E_COLUMN' });
  expect(readdirSync(tmp)).not.toContain('never.csv');
});

test('--in with blank texts: rows kept with empty score columns, each reported as E_EMPTY with file:line, exit 1', async () => {
  const csvIn = join(tmp, 'blank.csv');
  writeFileSync(csvIn, 'id,text\n1,you idiot\n2,"   "\n3,"\t"\n4,nice piece\n');
  const csvOut = join(tmp, 'blank-out.csv');
  const t = io();
  expect(await runScore(['--in', csvIn, '--out', csvOut], t, load)).toBe(1);
  const lines = readFileSync(csvOut, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(5);
  expect(lines[1]).toMatch(/^1,you idiot,0\.\d{4},0\.\d{4},1,0,hostile: idiot$/);
  expect(lines[2]).toBe('2,"   ",,,,,');
  expect(lines[3]).toMatch(/^3,"?\t"?,,,,,$/);
  expect(lines[4]).toMatch(/^4,nice piece,0\.0500,0\.0500,0,0,$/);
  expect(t.err()).toContain(`${csvIn}:3: empty 'text'`);
  expect(t.err()).toContain(`${csvIn}:4: empty 'text'`);
  expect(t.err()).toMatch(/2 comments scored .*2 records skipped/);

  const jsonIn = join(tmp, 'blank.jsonl');
  writeFileSync(jsonIn, '{"id":1,"text":null}\n{"id":2,"text":"vermin"}\n');
  const jsonOut = join(tmp, 'blank-out.jsonl');
  const tj = io();
  expect(await runScore(['--in', jsonIn, '--out', jsonOut], tj, load)).toBe(1);
  const rows = readFileSync(jsonOut, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(rows[0]).toEqual({ id: 1, text: null, hostile: null, conspiratorial: null, hostile_flag: null, conspiratorial_flag: null, reasons: null });
  expect(rows[1]).toMatchObject({ id: 2, hostile_flag: 1 });
  expect(tj.err()).toContain(`${jsonIn}:1: empty 'text'`);
});

test('toJson rounds probabilities to 4 decimals and span weights to 3, and --json prints exactly it', async () => {
  const s = { text: 'abc', scores: { hostile: 0.123456, conspiratorial: 0.98765 }, flags: ['conspiratorial' as const], spans: [{ start: 0, end: 3, label: 'conspiratorial' as const, weight: 1.23456 }] };
  expect(toJson(s)).toEqual({ text: 'abc', scores: { hostile: 0.1235, conspiratorial: 0.9877 }, flags: ['conspiratorial'], spans: [{ start: 0, end: 3, label: 'conspiratorial', weight: 1.235 }] });
  const t = io();
  await runScore(['--json', 'you idiot, it was staged'], t, load);
  const scorer = await load();
  expect(JSON.parse(t.out())).toEqual(toJson(scorer.score(['you idiot, it was staged'])[0]));
});

test('empty stdin is E_EMPTY; --in without --out is a usage error', async () => {
  await expect(runScore([], io(''), load)).rejects.toMatchObject({ code: 'E_EMPTY' });
  await expect(runScore(['--in', 'x.csv'], io(), load)).rejects.toMatchObject({ code: 'E_USAGE' });
});

test('reasons list the top words of each flagged label only', () => {
  const [s] = fakeScorer().score(['Idiot! idiot, moron and scum; vermin too. staged?'], { thresholds: { conspiratorial: 0.99 } });
  expect(reasonsText(s)).toBe('hostile: vermin, idiot, moron');
});
