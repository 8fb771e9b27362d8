/**
 * `mapletree explore --queue`: each search split by decision prefix (../../explore/split.ts), its
 * prefix jobs on the queue for the workers, and its result put back together here — as soon as the
 * segments up to its first bug are in, or all of them — into what `explore` prints for a local run.
 * The run lives in Redis until it is collected, here, once every search is done.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ExploreResult } from '../../explore/explore.js';
import {
  assembleSplit, searchFrontier, searchSubtree, splitResult, type AssembledSearch, type FrontierPrefix, type Segment,
} from '../../explore/split.js';
import type { PrefixResult } from '../split-point.js';
import { modelVersion } from './model-version.js';
import { PREFIX_JOB_FORMAT, type ModelSearch, type PrefixJob } from './prefix-job.js';
import { resultsKey, runKey } from './redis.js';
import { collectRun } from './submit.js';
import { RunFailedError, Submission } from './submission.js';

export const EXPLORE_RUN_FORMAT = 'mapletree-explore-run/1';

export interface ExploreQueueOptions {
  readonly url: string;
  /** Prefix jobs per search, about (default 64). */
  readonly jobs?: number;
  readonly signal?: AbortSignal;
  readonly warn?: (line: string) => void;
  /** Searches finished so far, and executions in the results so far. */
  readonly onProgress?: (done: number, executions: number) => void;
  readonly pollMs?: number;
  readonly version?: string;
}

/** A prefix job's result not in yet: the assembly waits for it. */
class Missing extends Error {}



/**
 * Runs `searches` through the queue's workers and returns their results in order, or null when
 * stopped by the signal (the run is collected either way). Throws when a worker refuses a job.
 */
export async function exploreOnQueue(searches: readonly ModelSearch[], options: ExploreQueueOptions): Promise<ExploreResult[] | null> {
  const version = options.version ?? modelVersion();
  const pollMs = options.pollMs ?? 200;
  const t0 = performance.now();
  const run = randomBytes(6).toString('hex');
  const frontiers: FrontierPrefix[][] = searches.map((s) => searchFrontier(s, options.jobs ?? 64));
  const submission = new Submission(options.url, run, options.warn);
  const { redis, queue } = submission;
  const segments = new Map<string, readonly Segment[]>();
  const done: Array<ExploreResult | undefined> = searches.map(() => undefined);
  let executions = 0;
  try {
    await redis.set(runKey(run), JSON.stringify({ format: EXPLORE_RUN_FORMAT, version, searches, created: new Date().toISOString() }));
    await queue.addBulk(searches.flatMap((search, s) => frontiers[s]!.map((prefix, i) => ({
      name: 'prefix',
      data: { format: PREFIX_JOB_FORMAT, run, version, field: `s${s}#p${i}`, search, prefix } satisfies PrefixJob,
      opts: { jobId: `${run}.s${s}.p${i}`, removeOnComplete: true, removeOnFail: { age: 24 * 3600 }, attempts: 3 },
    }))));
    await submission.pollUntil(() => done.every((d) => d !== undefined), poll, pollMs, options.signal);
    return options.signal?.aborted ? null : done as ExploreResult[];
  } finally {
    await submission.close();
    await collectRun(options.url, run).catch(() => undefined);
  }

  async function poll(): Promise<void> {
    await submission.checkRefusals();
    const fresh = (await redis.hkeys(resultsKey(run))).filter((k) => !segments.has(k));
    if (fresh.length > 0) {
      const values = await redis.hmget(resultsKey(run), ...fresh);
      fresh.forEach((k, i) => {
        const text = values[i];
        if (text === null || text === undefined) return;
        const r = JSON.parse(text) as PrefixResult;
        if (r.error !== undefined) throw new RunFailedError(`run ${run}: job ${k} failed: ${r.error}`);
        segments.set(k, r.segments);
        executions += r.segments.reduce((n, x) => n + x.executions, 0);
      });
    }
    for (let s = 0; s < searches.length; s++) {
      if (done[s] !== undefined) continue;
      const search = searches[s]!;
      const frontier = frontiers[s]!;
      let assembled: AssembledSearch;
      try {
        assembled = assembleSplit(search, frontier, (i) => {
          const got = segments.get(`s${s}#p${i}`);
          if (got === undefined) throw new Missing();
          return got;
        }, (i, bound, cap) => searchSubtree(search, frontier[i]!, bound, cap));
      } catch (e) {
        if (e instanceof Missing) continue;
        throw e;
      }
      const r = splitResult(search, assembled, t0);
      done[s] = r;
      // Jobs past the first bug are not needed: drop those no worker has taken.
      for (let i = 0; i < frontier.length; i++) if (!segments.has(`s${s}#p${i}`)) await queue.remove(`${run}.s${s}.p${i}`).catch(() => 0);
    }
    options.onProgress?.(done.filter((d) => d !== undefined).length, executions);
  }
}
