/**
 * Load benchmark for `btl serve` (issue 5). Run after a build:
 *   npm run bench:serve    (node dist/scripts/bench-serve.js [--duration 10] [--connections 10] [--model DIR])
 * Starts `btl serve` as a child process on a free loopback port, then drives it with autocannon
 * from this process: single comments to POST /v1/comments:analyze, and batches of 100 to
 * POST /v1/score. Comments are the project's own data/comments/*.csv texts. Prints requests/s,
 * comments/s and p50/p99 latency per case, the command, the core count and the load average
 * (other jobs on a shared machine skew the numbers). Targets on 2 cores: >= 2,000 single-comment
 * requests/s with p99 < 25 ms.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { isSkipped, readRecords } from '../src/records';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<Result>;
const autocannon = require('autocannon') as Autocannon;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function comments(): Promise<string[]> {
  const dir = join(ROOT, 'data', 'comments');
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
    for await (const r of readRecords(join(dir, f), { require: ['text'] })) if (!isSkipped(r) && r.fields.text.trim()) out.push(r.fields.text);
  }
  return out;
}

function start(model: string | undefined): Promise<{ url: string; stop: () => void }> {
  const args = [CLI, 'serve', '--port', '0', ...(model ? ['--model', model] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolvePromise, reject) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolvePromise({ url: m[1], stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`btl serve exited (${code}): ${err.trim()}`)));
  });
}

async function run(url: string, title: string, requests: { method: string; path: string; headers: Record<string, string>; body: string }[], connections: number, duration: number, perRequest: number) {
  await autocannon({ url, connections, duration: 2, requests }); // warm-up
  const r = await autocannon({ url, connections, duration, requests });
  return {
    title,
    connections,
    rps: r.requests.average,
    comments: r.requests.average * perRequest,
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.errors + r.timeouts + r.non2xx,
  };
}

async function main(): Promise<number> {
  if (!existsSync(CLI)) {
    process.stderr.write('bench-serve: dist/src/cli/main.js is missing; run `npx tsc -p tsconfig.build.json` first\n');
    return 2;
  }
  const duration = Number(arg('duration') ?? 10);
  const connections = Number(arg('connections') ?? 10); // autocannon's own default
  const model = arg('model');
  const texts = await comments();
  if (texts.length < 100) {
    process.stderr.write('bench-serve: data/comments/*.csv not found or too small (need 100 comments)\n');
    return 2;
  }
  const server = await start(model);
  const headers = { 'content-type': 'application/json' };
  try {
    const single = texts.slice(0, 500).map((text) => ({
      method: 'POST',
      path: '/v1/comments:analyze',
      headers,
      body: JSON.stringify({ comment: { text }, requestedAttributes: { HOSTILE: {}, CONSPIRATORIAL: {} } }),
    }));
    const batches = Array.from({ length: 10 }, (_, i) => ({
      method: 'POST',
      path: '/v1/score',
      headers,
      body: JSON.stringify({ texts: Array.from({ length: 100 }, (_, j) => texts[(i * 100 + j) % texts.length]) }),
    }));
    const rows = [
      await run(server.url, 'single comment, /v1/comments:analyze', single, connections, duration, 1),
      await run(server.url, 'batch of 100, /v1/score', batches, Math.max(2, Math.round(connections / 4)), duration, 100),
    ];
    const cmd = `node dist/scripts/bench-serve.js --duration ${duration} --connections ${connections}${model ? ` --model ${model}` : ''}`;
    const lines = [
      `btl serve load benchmark (loopback, autocannon, ${duration} s per case after a 2 s warm-up)`,
      `command: ${cmd}`,
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (shared machine: other jobs count), node ${process.version}`,
      `server: one btl serve process; the load generator runs in this process on the same cores`,
      '',
      '| case | connections | requests/s | comments/s | p50 ms | p99 ms | errors/non-2xx |',
      '|---|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.title} | ${r.connections} | ${Math.round(r.rps).toLocaleString('en')} | ${Math.round(r.comments).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.bad} |`),
      '',
      `targets (2 cores): single comment >= 2,000 requests/s: ${rows[0].rps >= 2000 ? 'met' : 'NOT met'}; p99 < 25 ms: ${rows[0].p99 < 25 ? 'met' : 'NOT met'}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return rows.some((r) => r.bad > 0) ? 1 : 0;
  } finally {
    server.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bench-serve: ${(err as Error)?.stack ?? err}\n`);
    process.exitCode = 1;
  },
);
