import { existsSync, promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { BtlError, type Skipped } from '../errors';
import { isSkipped, readRecords, writeFileAtomic } from '../records';
import { Aggregator, type CommentRow } from './aggregate';
import { inputItems, inputSize } from './inputs';
import { CHECKPOINT_FILE, COMMENTS_FILE, CommentsFile, readCheckpoint, removeCheckpoint, REPORT_FILE, rowFromFields, rowToCsv, SUMMARY_FILE, writeCheckpoint, type Checkpoint } from './output';
import { ScorePool, type ScoreResult } from './pool';
import { reasonsText } from './reasons';
import { renderReport } from './report';
import type { AuditComment, AuditOptions, AuditResult } from './types';

interface Batch {
  input: number;
  /** Items of this input consumed up to the end of this batch. */
  items: number;
  /** The input's last batch. */
  inputDone: boolean;
  comments: AuditComment[];
  skips: Skipped[];
  pages: { source: string; comments: number }[];
}

/** Seconds between checkpoints. */
const CHECKPOINT_EVERY_MS = 1000;

/**
 * Audits comment dumps: every comment of every input is scored and written to `out/comments.csv`
 * as it goes; at the end `out/summary.json` and `out/report.html` are written (atomically).
 * Memory stays bounded: inputs are streamed, a few batches are in flight, totals are counters.
 * A checkpoint (written atomically after the rows it covers) lets `resume` continue a stopped
 * audit without repeating or losing rows. Stops cleanly (complete: false) when `signal` aborts.
 */
export async function audit(inputs: readonly string[], options: AuditOptions): Promise<AuditResult> {
  if (inputs.length === 0) throw new BtlError('E_USAGE', 'no inputs: give folders of pages, CSV or JSONL files, or -');
  if (inputs.filter((i) => i === '-').length > 1) throw new BtlError('E_USAGE', "'-' (stdin) can be given once");
  const out = options.out;
  const ids = inputs.map((i) => (i === '-' ? '-' : resolve(i)));
  const model = options.model;
  const signal = options.signal;
  const batchSize = options.batchSize ?? 256;
  await fsp.mkdir(out, { recursive: true }).catch((err: Error) => {
    throw new BtlError('E_IO', `cannot create the output folder: ${err.message}`, { file: out });
  });

  let cp: Checkpoint | null = null;
  if (options.resume) {
    cp = await readCheckpoint(out);
    if (!cp && existsSync(join(out, COMMENTS_FILE))) {
      throw new BtlError('E_USAGE', `no checkpoint (${CHECKPOINT_FILE}) beside ${COMMENTS_FILE}, so it cannot be resumed; run without --resume to start over`, { file: out });
    }
    if (cp && JSON.stringify(cp.inputs) !== JSON.stringify(ids)) {
      throw new BtlError('E_USAGE', `this folder holds an audit of other inputs (${cp.inputs.join(', ')}); give the same inputs, or another --out`, { file: out });
    }
    if (cp && cp.model !== model.version) {
      throw new BtlError('E_USAGE', `this audit was started with model ${cp.model}, not ${model.version}; resume with the same model`, { file: out });
    }
  }

  const agg = new Aggregator(options.reportLimit);
  const startedAt = cp?.startedAt ?? new Date().toISOString();
  // a fresh audit: the old checkpoint goes before comments.csv is cut, so a stop before the first
  // new checkpoint cannot leave one that points into the new file
  if (!cp) await removeCheckpoint(out);
  const comments = CommentsFile.open(out, cp?.commentsBytes);
  let pool: ScorePool | null = null;
  try {
    if (cp) {
      // totals of the rows already written, read back from comments.csv
      try {
        // our own output: no record limit, a long comment (with its reasons and spans) must count too
        for await (const r of readRecords(comments.path, { format: 'csv', maxRecordChars: Infinity })) if (!isSkipped(r)) agg.add(rowFromFields(r.fields));
      } catch (err) {
        if (!(err instanceof BtlError && err.code === 'E_EMPTY')) throw err;
      }
      agg.pages = cp.pages;
      agg.pagesWithoutComments = cp.pagesWithoutComments;
      agg.skippedTotal = cp.skippedTotal - cp.skipped.length;
      for (const s of cp.skipped) agg.skip(s);
    }
    let position = { input: cp?.input ?? 0, items: cp?.items ?? 0 };
    let complete = cp?.complete ?? false;

    const checkpoint = async (done: boolean): Promise<void> => {
      comments.sync();
      await writeCheckpoint(out, {
        format: 'btl-audit-checkpoint',
        version: 1,
        inputs: ids,
        model: model.version,
        startedAt,
        input: position.input,
        items: position.items,
        commentsBytes: comments.bytes,
        pages: agg.pages,
        pagesWithoutComments: agg.pagesWithoutComments,
        skippedTotal: agg.skippedTotal,
        skipped: agg.skipped,
        complete: done,
      });
    };

    if (!complete) {
      pool = await ScorePool.create(model, options, options.workers);
      const sizes = await Promise.all(inputs.map(inputSize));
      const known = sizes.every((s) => s !== undefined);
      const total = sizes.reduce<number>((a, s) => a + (s ?? 0), 0);
      let bytesBefore = sizes.slice(0, position.input).reduce<number>((a, s) => a + (s ?? 0), 0);
      let bytesNow = 0;
      const progress = (): void =>
        options.onProgress?.({
          comments: agg.comments,
          flagged: agg.flagged,
          skipped: agg.skippedTotal,
          fraction: known && total > 0 ? Math.min(1, (bytesBefore + bytesNow) / total) : undefined,
        });

      const from = position;
      async function* batches(): AsyncGenerator<Batch> {
        for (let i = from.input; i < inputs.length; i++) {
          const skipN = i === from.input ? from.items : 0;
          const fresh = (): Batch => ({ input: i, items: 0, inputDone: false, comments: [], skips: [], pages: [] });
          let b = fresh();
          let n = 0;
          bytesNow = 0;
          for await (const item of inputItems(inputs[i], { textColumn: options.textColumn, stdin: options.stdin, signal, onBytes: (x) => (bytesNow = x) })) {
            n++;
            if (n <= skipN) continue;
            b.items = n;
            if ('comment' in item) b.comments.push(item.comment);
            else if ('skipped' in item) b.skips.push(item.skipped);
            else b.pages.push(item.page);
            if (b.comments.length >= batchSize) {
              yield b;
              b = fresh();
              b.items = n;
            }
            if (signal?.aborted) break;
          }
          b.items = n;
          if (signal?.aborted) {
            yield b;
            return;
          }
          b.inputDone = true;
          yield b;
          bytesBefore += sizes[i] ?? 0;
          bytesNow = 0;
        }
      }

      let lastCheckpoint = Date.now();
      const commit = async (b: Batch, results: ScoreResult[]): Promise<void> => {
        let text = '';
        for (let k = 0; k < b.comments.length; k++) {
          const c = b.comments[k];
          const r = results[k];
          const row: CommentRow = { ...c, scores: r.scores, flags: r.flags, spans: r.spans, reasons: reasonsText({ text: c.text, ...r }) };
          text += rowToCsv(row);
          agg.add(row);
        }
        for (const p of b.pages) {
          agg.pages++;
          if (p.comments === 0) agg.pagesWithoutComments++;
        }
        for (const s of b.skips) agg.skip(s);
        if (text) comments.append(text);
        position = b.inputDone ? { input: b.input + 1, items: 0 } : { input: b.input, items: b.items };
        if (b.inputDone || Date.now() - lastCheckpoint >= CHECKPOINT_EVERY_MS) {
          await checkpoint(false);
          lastCheckpoint = Date.now();
        }
        progress();
      };

      // a few batches in flight keep every thread busy while this thread reads, writes and counts
      const inflight: { b: Batch; p: Promise<ScoreResult[]> }[] = [];
      const depth = Math.max(2, 2 * (options.workers ?? 2) + 1);
      for await (const b of batches()) {
        const p = b.comments.length ? pool.score(b.comments.map((c) => c.text)) : Promise.resolve([]);
        p.catch(() => undefined); // awaited in order below
        inflight.push({ b, p });
        while (inflight.length >= depth) {
          const head = inflight.shift()!;
          await commit(head.b, await head.p);
        }
      }
      while (inflight.length) {
        const head = inflight.shift()!;
        await commit(head.b, await head.p);
      }
      complete = !signal?.aborted && position.input >= inputs.length;
      await checkpoint(complete);
    }

    const summary = agg.summary({
      complete,
      model: { version: model.version, dir: model.dir, thresholds: { ...model.thresholds, ...options.thresholds }, scoring: pool?.mode ?? 'none (already complete)' },
      inputs: ids,
      startedAt,
      finishedAt: new Date().toISOString(),
    });
    const files = { comments: comments.path, summary: join(out, SUMMARY_FILE), report: join(out, REPORT_FILE) };
    await writeFileAtomic(files.summary, `${JSON.stringify(summary, null, 1)}\n`);
    await writeFileAtomic(files.report, renderReport(summary, agg.topFlagged()));
    // a whole input that failed is skipped with its own path and no line; when nothing else was skipped they are all listed
    const unreadableInputs = new Set(agg.skipped.filter((x) => x.line === undefined && inputs.includes(x.file)).map((x) => x.file)).size;
    return { out, comments: agg.comments, flagged: agg.flagged, skipped: agg.skippedTotal, pages: agg.pages, unreadableInputs, complete, scoring: summary.model.scoring, files };
  } finally {
    comments.close();
    await pool?.close();
  }
}
