/**
 * `mapletree worker --queue URL`: takes jobs off the queue until stopped — failure points of a
 * study, and prefix jobs of a split search — searches each on a thread of its own and writes the
 * result into its run's results. A point that turns out long is split: its prefix jobs go on the
 * queue and the point's field says so. A killed worker loses nothing: its job's lock expires and
 * BullMQ's stalled-job check hands the job to another worker; a result is one field per job, so a
 * job run twice still counts once.
 */
import { performance } from 'node:perf_hooks';
import { Worker as ThreadWorker } from 'node:worker_threads';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { walkersName } from '../model.js';
import type { PointSplit, PrefixResult } from '../split-point.js';
import type { PointResult } from '../study.js';
import { modelVersion } from './model-version.js';
import { acceptPointJob, pointKey, RefusedJobError, type PointJob } from './point-job.js';
import type { PointReply, PointRequest } from './point-thread.js';
import { acceptPrefixJob, PREFIX_JOB_FORMAT, type PrefixJob } from './prefix-job.js';
import { connect, QUEUE_NAME, refusedKey, resultsKey, runKey } from './redis.js';

/** HSET the result only while the run's record exists (KEYS: record, results; ARGV: field, value). */
const STORE_RESULT = "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end return 0";

export interface QueueWorkerOptions {
  readonly url: string;
  /** Jobs at once, each on its own thread. */
  readonly concurrency: number;
  /** How long a job stays locked without renewal before another worker may take it. */
  readonly lockDurationMs?: number;
  /** The model version this worker runs (default: its own). */
  readonly version?: string;
  readonly log?: (line: string) => void;
  /** Stops the worker once its jobs in hand are done. */
  readonly signal?: AbortSignal;
}

/** Threads that search one point each at a time; a thread that dies gives an error result and is replaced. */
class PointThreads {
  readonly #idle: ThreadWorker[] = [];
  readonly #all = new Set<ThreadWorker>();
  #next = 0;
  readonly #url = new URL(`./point-thread.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

  run(job: PointJob | PrefixJob): Promise<PointReply['result']> {
    const thread = this.#idle.pop() ?? this.#spawn();
    const id = this.#next++;
    return new Promise((resolve) => {
      const done = (result: PointReply['result'], healthy: boolean): void => {
        thread.off('message', onMessage);
        thread.off('error', onError);
        thread.off('exit', onExit);
        if (healthy) this.#idle.push(thread);
        else this.#all.delete(thread);
        resolve(result);
      };
      const failed = (why: string): PointResult | PrefixResult => (job.format === PREFIX_JOB_FORMAT ? { segments: [], error: why }
        : { point: job.point, label: '', executions: 0, timeMs: 0, exhaustive: false, faultFired: false, reached: [], error: why });
      const onMessage = (m: PointReply): void => {
        if (m.id === id) done(m.result, true);
      };
      const onError = (e: Error): void => done(failed(`the model's thread failed: ${e.message}`), false);
      const onExit = (code: number): void => done(failed(`the model's thread exited with code ${code}`), false);
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.on('exit', onExit);
      thread.postMessage({ id, job } satisfies PointRequest);
    });
  }

  #spawn(): ThreadWorker {
    const thread = new ThreadWorker(this.#url);
    this.#all.add(thread);
    return thread;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#all].map((t) => t.terminate()));
  }
}

export async function runQueueWorker(options: QueueWorkerOptions): Promise<void> {
  const log = options.log ?? ((line: string) => console.error(line));
  const version = options.version ?? modelVersion();
  const lockDuration = options.lockDurationMs ?? 30_000;
  const redis = connect(options.url);
  let lastError = '';
  const onRedisError = (e: Error): void => {
    if (e.message !== lastError) log(`mapletree worker: redis: ${e.message} (retrying)`);
    lastError = e.message;
  };
  redis.on('error', onRedisError);
  redis.on('ready', () => {
    lastError = '';
  });
  const threads = new PointThreads();

  const queue = new Queue(QUEUE_NAME, { connection: redis });
  queue.on('error', (e) => onRedisError(e));

  /** Puts a long point's prefix jobs on the queue (ids from the point's: a retried point adds none twice). */
  const split = async (job: Job, point: PointJob, field: string, split: PointSplit): Promise<void> => {
    await queue.addBulk(split.split.map((prefix, i) => ({
      name: 'prefix',
      data: {
        format: PREFIX_JOB_FORMAT, run: point.run, version, field: `${field}#p${i}`, prefix,
        search: { kind: 'point', configuration: point.configuration, walkers: point.walkers, point: point.point, settings: point.settings },
      } satisfies PrefixJob,
      opts: { jobId: `${job.id ?? point.run}.p${i}`, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 }, attempts: 3 },
    })));
  };

  const processor = async (job: Job): Promise<{ readonly executions: number }> => {
    let accepted: PointJob | PrefixJob;
    try {
      accepted = job.name === 'prefix' ? acceptPrefixJob(job.data, version) : acceptPointJob(job.data, version);
    } catch (e) {
      if (!(e instanceof RefusedJobError)) throw e;
      const run = (job.data as { run?: unknown } | null)?.run;
      if (typeof run === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(run)) await redis.hset(refusedKey(run), job.id ?? job.name, e.message);
      log(`mapletree worker: job ${job.id ?? '?'}: ${e.message}`);
      throw new UnrecoverableError(e.message);
    }
    const t0 = performance.now();
    const result = await threads.run(accepted);
    const field = accepted.format === PREFIX_JOB_FORMAT ? accepted.field : pointKey(accepted.configuration, walkersName(accepted.walkers), accepted.point);
    if ('split' in result) await split(job, accepted as PointJob, field, result);
    // A run already collected takes no more results: checked and written in one step on the server.
    await redis.eval(STORE_RESULT, 2, runKey(accepted.run), resultsKey(accepted.run), field, JSON.stringify(result));
    const executions = 'segments' in result ? result.segments.reduce((n, s) => n + s.executions, 0) : 'split' in result ? 0 : result.executions;
    const what = 'split' in result ? `split into ${result.split.length} prefix jobs` : result.error !== undefined ? `error: ${result.error}` : `${executions} executions`;
    log(`mapletree worker: ${job.id ?? '?'}: ${what} in ${Math.round(performance.now() - t0)} ms`);
    return { executions };
  };

  const worker = new Worker(QUEUE_NAME, processor, {
    connection: redis, concurrency: options.concurrency, lockDuration, stalledInterval: lockDuration, maxStalledCount: 5,
  });
  worker.on('error', (e) => onRedisError(e));
  await worker.waitUntilReady();
  log(`mapletree worker: ready on ${QUEUE_NAME} (model version ${version}, ${options.concurrency} at once)`);
  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    else options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  log('mapletree worker: stopping after the jobs in hand');
  await worker.close();
  await queue.close().catch(() => undefined);
  await threads.close();
  redis.off('error', onRedisError);
  await redis.quit().catch(() => undefined);
}
