/**
 * The submitting side's hold on the queue, for a study run and an explore run alike: the
 * connection and the queue, connection trouble said once per kind until it clears, and the poll
 * loop that waits it out — while a refused job (or a job whose model threw) ends the run.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { connect, QUEUE_NAME, refusedKey } from './redis.js';

/** A worker refused one of the run's jobs, or a job's model threw: waiting longer cannot help. */
export class RunFailedError extends Error {
  override name = 'RunFailedError';
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Resolves once `signal` aborts (never without one). */
function abortion(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export class Submission {
  readonly redis: Redis;
  readonly queue: Queue;
  #trouble = '';
  readonly #onError = (e: Error): void => {
    if (e.message !== this.#trouble) this.warn?.(`mapletree: redis: ${e.message} (waiting for it to come back)`);
    this.#trouble = e.message;
  };

  constructor(url: string, private readonly run: string, private readonly warn?: (line: string) => void) {
    this.redis = connect(url);
    this.queue = new Queue(QUEUE_NAME, { connection: this.redis });
    this.redis.on('error', this.#onError);
    this.queue.on('error', this.#onError);
  }

  /** Throws RunFailedError when a worker has refused one of the run's jobs. */
  async checkRefusals(): Promise<void> {
    const first = Object.entries(await this.redis.hgetall(refusedKey(this.run)))[0];
    if (first) throw new RunFailedError(`run ${this.run}: a worker refused job ${first[0]}: ${first[1]}`);
  }

  /** Calls `poll` every `pollMs` until `finished()` or `signal` aborts; other errors than RunFailedError are waited out. */
  async pollUntil(finished: () => boolean, poll: () => Promise<void>, pollMs: number, signal?: AbortSignal): Promise<void> {
    const aborted = abortion(signal);
    for (let round = 0; !finished() && !signal?.aborted; round++) {
      if (round > 0) await sleep(pollMs, signal);
      try {
        await Promise.race([poll(), aborted]);
        this.#trouble = '';
      } catch (e) {
        if (e instanceof RunFailedError) throw e;
        if (signal?.aborted) break;
        this.#onError(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }

  async close(): Promise<void> {
    this.redis.off('error', this.#onError);
    await this.queue.close().catch(() => undefined);
    this.redis.disconnect();
  }
}
