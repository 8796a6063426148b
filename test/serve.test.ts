import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { LABELS, LABEL_NAMES } from '../src/labels';
import { train } from '../src/model';
import { loadModel, toJson } from '../src/score';
import type { Scorer } from '../src/score/types';
import { API_ERRORS, buildServer, sentences, serve } from '../src/serve';
import { fakeScorer } from './helpers/fake-scorer';

const tmp = mkdtempSync(join(tmpdir(), 'btl-serve-'));
const FIXTURE = join(__dirname, 'fixtures', 'serve', 'comments.csv');
let real: Scorer;
let app: FastifyInstance; // the tiny real model
let fake: FastifyInstance; // the cue-word stand-in: deterministic decisions

beforeAll(async () => {
  await train({ data: [FIXTURE], out: join(tmp, 'model-a'), epochs: 30, heldOut: 0.25, seed: 1 });
  real = await loadModel(join(tmp, 'model-a'));
  app = await buildServer({ scorer: real, logger: false, maxBatch: 5, maxTextLength: 500 });
  fake = await buildServer({ scorer: fakeScorer(), logger: false });
});

afterAll(async () => {
  await app.close();
  await fake.close();
  rmSync(tmp, { recursive: true, force: true });
});

const post = (a: FastifyInstance, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  a.inject({ method: 'POST', url, payload: payload as string, headers: { 'content-type': 'application/json', ...headers } });

const analyze = (payload: unknown) => post(app, '/v1/comments:analyze', payload);

const ALL_ATTRS = Object.fromEntries(LABELS.map((l) => [l.attribute, {}]));

describe('POST /v1/comments:analyze', () => {
  test('answers in the Perspective shape with the same probabilities as /v1/score', async () => {
    const text = 'you are a pathetic idiot and the flood was staged';
    const res = await analyze({ comment: { text }, requestedAttributes: ALL_ATTRS, doNotStore: true, clientToken: 'abc' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.languages).toEqual(['en']);
    expect(body.clientToken).toBe('abc');
    const [expected] = real.score([text]);
    expect(Object.keys(body.attributeScores).sort()).toEqual(LABELS.map((l) => l.attribute).sort());
    for (const l of LABELS) {
      expect(body.attributeScores[l.attribute].summaryScore.type).toBe('PROBABILITY');
      expect(body.attributeScores[l.attribute].summaryScore.value).toBeCloseTo(expected.scores[l.name], 4);
      expect(body.attributeScores[l.attribute].spanScores).toBeUndefined();
    }
  });

  test('HTML comment text nested too deep to parse safely is refused with 413, not a 500', async () => {
    const deep = `${'<b>'.repeat(2500)}you idiot${'</b>'.repeat(2500)}`;
    const res = await post(fake, '/v1/comments:analyze', { comment: { text: deep, type: 'HTML' }, requestedAttributes: ALL_ATTRS });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('E_BODY_TOO_LARGE');
    expect(res.json().error.message).toMatch(/nested deeper/);
  });

  test('the colon path is routed and also answers under /v1alpha1; a path without the verb is 404', async () => {
    const ok = await post(app, '/v1alpha1/comments:analyze', { comment: { text: 'hello there' }, requestedAttributes: ALL_ATTRS });
    expect(ok.statusCode).toBe(200);
    const missing = await post(app, '/v1/comments', { comment: { text: 'hello' }, requestedAttributes: ALL_ATTRS });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('E_NOT_FOUND');
  });

  test('an attribute scoring below its scoreThreshold is left out, as Perspective does', async () => {
    const [first, second] = LABELS;
    const res = await analyze({
      comment: { text: 'thanks for the clear article about the library' },
      requestedAttributes: { [first.attribute]: { scoreThreshold: 1 }, [second.attribute]: { scoreThreshold: 0 } },
    });
    const scores = res.json().attributeScores;
    expect(scores[first.attribute]).toBeUndefined();
    expect(scores[second.attribute].summaryScore.value).toBeGreaterThanOrEqual(0);
    // only what was asked for comes back
    const one = await analyze({ comment: { text: 'hello' }, requestedAttributes: { [second.attribute]: {} } });
    expect(Object.keys(one.json().attributeScores)).toEqual([second.attribute]);
  });

  test('spanAnnotations gives one span per sentence, each scored on its own', async () => {
    const text = 'You are a worthless troll.  The fires were set deliberately by the developers!\nGood photos though';
    const res = await analyze({ comment: { text }, requestedAttributes: ALL_ATTRS, spanAnnotations: true });
    const body = res.json();
    const parts = ['You are a worthless troll.', 'The fires were set deliberately by the developers!', 'Good photos though'];
    const alone = real.score(parts);
    for (const l of LABELS) {
      const spans = body.attributeScores[l.attribute].spanScores;
      expect(spans.map((s: { begin: number; end: number }) => text.slice(s.begin, s.end))).toEqual(parts);
      spans.forEach((s: { score: { value: number; type: string } }, i: number) => {
        expect(s.score.type).toBe('PROBABILITY');
        expect(s.score.value).toBeCloseTo(alone[i].scores[l.name], 4);
      });
    }
  });

  test('HTML comments are read as text', async () => {
    const res = await analyze({ comment: { text: '<p>you <b>pathetic</b> idiot</p>', type: 'HTML' }, requestedAttributes: ALL_ATTRS, spanAnnotations: true });
    const [expected] = real.score(['you pathetic idiot']);
    const h = res.json().attributeScores[LABELS[0].attribute];
    expect(h.summaryScore.value).toBeCloseTo(expected.scores[LABELS[0].name], 4);
    expect(h.spanScores[0].end).toBe('you pathetic idiot'.length);
  });

  test('an unknown attribute is a 400 that lists the known ones', async () => {
    const res = await analyze({ comment: { text: 'hi' }, requestedAttributes: { TOXICITY: {} } });
    expect(res.statusCode).toBe(400);
    const e = res.json().error;
    expect(e.code).toBe('E_UNKNOWN_ATTRIBUTE');
    expect(e.message).toContain('TOXICITY');
    for (const l of LABELS) expect(e.message).toContain(l.attribute);
  });

  test.each([
    [{ comment: { text: 'hi' }, requestedAttributes: { HOSTILE: { scoreType: 'STD_DEV' } } }, 'E_UNSUPPORTED'],
    [{ comment: { text: 'hi' }, requestedAttributes: ALL_ATTRS, languages: ['de'] }, 'E_UNSUPPORTED'],
    [{ comment: { text: '   ' }, requestedAttributes: ALL_ATTRS }, 'E_EMPTY'],
    [{ comment: { text: 'x'.repeat(501) }, requestedAttributes: ALL_ATTRS }, 'E_TEXT_TOO_LONG'],
    [{ comment: { text: 'hi' }, requestedAttributes: {} }, 'E_INVALID'],
    [{ comment: { text: 42 }, requestedAttributes: ALL_ATTRS }, 'E_INVALID'],
    [{ comment: { text: 'hi' }, requestedAttributes: { HOSTILE: { scoreThreshold: 2 } } }, 'E_INVALID'],
    [{ requestedAttributes: ALL_ATTRS }, 'E_INVALID'],
  ])('bad request %# gets its error code', async (payload, code) => {
    const res = await analyze(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
  });

  test('languages with en are accepted', async () => {
    const res = await analyze({ comment: { text: 'hi' }, requestedAttributes: ALL_ATTRS, languages: ['en-GB'] });
    expect(res.statusCode).toBe(200);
  });
});

describe('POST /v1/score', () => {
  test('returns the btl score --json objects in order', async () => {
    const texts = ['shut up you worthless troll', 'the bus timetable changed', 'they staged the whole thing with actors'];
    const res = await post(app, '/v1/score', { texts });
    expect(res.statusCode).toBe(200);
    const { results } = res.json();
    const expected = real.score(texts);
    expect(results.map((r: { text: string }) => r.text)).toEqual(texts);
    results.forEach((r: { scores: Record<string, number>; flags: string[]; spans: { start: number; end: number; label: string; weight: number }[] }, i: number) => {
      expect(Object.keys(r.scores)).toEqual([...LABEL_NAMES]);
      for (const l of LABEL_NAMES) expect(r.scores[l]).toBeCloseTo(expected[i].scores[l], 4);
      expect(r.flags).toEqual(expected[i].flags);
      expect(r.spans.length).toBe(expected[i].spans.length);
      for (const sp of r.spans) expect(texts[i].slice(sp.start, sp.end).length).toBeGreaterThan(0);
    });
  });

  test('each result is exactly toJson of the scorer result (the shape btl score --json prints)', async () => {
    const texts = ['you absolute clown', 'a calm note about parking'];
    const { results } = (await post(app, '/v1/score', { texts })).json();
    expect(results).toEqual(real.score(texts).map(toJson));
  });

  test('thresholds in the request decide the flags', async () => {
    const texts = ['shut up you worthless troll', 'the bus timetable changed'];
    const all = Object.fromEntries(LABEL_NAMES.map((l) => [l, 0]));
    const none = Object.fromEntries(LABEL_NAMES.map((l) => [l, 1]));
    const a = (await post(app, '/v1/score', { texts, thresholds: all })).json().results;
    const b = (await post(app, '/v1/score', { texts, thresholds: none })).json().results;
    for (const r of a) expect(r.flags).toEqual([...LABEL_NAMES]);
    for (const r of b) expect(r.flags).toEqual([]);
  });

  test.each([
    [{ texts: ['a'], model: '/etc' }, 'E_INVALID'],
    [{ texts: ['a'], thresholds: { toxicity: 0.5 } }, 'E_INVALID'],
    [{ texts: 'a' }, 'E_INVALID'],
    [{ texts: [1] }, 'E_INVALID'],
    [{ texts: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'E_BATCH_TOO_LARGE'],
    [{ texts: ['ok', 'y'.repeat(501)] }, 'E_TEXT_TOO_LONG'],
    [{ texts: ['ok', '   '] }, 'E_EMPTY'],
    [{ texts: ['\t'] }, 'E_EMPTY'],
    [{ texts: [''] }, 'E_EMPTY'],
  ])('bad request %# gets its error code', async (payload, code) => {
    const res = await post(app, '/v1/score', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
  });
});

describe('POST /v1/split', () => {
  const PAGE = `<html><head><title>Library hours cut</title></head><body>
<article><h1>Library hours cut</h1><p>The council voted on Thursday to close the library two days a week, citing a budget gap of two hundred thousand pounds.</p><p>The decision takes effect next month after a short consultation with residents.</p></article>
<section id="comments"><h2>2 Comments</h2><ol class="commentlist">
<li class="comment"><div class="comment-author">Dave</div><div class="comment-content"><p>What a brainless moron the mayor is.</p></div></li>
<li class="comment"><div class="comment-author">Ann</div><div class="comment-content"><p>My kids use it every week, sad news.</p></div></li>
</ol></section></body></html>`;

  test('a raw HTML page comes back split, each comment scored', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/split', payload: PAGE, headers: { 'content-type': 'text/html' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.title).toBe('Library hours cut');
    expect(body.body).toContain('close the library');
    expect(body.comments.map((c: { author: string }) => c.author)).toEqual(['Dave', 'Ann']);
    const expected = real.score(body.comments.map((c: { text: string }) => c.text));
    body.comments.forEach((c: { scores: Record<string, number>; flags: string[] }, i: number) => {
      for (const l of LABEL_NAMES) expect(c.scores[l]).toBeCloseTo(expected[i].scores[l], 4);
      expect(c.flags).toEqual(expected[i].flags);
    });
  });

  test('the same page as JSON gives the same answer', async () => {
    const raw = (await app.inject({ method: 'POST', url: '/v1/split', payload: PAGE, headers: { 'content-type': 'text/html' } })).json();
    const json = (await post(app, '/v1/split', { page: PAGE, format: 'html' })).json();
    expect(json).toEqual(raw);
  });

  const pageWith = (comments: string[]) =>
    PAGE.replace(/<li class="comment">[\s\S]*<\/li>/, comments.map((c, i) => `<li class="comment"><div class="comment-author">U${i}</div><div class="comment-content"><p>${c}</p></div></li>`).join('\n'));

  test('the comment limits hold: --max-batch comments per page, --max-text-length per comment', async () => {
    // the page itself splits: within the limits it is a 200 with every comment
    const ok = await post(app, '/v1/split', { page: pageWith(['first reply here.', 'second reply here.']), format: 'html' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().comments).toHaveLength(2);
    const many = await post(app, '/v1/split', { page: pageWith(Array.from({ length: 6 }, (_, i) => `reply number ${i} here.`)), format: 'html' });
    expect(many.statusCode).toBe(400);
    expect(many.json().error.code).toBe('E_BATCH_TOO_LARGE');
    const long = await post(app, '/v1/split', { page: pageWith(['short reply.', `${'word '.repeat(120)}end.`]), format: 'html' });
    expect(long.statusCode).toBe(400);
    expect(long.json().error).toMatchObject({ code: 'E_TEXT_TOO_LONG' });
    expect(long.json().error.message).toMatch(/^comments\[1\] is \d+ characters; at most 500/);
  });

  test('empty page, unknown format and extra fields are 400s', async () => {
    expect((await post(app, '/v1/split', { page: '  ' })).json().error.code).toBe('E_EMPTY');
    expect((await post(app, '/v1/split', { page: 'x', format: 'pdf' })).json().error.code).toBe('E_INVALID');
    expect((await post(app, '/v1/split', { page: 'x', path: '/etc/passwd' })).json().error.code).toBe('E_INVALID');
  });
});

describe('POST /v1/coral', () => {
  const coral = (a: FastifyInstance, body: string) =>
    post(a, '/v1/coral', { action: 'NEW', comment: { body, parentID: null }, author: { id: 'u1', role: 'COMMENTER' }, story: { id: 's1', url: 'https://news.example/s1' }, site: { id: 'site' } });

  test('hostile over the threshold is rejected with a reason naming the label and score', async () => {
    const res = await coral(fake, 'you idiot');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('REJECTED');
    expect(body.actions).toHaveLength(1);
    expect(body.actions[0]).toMatchObject({ actionType: 'FLAG', reason: 'COMMENT_DETECTED_TOXIC' });
    expect(body.actions[0].additionalDetails).toMatch(/hostile 0\.59 >= threshold 0\.50/);
    expect(body.metadata.btl).toMatchObject({ decision: 'reject', model: 'fake-1', reasons: [{ label: 'hostile', near: false }] });
  });

  test('conspiratorial is held for a moderator (SYSTEM_WITHHELD), reject wins when both', async () => {
    const held = (await coral(fake, 'it was staged')).json();
    expect(held.status).toBe('SYSTEM_WITHHELD');
    expect(held.actions[0].additionalDetails).toContain('conspiratorial');
    expect(held.metadata.btl.decision).toBe('hold');
    const both = (await coral(fake, 'you idiot, it was staged')).json();
    expect(both.status).toBe('REJECTED');
    expect(both.metadata.btl.reasons.map((r: { label: string }) => r.label)).toEqual(['hostile', 'conspiratorial']);
  });

  test('a clean comment gets 204 (no decision); HTML bodies are read as text', async () => {
    const clean = await coral(fake, 'thanks for the article');
    expect(clean.statusCode).toBe(204);
    expect(clean.body).toBe('');
    expect((await coral(fake, '<p>you <em>idiot</em></p>')).json().status).toBe('REJECTED');
  });

  test('near the threshold is held, with near: true', async () => {
    const near = await buildServer({ scorer: fakeScorer(), logger: false, coralHoldMargin: 0.46 });
    const body = (await coral(near, 'a calm comment')).json();
    expect(body.status).toBe('SYSTEM_WITHHELD');
    expect(body.metadata.btl.reasons.every((r: { near: boolean }) => r.near)).toBe(true);
    expect(body.actions[0].additionalDetails).toContain('near threshold');
    await near.close();
  });

  test('the real model answers too, and a missing body is a 400', async () => {
    const res = await coral(app, 'you are a pathetic idiot and everyone here knows it');
    expect([200, 204]).toContain(res.statusCode);
    expect((await post(app, '/v1/coral', { comment: {} })).json().error.code).toBe('E_INVALID');
  });
});

describe('errors and limits', () => {
  test('every error code is documented with its status in src/serve/README.md', () => {
    const doc = readFileSync(join(__dirname, '..', 'src', 'serve', 'README.md'), 'utf8');
    for (const [code, { status }] of Object.entries(API_ERRORS)) {
      expect(doc).toMatch(new RegExp(`^\\| ${code} \\| ${status} \\|`, 'm'));
    }
    const documented = [...doc.matchAll(/^\| (E_[A-Z_]+) \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(API_ERRORS).sort());
  });

  test.each([
    ['not json', '{"texts": [', 'application/json', 400, 'E_BAD_JSON'],
    ['empty json', '', 'application/json', 400, 'E_BAD_JSON'],
    ['prototype poisoning', '{"texts": ["a"], "__proto__": {"x": 1}}', 'application/json', 400, 'E_BAD_JSON'],
    ['text to a JSON route', 'hello', 'text/plain', 415, 'E_MEDIA_TYPE'],
    ['a form', 'texts=a', 'application/x-www-form-urlencoded', 415, 'E_MEDIA_TYPE'],
  ])('%s gets its error code', async (_name, payload, type, status, code) => {
    const res = await app.inject({ method: 'POST', url: '/v1/score', payload, headers: { 'content-type': type } });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  test('a body over the limit is a 413', async () => {
    const small = await buildServer({ scorer: fakeScorer(), logger: false, bodyLimit: 100 });
    const res = await post(small, '/v1/score', { texts: ['z'.repeat(200)] });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('E_BODY_TOO_LARGE');
    await small.close();
  });

  test('a scorer failure is a 500 with the request id, and the server keeps serving', async () => {
    const broken = fakeScorer();
    const score = broken.score.bind(broken);
    broken.score = (texts, o) => {
      if (texts.includes('boom')) throw new Error('kaboom /secret/path');
      return score(texts, o);
    };
    const a = await buildServer({ scorer: broken, logger: false });
    const res = await post(a, '/v1/score', { texts: ['boom'] });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('E_INTERNAL');
    expect(res.body).not.toContain('secret');
    expect((await post(a, '/v1/score', { texts: ['fine'] })).statusCode).toBe(200);
    await a.close();
  });

  test('random bodies never produce a 500', async () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = (): unknown => {
      const pick = [null, true, 0, -1, 1e308, '', 'x', '\u0000', [], {}, ['a'], { text: 'a' }, { body: 'b' }, 'a'.repeat(600)];
      return pick[Math.floor(rand() * pick.length)];
    };
    const keys = ['comment', 'requestedAttributes', 'texts', 'page', 'format', 'thresholds', 'spanAnnotations', 'text', 'body', 'HOSTILE', 'constructor'];
    const urls = ['/v1/comments:analyze', '/v1/score', '/v1/split', '/v1/coral'];
    for (let i = 0; i < 200; i++) {
      const body: Record<string, unknown> = {};
      for (let k = 0; k < 3; k++) body[keys[Math.floor(rand() * keys.length)]] = rand() < 0.3 ? { [keys[Math.floor(rand() * keys.length)]]: values() } : values();
      const res = await post(app, urls[i % urls.length], body);
      expect(res.statusCode).toBeLessThan(500);
      if (res.statusCode >= 400) expect(Object.keys(API_ERRORS)).toContain(res.json().error.code);
    }
  });
});

describe('health, metrics and reload', () => {
  test('/healthz names the model; /metrics counts requests, latency, flags and the model version', async () => {
    const a = await buildServer({ scorer: fakeScorer(), logger: false });
    expect((await a.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ status: 'ok', model: 'fake-1' });
    await post(a, '/v1/score', { texts: ['you idiot', 'it was staged', 'you moron'] });
    await post(a, '/v1/score', { texts: 'nope' });
    await post(a, '/v1/comments:analyze', { comment: { text: 'hi' }, requestedAttributes: ALL_ATTRS });
    const res = await a.inject({ method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    const m = res.body;
    expect(m).toContain('btl_http_requests_total{method="POST",route="/v1/score",status="200"} 1');
    expect(m).toContain('btl_http_requests_total{method="POST",route="/v1/score",status="400"} 1');
    expect(m).toContain('btl_http_requests_total{method="POST",route="/v1/comments:analyze",status="200"} 1');
    expect(m).toContain('btl_http_request_duration_seconds_count{route="/v1/score"} 2');
    expect(m).toMatch(/btl_http_request_duration_seconds_bucket\{route="\/v1\/score",le="\+Inf"\} 2/);
    expect(m).toContain('btl_flags_total{label="hostile"} 2');
    expect(m).toContain('btl_flags_total{label="conspiratorial"} 1');
    expect(m).toContain('btl_comments_scored_total 4');
    expect(m).toContain('btl_model_info{version="fake-1",dir="/fake/model"} 1');
    await a.close();
  });

  test('a reload swaps in the new model; a failed reload keeps the old one', async () => {
    const dir = join(tmp, 'live');
    cpSync(join(tmp, 'model-a'), dir, { recursive: true });
    const a = await buildServer({ model: dir, load: loadModel, logger: false });
    const before = (await a.inject({ method: 'GET', url: '/healthz' })).json().model;
    expect(before).toBe(real.version);

    writeFileSync(join(dir, 'manifest.json'), '{ broken');
    const failed = await a.reloadModel();
    expect(failed.ok).toBe(false);
    expect(failed.error).toBeTruthy();
    expect((await a.inject({ method: 'GET', url: '/healthz' })).json().model).toBe(before);
    expect((await post(a, '/v1/score', { texts: ['still serving'] })).statusCode).toBe(200);

    await train({ data: [FIXTURE], out: join(tmp, 'model-b'), epochs: 5, heldOut: 0.25, seed: 2 });
    rmSync(dir, { recursive: true });
    cpSync(join(tmp, 'model-b'), dir, { recursive: true });
    const ok = await a.reloadModel();
    expect(ok.ok).toBe(true);
    expect(ok.version).not.toBe(before);
    expect((await a.inject({ method: 'GET', url: '/healthz' })).json().model).toBe(ok.version);
    const m = (await a.inject({ method: 'GET', url: '/metrics' })).body;
    expect(m).toContain('btl_model_reloads_total{result="ok"} 1');
    expect(m).toContain('btl_model_reloads_total{result="failed"} 1');
    expect(m).toContain(`btl_model_info{version="${ok.version}"`);
    await a.close();
  });

  test('serve() listens and reloads on SIGHUP', async () => {
    let loads = 0;
    const load = async () => ({ ...fakeScorer(), version: `fake-${++loads}` }) as Scorer;
    const s = await serve({ load, port: 0, logger: false });
    try {
      const health = async () => ((await fetch(`${s.url}/healthz`)).json() as Promise<{ model: string }>);
      expect((await health()).model).toBe('fake-1');
      process.emit('SIGHUP', 'SIGHUP');
      await new Promise((r) => setTimeout(r, 50));
      expect((await health()).model).toBe('fake-2');
    } finally {
      await s.close();
    }
  });
});

test('sentences() trims and never returns empty ranges', () => {
  const t = '  One.  Two?!\n\nThree';
  expect(sentences(t).map((r) => t.slice(r.begin, r.end))).toEqual(['One.', 'Two?!', 'Three']);
  expect(sentences('   ')).toEqual([]);
});
