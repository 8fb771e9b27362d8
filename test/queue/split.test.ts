/**
 * Searches split by decision prefix over a BullMQ queue on a real redis-server, with two worker
 * processes: `explore --queue` prints what a local explore prints, a split search gives the single
 * search's result (verdict, first bug, every count) over the built-in models, a study whose
 * long points are split gives the local study's JSON, and a worker SIGKILLed mid-run loses nothing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripVTControlCharacters } from 'node:util';
import { runExplore, type ExploreCliOptions } from '../../src/cli/explore.js';
import type { StudyCliOptions } from '../../src/cli/study.js';
import { CLASSICS, explore, type ExploreResult } from '../../src/explore/index.js';
import { exploreOnQueue } from '../../src/study/queue/explore-run.js';
import type { ModelSearch } from '../../src/study/queue/prefix-job.js';
import { resultCells, study } from './study-run.js';
import { redisMissing, startRedis, type RedisServer } from './redis-server.js';
import { workerPool } from './worker-process.js';

// With --split-above 8 every uprobe point (13 to 26 executions) is split, the crash's among them,
// into about 120 prefix jobs in all; no uffd-withdraw point (11 executions in all) is.
const STUDY: StudyCliOptions = {
  bound: '1', config: '6.10-6.11.6', walker: 'uprobe,uffd-withdraw', maxExecutions: '200000', strategy: 'dfs', json: true, html: false, progress: false,
};

/** explore's output with the times and rates (the only things two runs differ in) taken out. */
async function exploreText(flags: ExploreCliOptions, signal?: AbortSignal): Promise<{ code: number; text: string }> {
  const out: string[] = [];
  const code = await runExplore(flags, (l) => out.push(l), signal);
  const text = out.map((l) => stripVTControlCharacters(l)
    .replace(/\s+[\d.]+ms\s+\d+\s+\d+$/, '')
    .replace(/ \([\d.]+ ms\)/, '')).join('\n');
  return { code, text };
}

/** A result as the single search reports it, wall time apart. */
function verdict(r: ExploreResult): unknown {
  return {
    outcome: r.outcome, exhaustiveBound: r.exhaustiveBound, kind: r.trace?.violation?.kind ?? null,
    executions: r.executions, states: r.distinctTerminalStates, firstBug: r.firstBug?.executions ?? null, trace: r.trace,
  };
}

const missing = redisMissing();
if (missing) console.log(missing);

describe.skipIf(missing !== null)('searches split over a BullMQ queue (real redis-server)', () => {
  let redis: RedisServer;
  const { start: worker, stopAll: stopWorkers } = workerPool(() => redis.url);

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await stopWorkers();
    await redis?.stop();
  });

  it('explore --queue prints what a local explore prints (dfs and delay; dpor as --jobs splits it here)', async () => {
    await expect(exploreText({ model: 'classics', strategy: 'random', bound: '2', seed: '1', depth: '2', progress: false, queue: redis.url }))
      .rejects.toThrow(/--queue splits a dfs, delay, .*dpor search, not random/);
    await Promise.all([worker(), worker()]);
    for (const strategy of ['dfs', 'delay', 'dpor']) {
      const flags: ExploreCliOptions = { model: 'classics', strategy, bound: '2', seed: '1', depth: '2', progress: false, width: '100' };
      // A dpor search split counts its own executions: the local run is split the same way.
      const local = await exploreText(strategy === 'dpor' ? { ...flags, jobs: '6' } : flags);
      const queued = await exploreText({ ...flags, queue: redis.url, jobs: '6' }, AbortSignal.timeout(120_000));
      expect(queued.code).toBe(local.code);
      expect(queued.text).toBe(local.text);
      expect(local.text).toMatch(/bug: deadlock/);
    }
    await stopWorkers();
  });

  it('a split search gives the single search\'s verdict, first bug and counts, over the built-in models', async () => {
    await Promise.all([worker(), worker()]);
    const searchArb = fc.record({
      model: fc.constantFrom(...CLASSICS),
      bad: fc.boolean(),
      strategy: fc.constantFrom('dfs' as const, 'delay' as const),
      bound: fc.integer({ min: 0, max: 3 }),
      jobs: fc.integer({ min: 2, max: 12 }),
    });
    await fc.assert(fc.asyncProperty(fc.array(searchArb, { minLength: 1, maxLength: 4 }), fc.integer({ min: 2, max: 12 }), async (cases, jobs) => {
      const searches: ModelSearch[] = cases.map((c) => ({
        kind: 'model', model: c.model.name, variant: c.model.variants[c.bad ? 0 : 1]!, strategy: c.strategy, bound: c.bound, executions: 1_000_000,
        fault: c.model.name === 'leak-on-error' ? { nth: 2, mode: 'once' } : null,
      }));
      const queued = await exploreOnQueue(searches, { url: redis.url, jobs, pollMs: 50, signal: AbortSignal.timeout(60_000) });
      expect(queued).not.toBeNull();
      searches.forEach(({ kind: _kind, ...s }, i) => {
        expect(verdict(queued![i]!)).toEqual(verdict(explore(s)));
      });
    }), { numRuns: 10, seed: 22 });
    await stopWorkers();
  });

  it('a study whose long points are split into prefix jobs gives the local JSON, with a worker SIGKILLed mid-run', async () => {
    const local = await study(STUDY);
    expect(local.code).toBe(0);
    // The doomed worker is alone at first, so it is the one that splits a point; it is killed once
    // it has searched some of the prefix jobs, while it holds another. Two more finish the run.
    const doomed = await worker();
    const submitted = study({ ...STUDY, queue: redis.url, splitAbove: '8' }, AbortSignal.timeout(540_000));
    await doomed.waitFor(/split into \d+ prefix jobs/, 1, 120_000);
    await doomed.waitFor(/\.p\d+: \d+ executions in/, 3, 120_000);
    await doomed.kill();
    const survivors = await Promise.all([worker(), worker()]);
    const queued = await submitted;
    await stopWorkers();
    expect(queued.code).toBe(0);
    expect(resultCells(queued.json)).toBe(resultCells(local.json));
    expect(survivors.some((w) => w.lines.some((l) => /\.p\d+: \d+ executions in/.test(l)))).toBe(true);
    const cells = JSON.parse(local.json).results as Array<{ outcome: string }>;
    expect(cells.map((c) => c.outcome)).toEqual(['bug', 'bug']);
  }, 600_000);

  // --split-above 8 splits the uprobe cell's allocations 5 and 6 (11 and 10 dpor executions; 26 and
  // 13 split): the cell counts 55 executions instead of 37, locally as on the queue.
  it('a dpor study split with --split-above gives the JSON of a local run with the same --split-above', async () => {
    const flags: StudyCliOptions = { ...STUDY, strategy: 'dpor', splitAbove: '8' };
    const local = await study(flags);
    const unsplit = await study({ ...STUDY, strategy: 'dpor' });
    const pair = await Promise.all([worker(), worker()]);
    const queued = await study({ ...flags, queue: redis.url }, AbortSignal.timeout(300_000));
    await stopWorkers();
    expect(queued.code).toBe(0);
    expect(resultCells(queued.json)).toBe(resultCells(local.json));
    expect(pair.some((w) => w.lines.some((l) => /split into \d+ prefix jobs/.test(l)))).toBe(true);
    const cells = (json: string): Array<{ outcome: string; kind?: string; executions: number }> => JSON.parse(json).results;
    expect(cells(local.json).map((c) => [c.outcome, c.kind])).toEqual(cells(unsplit.json).map((c) => [c.outcome, c.kind]));
    expect(cells(local.json)[0]!.executions).toBeGreaterThan(cells(unsplit.json)[0]!.executions);
  }, 400_000);
});
