import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BtlError } from '../errors';
import type { ScoreOptions, Scored, Scorer } from '../score/types';

export type ScoreResult = Omit<Scored, 'text'>;

export interface WorkerRequest {
  id: number;
  texts: string[];
}

export interface WorkerReply {
  id: number;
  ready?: boolean;
  results?: ScoreResult[];
  error?: string;
}

/** Heap limits of a scoring thread, in MB. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

/** Where the compiled scoring thread lives, beside this file. Under ts/jest there is none. */
export const WORKER_FILE = join(__dirname, 'worker.js');

/**
 * Scores batches on worker threads (by default one per core but one: this thread reads, writes
 * and counts) (each with its own copy of the model, loaded from
 * `scorer.dir`), or in the calling thread when `threads` is 0 or the compiled worker is missing.
 * Batches go to the least busy thread; results come back per batch.
 */
export class ScorePool {
  /** How scoring runs, for the report: "2 worker threads" or "in-process (...)". */
  readonly mode: string;
  private readonly workers: { w: Worker; busy: number }[] = [];
  private readonly waiting = new Map<number, { resolve: (r: ScoreResult[]) => void; reject: (e: Error) => void; slot: { busy: number } }>();
  private nextId = 1;
  private failure: Error | null = null;

  private constructor(
    private readonly scorer: Scorer,
    private readonly options: ScoreOptions,
    mode: string,
  ) {
    this.mode = mode;
  }

  static async create(scorer: Scorer, all: ScoreOptions, threads = Math.max(1, availableParallelism() - 1)): Promise<ScorePool> {
    // only the scoring options travel to the threads (callers may pass a bigger options object)
    const options: ScoreOptions = { thresholds: all.thresholds, allSpans: all.allSpans, maxSpans: all.maxSpans };
    if (threads <= 0) return new ScorePool(scorer, options, 'in-process');
    if (!existsSync(WORKER_FILE)) return new ScorePool(scorer, options, `in-process (no compiled worker at ${WORKER_FILE}; run the build for worker threads)`);
    const pool = new ScorePool(scorer, options, `${threads} worker thread${threads > 1 ? 's' : ''}`);
    await Promise.all(Array.from({ length: threads }, () => pool.spawn()));
    return pool;
  }

  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      // a thread holds the model (off-heap typed arrays) and a few batches of text: a small heap
      // makes V8 collect often instead of growing toward the machine's default limit
      const w = new Worker(WORKER_FILE, { workerData: { dir: this.scorer.dir, options: this.options }, resourceLimits: WORKER_LIMITS });
      const slot = { w, busy: 0 };
      w.on('message', (m: WorkerReply) => {
        if (m.ready) {
          this.workers.push(slot);
          resolve();
          return;
        }
        if (m.id === -1) {
          reject(new BtlError('E_MODEL', `a scoring thread cannot load the model: ${m.error}`, { file: this.scorer.dir }));
          return;
        }
        const p = this.waiting.get(m.id);
        if (!p) return;
        this.waiting.delete(m.id);
        p.slot.busy--;
        if (m.error) p.reject(new Error(`scoring thread: ${m.error}`));
        else p.resolve(m.results!);
      });
      w.on('error', (err) => {
        this.failure = err;
        reject(err);
        for (const p of this.waiting.values()) p.reject(err);
        this.waiting.clear();
      });
    });
  }

  /** Scores one batch; resolves with one result per text, in order. */
  score(texts: string[]): Promise<ScoreResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.workers.length === 0) {
      try {
        return Promise.resolve(this.scorer.score(texts, this.options));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    let slot = this.workers[0];
    for (const s of this.workers) if (s.busy < slot.busy) slot = s;
    slot.busy++;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, slot });
      slot.w.postMessage({ id, texts } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((s) => s.w.terminate()));
    this.workers.length = 0;
  }
}
