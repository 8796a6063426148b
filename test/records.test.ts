import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BtlError } from '../src/errors';
import { CsvParser, isSkipped, readRecords, type RecordItem, type RecordRow } from '../src/records';

const FIX = join(__dirname, 'fixtures', 'records');
const tmp = mkdtempSync(join(tmpdir(), 'btl-records-'));

async function all(path: string, opts = {}): Promise<RecordItem[]> {
  const out: RecordItem[] = [];
  for await (const r of readRecords(path, opts)) out.push(r);
  return out;
}

async function failure(p: Promise<unknown>): Promise<BtlError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof BtlError) return err;
    throw err;
  }
  throw new Error('expected a BtlError');
}

function file(name: string, content: string | Buffer): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

const rows = (items: RecordItem[]): RecordRow[] => items.filter((x): x is RecordRow => !isSkipped(x));
const skips = (items: RecordItem[]) => items.filter(isSkipped);

describe('readRecords: CSV', () => {
  test('reads records with start lines, reports bad rows and goes on', async () => {
    const items = await all(join(FIX, 'comments.csv'), { require: ['text'] });
    expect(rows(items).map((r) => [r.fields.id, r.line])).toEqual([
      ['1', 2],
      ['2', 3],
      ['5', 8],
    ]);
    expect(rows(items)[1].fields.text).toBe('A reply\nover two lines, with "quotes"');
    expect(rows(items)[1].fields.author).toBe('bob');
    const s = skips(items);
    expect(s.map((x) => [x.line, x.code])).toEqual([
      [5, 'E_CSV'],
      [6, 'E_CSV'],
    ]);
    expect(s[0].message).toMatch(/quote/);
    expect(s[1].message).toMatch(/4 fields, the header has 3/);
    expect(s[0].file).toBe(join(FIX, 'comments.csv'));
  });

  test('missing text column names the file and the columns present', async () => {
    const err = await failure(all(join(FIX, 'comments.csv'), { require: ['body'] }));
    expect(err.code).toBe('E_COLUMN');
    expect(err.describe()).toContain('comments.csv');
    expect(err.message).toContain('id, text, author');
  });

  test('an unclosed quote costs one record, the lines after it are read', async () => {
    const p = file('unclosed.csv', 'text,n\n"never closed,1\nnext,2\n"later" ok,3\nlast,4\n');
    const items = await all(p);
    expect(rows(items).map((r) => r.fields.text)).toEqual(['next', 'last']);
    expect(skips(items).map((s) => s.line)).toEqual([2, 4]);
  });

  test('an unclosed quote at the end of the file is reported', async () => {
    const items = await all(file('eofquote.csv', 'text\nok\n"runs to the end\nand more\n'));
    expect(rows(items).map((r) => r.fields.text)).toEqual(['ok', 'and more']);
    expect(skips(items)[0]).toMatchObject({ line: 3, code: 'E_CSV' });
  });

  test('a record over the size limit is skipped without losing the next ones', async () => {
    const big = 'x'.repeat(5000);
    const p = file('big.csv', `text,n\nsmall,1\n"${big}\n${big}",2\nafter,3\n${big},4\nend,5\n`);
    const items = await all(p, { maxRecordChars: 1000 });
    expect(rows(items).map((r) => [r.fields.text, r.line])).toEqual([
      ['small', 2],
      ['after', 5],
      ['end', 7],
    ]);
    expect(skips(items).map((s) => [s.line, s.code])).toEqual([
      [3, 'E_TOO_LARGE'],
      [6, 'E_TOO_LARGE'],
    ]);
  });

  test('a 10 MB comment is skipped with the default limit', async () => {
    const p = file('huge.csv', `text\nbefore\n"${'word '.repeat(2_000_000)}"\nafter\n`);
    const items = await all(p);
    expect(rows(items).map((r) => r.fields.text)).toEqual(['before', 'after']);
    expect(skips(items)).toEqual([expect.objectContaining({ line: 3, code: 'E_TOO_LARGE' })]);
  });

  test('same records whatever the chunk boundaries', () => {
    const text = 'a,b\r\n"x,1","y ""q"""\r\n\r\n2,"multi\r\nline"\r\n3,\r\n';
    const one = new CsvParser('f');
    const whole = one.end(one.push(text));
    const p = new CsvParser('f');
    const pieces: RecordItem[] = [];
    for (const ch of text) p.push(ch, pieces);
    p.end(pieces);
    expect(pieces).toEqual(whole);
    expect(rows(pieces).map((r) => [r.fields, r.line])).toEqual([
      [{ a: 'x,1', b: 'y "q"' }, 2],
      [{ a: '2', b: 'multi\r\nline' }, 4],
      [{ a: '3', b: '' }, 6],
    ]);
  });

  test('tab-separated and a UTF-8 byte-order mark', async () => {
    const p = file('bom.tsv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('text\tauthor\nhéllo\tzoë\n')]));
    const items = await all(p, { require: ['text'] });
    expect(rows(items)[0].fields).toEqual({ text: 'héllo', author: 'zoë' });
  });

  test('UTF-16 LE with BOM and without', async () => {
    const body = 'text,n\n“curly” café,1\n';
    const withBom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]);
    expect(rows(await all(file('u16bom.csv', withBom)))[0].fields.text).toBe('“curly” café');
    expect(rows(await all(file('u16.csv', Buffer.from(body, 'utf16le'))))[0].fields.text).toBe('“curly” café');
  });

  test('windows-1252 is read as such, smart quotes included', async () => {
    const bytes = Buffer.from([...Buffer.from('text\n'), 0x93, ...Buffer.from('caf'), 0xe9, 0x94, 0x20, 0x80, 0x0a]);
    expect(rows(await all(file('cp1252.csv', bytes)))[0].fields.text).toBe('“café” €');
  });

  test('invalid UTF-8 deep in a UTF-8 file skips only its record (E_DECODE with the line); rows before and after are kept', async () => {
    const before = Array.from({ length: 7990 }, (_, i) => `comment ${i} é,a${i}\n`).join('');
    const after = Array.from({ length: 9 }, (_, i) => `after ${i} ü,b${i}\n`).join('');
    const bytes = Buffer.concat([Buffer.from('text,author\n' + before), Buffer.from('bad '), Buffer.from([0xff, 0xfe]), Buffer.from(' row,x\n'), Buffer.from(after)]);
    const items = await all(file('bad-utf8.csv', bytes));
    const got = rows(items);
    expect(got).toHaveLength(7999);
    expect(got[7989].fields.text).toBe('comment 7989 é');
    expect(got[7990]).toMatchObject({ line: 7993, fields: { text: 'after 0 ü', author: 'b0' } });
    expect(got.some((r) => r.fields.text.includes('\ufffd'))).toBe(false);
    expect(skips(items)).toEqual([expect.objectContaining({ code: 'E_DECODE', line: 7992, file: expect.stringContaining('bad-utf8.csv') })]);
  });

  test('invalid UTF-8 inside a quoted multi-line CSV field skips that record, naming the bad line', async () => {
    const head = 'text\n' + 'ok é\n'.repeat(20000);
    const bytes = Buffer.concat([Buffer.from(head + '"first line\nsecond '), Buffer.from([0xc3, 0x28]), Buffer.from('"\nlast\n')]);
    const items = await all(file('bad-quoted.csv', bytes));
    expect(rows(items).map((r) => r.fields.text).slice(-2)).toEqual(['ok é', 'last']);
    expect(rows(items)).toHaveLength(20001);
    expect(skips(items)).toEqual([expect.objectContaining({ code: 'E_DECODE', line: 20003 })]);
    expect(skips(items)[0].message).toContain('record starting at line 20002');
  });
  test('empty input, header only, binary, folder, missing file', async () => {
    expect((await failure(all(file('empty.csv', '')))).code).toBe('E_EMPTY');
    expect((await failure(all(file('blank.csv', '\n \n')))).code).toBe('E_EMPTY');
    expect((await failure(all(file('header.csv', 'text,author\n')))).code).toBe('E_EMPTY');
    expect((await failure(all(file('bin.csv', Buffer.from([1, 2, 0, 3, 0, 0, 5]))))).code).toBe('E_BINARY');
    expect((await failure(all(tmp))).code).toBe('E_IS_DIR');
    expect((await failure(all(join(tmp, 'nope.csv')))).code).toBe('E_NOT_FOUND');
  });
});

describe('readRecords: JSONL', () => {
  test('invalid UTF-8 on one JSONL line skips that line only', async () => {
    const lines = Array.from({ length: 9000 }, (_, i) => JSON.stringify({ text: `c${i} ☃` })).join('\n');
    const bytes = Buffer.concat([Buffer.from(lines + '\n{"text":"x'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}\n{"text":"end"}\n')]);
    const items = await all(file('bad-utf8.jsonl', bytes));
    expect(rows(items)).toHaveLength(9001);
    expect(rows(items)[9000]).toMatchObject({ line: 9002, fields: { text: 'end' } });
    expect(skips(items).map((s) => [s.line, s.code])).toEqual([[9001, 'E_DECODE']]);
  });

  test('reads objects, stringifies values, reports bad lines', async () => {
    const items = await all(join(FIX, 'comments.jsonl'), { require: ['text'] });
    expect(rows(items).map((r) => [r.line, r.fields])).toEqual([
      [1, { id: '1', text: 'First comment', author: 'ann', score: '3' }],
      [2, { id: '2', text: 'Second, with a "quote"' }],
      [6, { id: '3', text: '', extra: '{"a":1}' }],
    ]);
    expect(skips(items).map((s) => [s.line, s.code])).toEqual([
      [3, 'E_CSV'],
      [5, 'E_CSV'],
    ]);
    expect(skips(items)[0].message).toMatch(/invalid JSON/);
  });

  test('first record without the text field is E_COLUMN; later ones are skipped', async () => {
    expect((await failure(all(file('nocol.jsonl', '{"body":"x"}\n'), { require: ['text'] }))).code).toBe('E_COLUMN');
    const items = await all(file('latercol.jsonl', '{"text":"a"}\n{"body":"x"}\n'), { require: ['text'] });
    expect(skips(items)).toEqual([expect.objectContaining({ line: 2, code: 'E_COLUMN' })]);
  });

  test('over-long line skipped, next line read', async () => {
    const p = file('long.jsonl', `{"text":"${'y'.repeat(3000)}"}\n{"text":"ok"}\n`);
    const items = await all(p, { maxRecordChars: 500 });
    expect(skips(items)).toEqual([expect.objectContaining({ line: 1, code: 'E_TOO_LARGE' })]);
    expect(rows(items)).toEqual([{ file: p, line: 2, fields: { text: 'ok' }, values: { text: 'ok' } }]);
  });

  test('format sniffed from content on stdin', async () => {
    const stdin = Readable.from([Buffer.from('{"text":"from stdin"}\n')]);
    expect(rows(await all('-', { stdin }))[0]).toMatchObject({ file: '-', line: 1, fields: { text: 'from stdin' } });
    const csvIn = Readable.from([Buffer.from('text\nplain\n')]);
    expect(rows(await all('-', { stdin: csvIn }))[0].fields).toEqual({ text: 'plain' });
  });
});
