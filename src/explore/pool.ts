/**
 * A pool of fresh worker threads, one per job: jobs dealt up front, messages handed back as they
 * arrive, and a way to stop every worker at once (the portfolio stops at the first bug). The
 * portfolio uses it; the study's cells go to threads kept warm between runs (warm-pool.ts). Both
 * take the one default worker count.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { checkArray, checkCount, checkFunction, checkSignal, checkWorkerModule } from './arguments.js';

/** Workers when the caller does not say: one per core. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Deals `items` round-robin into at most `workers` non-empty jobs (a mix of quick and slow items in each). */
export function deal<T>(items: readonly T[], workers: number): T[][] {
  checkArray('deal', 'items', items);
  checkCount('deal', 'workers', workers, { min: 1 });
  if (items.length === 0) return [];
  const n = Math.max(1, Math.min(workers, items.length));
  const jobs: T[][] = Array.from({ length: n }, () => []);
  items.forEach((item, i) => jobs[i % n]!.push(item));
  return jobs;
}

export interface PoolControl {
  /** Terminates every worker; the pool's promise then resolves. */
  stop(): void;
}

/**
 * Runs one worker per job (`workerData` = the job) from the module at `url` and calls `onMessage`
 * for each message, with the index of the worker that sent it. Resolves when every worker has
 * exited (or `stop` was called, or `signal` aborted); rejects on a worker error or a non-zero exit
 * not caused by a stop.
 */
export function runPool<Job, Message>(url: URL, jobs: readonly Job[], onMessage: (message: Message, worker: number, pool: PoolControl) => void,
  signal?: AbortSignal): Promise<void> {
  checkWorkerModule('runPool', url);
  checkArray('runPool', 'jobs', jobs);
  checkFunction('runPool', 'onMessage', onMessage);
  checkSignal('runPool', 'signal', signal);
  return new Promise<void>((resolve, reject) => {
    const threads: Worker[] = [];
    let running = jobs.length;
    let stopped = false;
    const end = (error: Error | null): void => {
      if (stopped) return;
      stopped = true;
      for (const t of threads) void t.terminate();
      if (error === null) resolve();
      else reject(error);
    };
    const control: PoolControl = { stop: () => end(null) };
    if (running === 0 || signal?.aborted) {
      resolve();
      return;
    }
    signal?.addEventListener('abort', () => end(null), { once: true });
    jobs.forEach((job, i) => {
      const worker = new Worker(url, { workerData: job });
      threads.push(worker);
      worker.on('message', (m: Message) => {
        if (!stopped) onMessage(m, i, control);
      });
      worker.on('error', (e) => end(e));
      worker.on('exit', (code) => {
        if (code !== 0) end(new Error(`worker ${i} exited with code ${code}`));
        else if (--running === 0) end(null);
      });
    });
  });
}
