/**
 * A scoring thread for `audit`: loads the model from the folder it is given and scores batches of
 * texts. Runs as compiled JavaScript (dist/src/audit/worker.js).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ScoreOptions, Scorer } from '../score/types';
import type { WorkerReply, WorkerRequest } from './pool';

async function start(): Promise<void> {
  const { dir, options } = workerData as { dir: string; options: ScoreOptions };
  let scorer: Scorer;
  try {
    scorer = await (require('../score') as { loadModel: (d?: string) => Promise<Scorer> }).loadModel(dir);
  } catch (err) {
    parentPort!.postMessage({ id: -1, error: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
    return;
  }
  parentPort!.on('message', (req: WorkerRequest) => {
    try {
      const scored = scorer.score(req.texts, options);
      parentPort!.postMessage({ id: req.id, results: scored.map(({ scores, flags, spans }) => ({ scores, flags, spans })) } satisfies WorkerReply);
    } catch (err) {
      parentPort!.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
    }
  });
  parentPort!.postMessage({ id: 0, ready: true } satisfies WorkerReply);
}

void start();
