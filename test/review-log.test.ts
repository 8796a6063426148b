import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecisionLog, ReviewQueue, decisionsPath, loadAudit, reviewStats } from '../src/review';
import { FIXTURE_COMMENTS, writeAuditFixture } from './helpers/review-fixture';

const tmp = mkdtempSync(join(tmpdir(), 'btl-review-log-'));
let n = 0;
const fresh = () => join(tmp, `log${n++}`, 'decisions.jsonl');
const lines = (p: string) => readFileSync(p, 'utf8').split('\n').filter(Boolean);
const yes = { hostile: true, conspiratorial: false };
const no = { hostile: false, conspiratorial: false };

test('each decision is one JSONL line on disk when decide() returns, with who and when', () => {
  const p = fresh();
  const log = DecisionLog.open(p);
  const at = new Date('2024-06-01T10:00:00Z');
  log.decide({ id: 'a', labels: yes, moderator: 'alice', text: 'first', article: 'Art', author: 'x', at });
  const written = lines(p).map((l) => JSON.parse(l));
  expect(written).toEqual([{ type: 'decision', seq: 1, id: 'a', labels: yes, moderator: 'alice', at: '2024-06-01T10:00:00.000Z', text: 'first', article: 'Art', author: 'x' }]);
  log.close();
});

test('the latest decision per comment wins, survives reopening, and undo reverts to the one before', () => {
  const p = fresh();
  const log = DecisionLog.open(p);
  log.decide({ id: 'a', labels: yes, moderator: 'alice', text: 'A' });
  log.decide({ id: 'b', labels: no, moderator: 'alice', text: 'B' });
  log.decide({ id: 'a', labels: no, moderator: 'bob', text: 'A' });
  expect(log.current('a')).toMatchObject({ labels: no, moderator: 'bob' });
  log.close();

  const again = DecisionLog.open(p);
  expect(again.size).toBe(2);
  expect(again.current('a')).toMatchObject({ labels: no, moderator: 'bob' });
  expect(again.undo('bob', 'a')).toMatchObject({ id: 'a', moderator: 'bob' });
  expect(again.current('a')).toMatchObject({ labels: yes, moderator: 'alice' });
  // without an id: alice's latest decision still in force (b)
  expect(again.undo('alice')).toMatchObject({ id: 'b' });
  expect(again.current('b')).toBeUndefined();
  again.close();

  const third = DecisionLog.open(p);
  expect(third.decisions().map((d) => [d.id, d.moderator])).toEqual([['a', 'alice']]);
  const undos = lines(p).map((l) => JSON.parse(l)).filter((e) => e.type === 'undo');
  expect(undos).toHaveLength(2);
  expect(undos[0]).toMatchObject({ id: 'a', undoes: 3, moderator: 'bob' });
  expect(third.undo('carol')).toBeNull();
  third.close();
});

test('a torn last line and malformed lines are reported and skipped; the next decision starts a fresh line', () => {
  const p = fresh();
  const log = DecisionLog.open(p);
  log.decide({ id: 'a', labels: yes, moderator: 'alice', text: 'A' });
  log.close();
  appendFileSync(p, '{"type":"decision","id":"z","labels":{"hostile":"maybe","conspiratorial":false},"moderator":"m","at":"2024-01-01T00:00:00Z","text":"t"}\n');
  appendFileSync(p, '{"type":"decision","seq":9,"id":"b","lab');
  const reopened = DecisionLog.open(p);
  expect(reopened.skipped.map((s) => [s.line, s.message])).toEqual([
    [2, 'malformed decision: label "hostile" must be true or false'],
    [3, 'torn last line (ignored)'],
  ]);
  expect(reopened.size).toBe(1);
  reopened.decide({ id: 'c', labels: no, moderator: 'alice', text: 'C' });
  reopened.close();
  const last = DecisionLog.open(p);
  expect(last.decisions().map((d) => d.id)).toEqual(['a', 'c']);
  expect(last.skipped).toHaveLength(2);
  last.close();
});

test('decide() refuses labels that are not true/false for every label', () => {
  const log = DecisionLog.open(fresh());
  expect(() => log.decide({ id: 'a', labels: { hostile: true } as never, moderator: 'm', text: 't' })).toThrow(/conspiratorial/);
  expect(log.size).toBe(0);
  log.close();
});

test('the queue orders by uncertainty or severity, filters, and puts skipped comments last', async () => {
  const dir = writeAuditFixture(join(tmp, 'audit'));
  const audit = await loadAudit(dir);
  expect(audit.items).toHaveLength(FIXTURE_COMMENTS.length);
  const q = new ReviewQueue(audit.items);
  const log = DecisionLog.open(decisionsPath(dir));
  const authors = (r: { items: { author: string }[] }) => r.items.map((i) => i.author);
  // margins from 0.5: cara 0.02, mallory 0.05, ann(0.92) 0.3, bob 0.47, ann(0.97) 0.45, dev 0.49
  expect(authors(q.list(log, { sort: 'uncertain' }))).toEqual(['cara', '<b>mallory</b>', 'ann', 'ann', 'bob', 'dev']);
  expect(q.list(log, { sort: 'severe' }).items.map((i) => i.severity)).toEqual([0.97, 0.92, 0.55, 0.48, 0.03, 0.01]);
  expect(authors(q.list(log, { label: 'hostile' }))).toEqual(['<b>mallory</b>', 'ann']);
  expect(authors(q.list(log, { label: 'none' }))).toEqual(['cara', 'bob', 'dev']);
  expect(q.list(log, { article: 'Budget night', author: 'ann' }).total).toBe(1);
  const first = q.list(log).items[0];
  expect(authors(q.list(log, { skipped: new Set([first.id]) })).at(-1)).toBe('cara');
  log.decide({ id: first.id, labels: { hostile: false, conspiratorial: true }, moderator: 'm', text: first.text });
  expect(q.list(log).total).toBe(5);
  expect(q.list(log, { status: 'done' }).items.map((i) => i.id)).toEqual([first.id]);
  expect(q.list(log, { status: 'all' }).total).toBe(6);
  // cara's comment was not flagged conspiratorial (0.48 < 0.5): a false negative of the model
  expect(reviewStats(q, log).errors.conspiratorial).toEqual({ truePositives: 0, falsePositives: 0, falseNegatives: 1, trueNegatives: 0 });
  expect(reviewStats(q, log).errors.hostile).toEqual({ truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 1 });
  expect(q.facets().articles).toEqual([['Budget night', 2], ['Harbour wall vote', 2], ['School meals', 2]]);
  log.close();
});

test('a comments.csv row with a bad score is reported with its line and skipped', async () => {
  const dir = writeAuditFixture(join(tmp, 'bad'));
  const csv = readFileSync(join(dir, 'comments.csv'), 'utf8').replace(',0.0300,0.0200,', ',high,0.0200,');
  writeFileSync(join(dir, 'comments.csv'), csv);
  const audit = await loadAudit(dir);
  expect(audit.items).toHaveLength(FIXTURE_COMMENTS.length - 1);
  expect(audit.skipped).toEqual([expect.objectContaining({ line: 4, code: 'E_CSV', message: expect.stringMatching(/score "hostile".*"high"/) })]);
  await expect(loadAudit(join(tmp, 'nowhere'))).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
});
