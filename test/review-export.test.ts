import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main';
import { readLabelled } from '../src/model/data';
import { readRecords } from '../src/records';
import { DecisionLog, decisionsPath, loadAudit } from '../src/review';
import { writeAuditFixture, type FixtureComment } from './helpers/review-fixture';
import { captureIo } from './helpers/cli';

const tmp = mkdtempSync(join(tmpdir(), 'btl-review-export-'));

const io = () => captureIo({ cwd: tmp });

async function rows(file: string) {
  const out: Record<string, string>[] = [];
  for await (const r of readRecords(file)) if ('fields' in r) out.push(r.fields);
  return out;
}

/** Invented comments, half of them hostile / conspiratorial, for a labelled export big enough to train on. */
function comments(): FixtureComment[] {
  const out: FixtureComment[] = [];
  const hostile = ['you pathetic worm', 'shut up you brainless troll', 'people like you are vermin', 'what a spineless coward'];
  const consp = ['the floods were staged by the council', 'they are hiding the real numbers from us', 'the whole vote was rigged by insiders', 'a cover-up, follow the money'];
  const plain = ['the bus timetable changed again', 'lovely photos of the harbour', 'I agree with the headteacher here', 'good to see the library open late'];
  for (let i = 0; i < 4; i++) {
    out.push({ article: 'A', author: `h${i}`, text: `${hostile[i]}, comment ${i}`, hostile: 0.8, conspiratorial: 0.1 });
    out.push({ article: 'B', author: `c${i}`, text: `${consp[i]}, comment ${i}`, hostile: 0.1, conspiratorial: 0.7 });
    out.push({ article: 'C', author: `p${i}`, text: `${plain[i]}, comment ${i}`, hostile: 0.3, conspiratorial: 0.2 });
  }
  return out;
}

test('export writes the decisions in force as training CSV, atomically, and readLabelled takes it', async () => {
  const dir = writeAuditFixture(join(tmp, 'audit1'));
  const audit = await loadAudit(dir);
  const log = DecisionLog.open(decisionsPath(dir));
  const [a, b, c] = audit.items;
  log.decide({ id: a.id, labels: { hostile: true, conspiratorial: false }, moderator: 'alice', text: a.text, article: a.article, author: a.author, at: new Date('2024-06-01T09:00:00Z') });
  log.decide({ id: b.id, labels: { hostile: false, conspiratorial: true }, moderator: 'bob', text: b.text, article: b.article, author: b.author });
  log.decide({ id: c.id, labels: { hostile: false, conspiratorial: false }, moderator: 'bob', text: c.text });
  log.undo('bob', c.id);
  log.close();

  const file = join(tmp, 'labels.csv');
  writeFileSync(file, 'old content\n');
  const cli = io();
  expect(await main(['review', dir, '--export', file], cli)).toBe(0);
  expect(cli.out()).toBe(`${file}\n`);
  expect(cli.err()).toMatch(/2 labelled comments written/);
  expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  const text = readFileSync(file, 'utf8');
  expect(text.split('\n')[0]).toBe('text,hostile,conspiratorial,article,author,decided_by,decided_at');
  const got = await rows(file);
  expect(got).toEqual([
    { text: a.text, hostile: '1', conspiratorial: '0', article: a.article, author: a.author, decided_by: 'alice', decided_at: '2024-06-01T09:00:00.000Z' },
    expect.objectContaining({ text: b.text, hostile: '0', conspiratorial: '1', decided_by: 'bob' }),
  ]);
  // the markup-laden fixture comment comes back byte for byte
  expect(got[0].text).toContain('<script>window.pwned=1</script>');
  const labelled = await readLabelled([file]);
  expect(labelled.skipped).toEqual([]);
  expect(labelled.rows.map((r) => Array.from(r.labels))).toEqual([[1, 0], [0, 1]]);
});

test('export usage errors: missing folder, no DIR', async () => {
  const e1 = io();
  expect(await main(['review', join(tmp, 'missing'), '--export', join(tmp, 'x.csv')], e1)).toBe(3);
  expect(e1.err()).toMatch(/missing: no such audit folder/);
  const e2 = io();
  expect(await main(['review'], e2)).toBe(2);
  expect(e2.err()).toMatch(/exactly one DIR/);
  expect(existsSync(join(tmp, 'x.csv'))).toBe(false);
});

test('btl train --from MODEL --data <export> accepts the exported labels', async () => {
  const dir = writeAuditFixture(join(tmp, 'audit2'), comments());
  const audit = await loadAudit(dir);
  const log = DecisionLog.open(decisionsPath(dir));
  for (const it of audit.items) {
    log.decide({ id: it.id, labels: { hostile: it.author.startsWith('h'), conspiratorial: it.author.startsWith('c') }, moderator: 'alice', text: it.text, article: it.article, author: it.author });
  }
  log.close();
  const labels = join(tmp, 'fresh.csv');
  expect(await main(['review', dir, '--export', labels], io())).toBe(0);

  // a small base model to continue from, trained on other invented rows
  const base = join(tmp, 'base.csv');
  const baseRows = ['text,hostile,conspiratorial'];
  for (let i = 0; i < 10; i++) {
    baseRows.push(`you idiot number ${i},1,0`, `it was all staged ${i},0,1`, `nice weather today ${i},0,0`);
  }
  writeFileSync(base, `${baseRows.join('\n')}\n`);
  const baseModel = join(tmp, 'model-base');
  const t1 = io();
  expect(await main(['train', '--data', base, '--out', baseModel, '--epochs', '2', '--seed', '1'], t1)).toBe(0);

  const next = join(tmp, 'model-next');
  const t2 = io();
  const code = await main(['train', '--from', baseModel, '--data', labels, '--out', next, '--epochs', '2', '--seed', '1', '--json'], t2);
  expect(t2.err()).not.toMatch(/skipped/);
  expect(code).toBe(0);
  const result = JSON.parse(t2.out());
  expect(result.skipped).toEqual([]);
  expect(result.manifest.training.from).toBeTruthy();
  expect(result.manifest.training.rows.train + result.manifest.training.rows.heldOut).toBe(12);
  expect(existsSync(join(next, 'manifest.json'))).toBe(true);
});
