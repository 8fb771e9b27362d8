/**
 * The study through a BullMQ queue on a real redis-server: the same results as a run in one
 * thread whatever the workers, nothing lost when a worker is SIGKILLed mid-run or every connection
 * is cut, a job from another model version refused, and a model that throws reported as error cells.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { StudyCliOptions } from '../../src/cli/study.js';
import type { StudyRunSettings } from '../../src/study/checkpoint.js';
import { modelVersion } from '../../src/study/queue/model-version.js';
import { acceptPointJob, POINT_JOB_FORMAT, RefusedJobError } from '../../src/study/queue/point-job.js';
import { collectRun, createRun, runCellsOnQueue } from '../../src/study/queue/submit.js';
import type { WalkerName } from '../../src/study/scenario.js';
import type { Trace } from '../../src/explore/trace.js';
import { replayedMessage } from '../cli/run-cli.js';
import { generatedParent, smapsOf } from '../study/compress-cases.js';
import { resultCells, resultPairs, study } from './study-run.js';
import { redisMissing, startRedis, type RedisServer } from './redis-server.js';
import { workerPool } from './worker-process.js';

const CONFIGS = ['6.10-6.11.6', '6.18'];
const WALKERS: WalkerName[] = ['swapoff', 'uprobe', 'uffd-withdraw', 'uffd'];
const FLAGS: StudyCliOptions = { bound: '1', config: CONFIGS.join(','), walker: WALKERS.join(','), maxExecutions: '200000', strategy: 'dpor', json: true, html: false, progress: false };
const SETTINGS: StudyRunSettings = { bound: 1, maxExecutions: 200_000, strategy: 'dpor', configurations: CONFIGS, walkers: WALKERS };

const missing = redisMissing();
if (missing) console.log(missing);

describe.skipIf(missing !== null)('the study on a BullMQ queue (real redis-server)', () => {
  let redis: RedisServer;
  let local: string;
  let localPairs: string;
  const { start: worker, stopAll: stopWorkers } = workerPool(() => redis.url);

  beforeAll(async () => {
    redis = await startRedis();
    const run = await study(FLAGS);
    expect(run.code).toBe(0);
    local = resultCells(run.json);
    localPairs = resultPairs(run.json);
  });
  afterAll(async () => {
    await stopWorkers();
    await redis?.stop();
  });

  // One queued run carries the three ways a run can be disturbed: two workers, one SIGKILLed
  // mid-run (its held job is taken by the other once its lock lapses), then every connection cut
  // (CLIENT KILL) while the survivor works; the results must still be the local run's, byte for byte.
  it('two workers, one SIGKILLed and every connection cut mid-run: the local JSON, byte for byte, and the run collected', async () => {
    const [doomed, survivor] = await Promise.all([worker(), worker()]);
    const submitted = study({ ...FLAGS, queue: redis.url }, AbortSignal.timeout(180_000));
    await doomed!.waitFor(/executions in/, 3);
    await doomed!.kill();
    const admin = new Redis(redis.url);
    const cut = Number(await admin.call('CLIENT', 'KILL', 'TYPE', 'normal'));
    admin.disconnect();
    // The survivor's connections and the submitter's.
    expect(cut).toBeGreaterThan(2);
    const atCut = survivor!.lines.length;
    const queued = await submitted;
    await stopWorkers();
    expect(queued.code).toBe(0);
    expect(resultCells(queued.json)).toBe(local);
    expect(JSON.parse(local).some((c: { outcome: string }) => c.outcome === 'bug')).toBe(true);
    // The walker pairs ran as jobs of the same run, and compare with their members as locally.
    expect(resultPairs(queued.json)).toBe(localPairs);
    expect(JSON.parse(localPairs)).not.toEqual([]);
    const pairJob = (l: string): boolean => Number(/\.(\d+)\.[as]\d+: \d+ executions in/.exec(l)?.[1] ?? -1) >= CONFIGS.length * WALKERS.length;
    expect(survivor!.lines.some(pairJob)).toBe(true);
    // The survivor reconnected and went on: it ran the jobs left after the cut.
    expect(survivor!.lines.slice(atCut).some((l) => /executions in/.test(l))).toBe(true);
    const client = new Redis(redis.url);
    expect(await client.keys('mapletree:run:*')).toEqual([]);
    client.disconnect();
  });

  it('a process of the user\'s is searched compressed, as in one thread: the same JSON, and its trace replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapletree-queue-'));
    const smaps = join(dir, '60.smaps');
    writeFileSync(smaps, smapsOf(generatedParent(60).specs!));
    const flags: StudyCliOptions = { ...FLAGS, config: '6.8.0-6.8.7,6.18', walker: 'ksmd,swapoff', combinations: 'none', maps: smaps, uprobe: '/lib/lib3.so' };
    const here = await study(flags);
    expect(here.code).toBe(0);
    await worker();
    const queued = await study({ ...flags, queue: redis.url }, AbortSignal.timeout(180_000));
    await stopWorkers();
    expect(queued.code).toBe(0);
    expect(resultCells(queued.json)).toBe(resultCells(here.json));
    const cells = (JSON.parse(queued.json) as { results: Array<{ outcome: string; message?: string; compressed?: { vmas: number; of: number }; trace?: Trace }> }).results;
    expect(cells.every((c) => c.compressed !== undefined && c.compressed.vmas < c.compressed.of)).toBe(true);
    const bug = cells.find((c) => c.outcome === 'bug')!;
    expect(bug.trace!.model).toMatch(/~compressed-3$/);
    const again = replayedMessage(bug.trace, join(dir, 'bug.json'), ['--maps', smaps, '--uprobe', '/lib/lib3.so']);
    expect(again.status, again.stderr).toBe(1);
    expect(again.message).toBe(bug.message);
  }, 240_000);

  it('a job from another model version is refused with both versions named, and the submitter stops', async () => {
    const run = await createRun(redis.url, SETTINGS);
    const w = await worker();
    const stale = runCellsOnQueue(SETTINGS, { url: redis.url, run, version: '0.0.1+000000000000', signal: AbortSignal.timeout(120_000) });
    await expect(stale).rejects.toThrow(/refused job .*model version "0\.0\.1\+000000000000".*this worker runs model version/);
    expect(w.lines.some((l) => l.includes('refused job'))).toBe(true);
    await stopWorkers();
    await collectRun(redis.url, run);
  });

  it('reports how far a cell is before it finishes, so the ETA has a pace before the first cell', async () => {
    const settings: StudyRunSettings = { ...SETTINGS, configurations: ['6.18'], walkers: ['swapoff'] };
    const run = await createRun(redis.url, settings);
    await worker();
    const reports: Array<{ done: number; running: number }> = [];
    const cells = await runCellsOnQueue(settings, {
      url: redis.url, run, signal: AbortSignal.timeout(120_000),
      onProgress: (_executions, done, _at, running) => reports.push({ done, running: running ?? 0 }),
    });
    await stopWorkers();
    await collectRun(redis.url, run);
    expect(cells).toHaveLength(1);
    const before = reports.filter((r) => r.done === 0).map((r) => r.running);
    expect(before.some((f) => f > 0 && f < 1)).toBe(true);
    expect(before.every((f) => f >= 0 && f < 1)).toBe(true);
    // Answers only accumulate: the fraction never goes back.
    expect(before).toEqual([...before].sort((x, y) => x - y));
    expect(reports.at(-1)).toEqual({ done: 1, running: 0 });
  });

  it('a model that throws gives error cells with its message; the other cells are the local ones', async () => {
    await worker({ preload: new URL('./fixtures/broken-model.mjs', import.meta.url).pathname });
    const queued = await study({ ...FLAGS, queue: redis.url }, AbortSignal.timeout(180_000));
    await stopWorkers();
    expect(queued.code).toBe(0);
    const cells = JSON.parse(resultCells(queued.json)) as Array<{ configuration: string; outcome: string; reason?: string }>;
    const broken = cells.filter((c) => c.configuration === '6.18');
    expect(broken).toHaveLength(WALKERS.length);
    for (const c of broken) {
      expect(c.outcome).toBe('error');
      expect(c.reason).toBe('injected model bug: no 6.18 today');
    }
    const localCells = JSON.parse(local) as Array<{ configuration: string }>;
    expect(cells.filter((c) => c.configuration !== '6.18')).toEqual(localCells.filter((c) => c.configuration !== '6.18'));
  });
});

describe('jobs name built-in models and parameters only', () => {
  const version = modelVersion();
  const good = {
    format: POINT_JOB_FORMAT, run: 'r1', version, model: 'fork-exit', configuration: '7.0', walkers: ['swapoff'],
    point: { kind: 'alloc', nth: 3 }, settings: { bound: 1, maxExecutions: 10, strategy: 'dpor' },
  };
  it('accepts a job of built-in names and numbers', () => {
    expect(acceptPointJob(good, version)).toEqual(good);
  });
  it.each([
    ['another version', { ...good, version: 'x' }, /model version "x"/],
    ['another model', { ...good, model: 'classics' }, /model "classics" is not a built-in study model/],
    ['an unknown configuration', { ...good, configuration: 'linux-2.4' }, /configuration "linux-2.4"/],
    ['an unknown walker', { ...good, walkers: ['rm -rf'] }, /walkers \["rm -rf"\]/],
    ['an extra field', { ...good, code: 'process.exit()' }, /unknown field "code"/],
    ['an extra setting', { ...good, settings: { ...good.settings, module: './evil.js' } }, /settings has an unknown field "module"/],
    ['a bad point', { ...good, point: { kind: 'eval', nth: 1 } }, /point.kind "eval"/],
    ['a bad bound', { ...good, settings: { ...good.settings, bound: -1 } }, /settings.bound -1/],
  ])('refuses %s', (_what, job, message) => {
    expect(() => acceptPointJob(job, version)).toThrow(RefusedJobError);
    expect(() => acceptPointJob(job, version)).toThrow(message);
  });
});

