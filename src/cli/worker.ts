/**
 * `mapletree worker --queue URL`: runs study jobs from the queue until Ctrl-C (or SIGTERM), then
 * finishes the jobs in hand and stops.
 */
import { positiveInt } from './args.js';
import { EXIT, UsageError } from './errors.js';
import { checkQueueUrl } from '../study/queue/redis.js';
import { runQueueWorker } from '../study/queue/worker.js';

export interface WorkerCliOptions {
  readonly queue: string;
  readonly concurrency: string;
  readonly lockDuration: string;
}

export async function runWorkerCli(opts: WorkerCliOptions, signal: AbortSignal, log: (line: string) => void = (l) => console.error(l)): Promise<number> {
  try {
    checkQueueUrl(opts.queue);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const concurrency = positiveInt(opts.concurrency, 'concurrency');
  const lockDurationMs = positiveInt(opts.lockDuration, 'lock-duration');
  await runQueueWorker({ url: opts.queue, concurrency, lockDurationMs, signal, log });
  return EXIT.ok;
}
