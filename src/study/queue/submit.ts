/**
 * The submitting side of a queued study: a run is created in Redis with its settings, each cell's
 * failure points go on the queue as jobs, and cells are assembled from the results as they arrive
 * (cellAssembly, as a run in one thread assembles them), whatever worker computed them and in
 * whatever order. The run stays in Redis until collected, so a submitter stopped by Ctrl-C (or a
 * lost connection) can attach again and carry on.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { allCells, type StudyRunSettings } from '../checkpoint.js';
import type { CellRequest } from '../run-cells.js';
import { FORK_EXIT_MODEL, forkExitModel, walkersName } from '../model.js';
import { parentVmaCount, type ParentProcess, type WalkerName } from '../scenario.js';
import type { FrontierPrefix } from '../../explore/split.js';
import { assemblePoint, type PointSplit, type PrefixResult } from '../split-point.js';
import { cellAssembly, cellPointEstimate, failureKindsOf, liftCell, type CellSettings, type PointResult, type PointSpec, type StudyCell } from '../study.js';
import { cellCompression } from '../compressed-cell.js';
import type { CompressedParent } from '../compress.js';
import { modelVersion } from './model-version.js';
import { parentOf, pointKey, POINT_JOB_FORMAT, type PointJob, type QueuedParent, type QueuedSettings } from './point-job.js';
import { connect, QUEUE_NAME, refusedKey, resultsKey, runKey } from './redis.js';
import { Submission } from './submission.js';

export const RUN_FORMAT = 'mapletree-run/1';

export interface RunRecord {
  readonly format: typeof RUN_FORMAT;
  readonly version: string;
  readonly settings: StudyRunSettings;
  readonly created: string;
}

export interface QueueRunOptions {
  readonly url: string;
  readonly run: string;
  /**
   * Executions so far, cells finished, the failure point whose result came last, and how far the
   * unfinished cells are (a sum of fractions: their points answered over cellPointEstimate's).
   */
  readonly onProgress?: (executions: number, cellsDone: number, at?: string, running?: number) => void;
  readonly onCell?: (cell: StudyCell) => void;
  /** Stops waiting (the run stays in Redis); the cells finished by then are returned. */
  readonly signal?: AbortSignal;
  /** Connection trouble, said once per kind until it clears. */
  readonly warn?: (line: string) => void;
  /** How many allocation points of a cell are queued ahead of the sweep's known end (default 8). */
  readonly allocWindow?: number;
  readonly pollMs?: number;
  /** The model version written into jobs (default: this build's). */
  readonly version?: string;
  /** A dfs point still searching after this many executions is split into prefix jobs (default: never). */
  readonly splitAbove?: number;
  /**
   * The cells to run instead of the run's own (its configurations × walkers): the walker
   * combinations, which are chosen from those cells' results. Their jobs are numbered after the
   * run's own cells, so both sets of jobs can share one run.
   */
  readonly cells?: readonly CellRequest[];
}

export function queuedSettings(settings: StudyRunSettings): QueuedSettings {
  const p = settings.parent;
  if (p?.specs !== undefined || (p && p.maps === undefined)) throw new RangeError('a queued study takes its parent as maps text (--maps or --pid), not as VMA specs');
  // The parent goes as given, field for field: the model registered for it is named by its digest.
  return { bound: settings.bound, maxExecutions: settings.maxExecutions, strategy: settings.strategy, ...(p ? { parent: p as QueuedParent } : {}) };
}

/** Records a new run and returns its id. */
export async function createRun(url: string, settings: StudyRunSettings, version = modelVersion()): Promise<string> {
  const run = randomBytes(6).toString('hex');
  const redis = connect(url);
  try {
    const record: RunRecord = { format: RUN_FORMAT, version, settings, created: new Date().toISOString() };
    await redis.set(runKey(run), JSON.stringify(record));
  } finally {
    await redis.quit().catch(() => undefined);
  }
  return run;
}

/** The run's record; a RangeError when the server has no such run. */
export async function readRun(url: string, run: string): Promise<RunRecord> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(run)) throw new RangeError(`--attach ${JSON.stringify(run)} is not a run id`);
  const redis = connect(url);
  try {
    const text = await redis.get(runKey(run));
    if (text === null) throw new RangeError(`--attach ${run}: no such run on this server (finished runs are removed once collected)`);
    const record = JSON.parse(text) as RunRecord;
    if (record.format !== RUN_FORMAT) throw new RangeError(`--attach ${run}: the run's record is ${JSON.stringify(record.format)}, not ${RUN_FORMAT}`);
    return record;
  } finally {
    await redis.quit().catch(() => undefined);
  }
}

/** Removes a finished run from Redis: its record, results, refusals and any jobs still queued. */
export async function collectRun(url: string, run: string): Promise<void> {
  const redis = connect(url);
  const queue = new Queue(QUEUE_NAME, { connection: redis });
  try {
    for (const job of await queue.getJobs(['waiting', 'prioritized', 'delayed', 'failed'])) {
      if (job?.id?.startsWith(`${run}.`)) await job.remove().catch(() => undefined);
    }
    await redis.del(runKey(run), resultsKey(run), refusedKey(run));
  } finally {
    await queue.close();
    await redis.quit().catch(() => undefined);
  }
}

interface QueuedJob {
  readonly name: string;
  readonly data: PointJob;
  readonly opts: { readonly jobId: string; readonly removeOnComplete: true; readonly removeOnFail: { readonly age: number }; readonly attempts: number };
}

interface CellState {
  readonly index: number;
  readonly configuration: string;
  readonly walkers: readonly WalkerName[];
  readonly walker: string;
  /** The parent its points search: the user's, or the user's compressed by class (then `compressed`). */
  readonly options: CellSettings;
  readonly compressed: CompressedParent | null;
  /** The settings its jobs carry: the run's, with the parent its points search. */
  readonly jobSettings: QueuedSettings;
  /** The VMAs of the parent its points search: its signal points. */
  readonly vmas: number;
  cell?: StudyCell;
  /** The highest allocation number queued so far. */
  allocsQueued: number;
  signalsQueued: boolean;
  readonly jobs: Set<string>;
  /** About how many points it searches (cellPointEstimate; 0 with no onProgress), and how many have an answer. */
  readonly points: number;
  answered: number;
}

/**
 * Queues the run's points and waits for its cells; returns them in the run's table order (on
 * abort, those finished). Throws when a worker refuses a job (the run stays for --attach once
 * the workers are right).
 */
export async function runCellsOnQueue(settings: StudyRunSettings, options: QueueRunOptions): Promise<StudyCell[]> {
  const { run } = options;
  const version = options.version ?? modelVersion();
  const window = options.allocWindow ?? 8;
  const pollMs = options.pollMs ?? 250;
  const queued = queuedSettings(settings);
  const parent = parentOf(queued);
  const cellOptions = { bound: queued.bound, maxExecutions: queued.maxExecutions, strategy: queued.strategy, ...(parent ? { parent } : {}) };
  const runJobSettings: QueuedSettings = options.splitAbove !== undefined ? { ...queued, splitAbove: options.splitAbove } : queued;
  const own = allCells(settings);
  const first = options.cells === undefined ? 0 : own.length;
  const cells: CellState[] = (options.cells ?? own).map(([configuration, w], i) => {
    // A column is a walker or a set written a+b.
    const walkers = w.split('+') as WalkerName[];
    // As in one thread (studyCellBy), a user's parent is searched compressed unless --exact: the
    // jobs carry the compressed parent, and the cell is told in the user's numbering when done.
    const compressed = cellCompression(configuration, parent, settings.exact === true ? false : undefined, queued.bound);
    const searched = compressed?.parent ?? parent;
    const searchOptions: CellSettings = compressed ? { ...cellOptions, parent: compressed.parent } : cellOptions;
    return {
      index: first + i, configuration, walkers, walker: walkersName(walkers), compressed,
      options: searchOptions,
      jobSettings: compressed ? { ...runJobSettings, parent: compressed.parent as QueuedParent } : runJobSettings,
      vmas: parentVmaCount(searched), allocsQueued: 0, signalsQueued: false, jobs: new Set<string>(),
      // The estimate counts a solo fork: only when someone watches the progress (as studyCellBy).
      points: options.onProgress ? cellPointEstimate(configuration, walkers, searchOptions) : 0, answered: 0,
    };
  });
  const results = new Map<string, PointResult>();
  /** Points split into prefix jobs, with their frontiers, and the prefix jobs' results. */
  const splits = new Map<string, readonly FrontierPrefix[]>();
  const prefixResults = new Map<string, PrefixResult>();
  const submission = new Submission(options.url, run, options.warn);
  const { redis, queue } = submission;
  let executions = 0;
  let last: string | undefined;

  const job = (c: CellState, point: PointSpec): QueuedJob => {
    const jobId = `${run}.${c.index}.${point.kind === 'alloc' ? `a${point.nth}` : `s${point.vma}`}`;
    c.jobs.add(jobId);
    return {
      name: 'point',
      data: { format: POINT_JOB_FORMAT, run, version, model: FORK_EXIT_MODEL, configuration: c.configuration, walkers: c.walkers, point, settings: c.jobSettings },
      opts: { jobId, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 }, attempts: 3 },
    };
  };

  /** Assembles the cell from the results so far, or says which point it waits for. */
  const assemble = (c: CellState): PointSpec | StudyCell => {
    const steps = cellAssembly(c.configuration, c.walkers, c.options);
    for (let step = steps.next(); ;) {
      if (step.done) return step.value;
      const r = results.get(pointKey(c.configuration, c.walker, step.value));
      if (!r) return step.value;
      step = steps.next(r);
    }
  };

  /** New jobs for a cell: every signal point at once, allocation points a window ahead of the sweep. */
  const plan = (c: CellState, waiting: PointSpec): QueuedJob[] => {
    const { allocs, signals } = failureKindsOf(c.walkers);
    const add: QueuedJob[] = [];
    // A point with a result already (a run attached again) is not queued twice.
    const wanted = (point: PointSpec): void => {
      const key = pointKey(c.configuration, c.walker, point);
      if (!results.has(key) && !splits.has(key)) add.push(job(c, point));
    };
    if (allocs) {
      const upTo = waiting.kind === 'alloc' ? Math.max(c.allocsQueued, waiting.nth + window - 1) : c.allocsQueued;
      for (let nth = c.allocsQueued + 1; nth <= upTo; nth++) wanted({ kind: 'alloc', nth });
      c.allocsQueued = upTo;
    }
    if (signals && !c.signalsQueued) {
      for (let vma = 0; vma < c.vmas; vma++) wanted({ kind: 'signal', vma });
      c.signalsQueued = true;
    }
    return add;
  };

  /** The cell a result's key (pointKey) belongs to. */
  const cellOf = (k: string): CellState | undefined => cells.find((x) => k.startsWith(`${x.configuration}/${x.walker}/`));

  /** Keeps a point's result and counts it for its cell's progress. */
  const answer = (k: string, r: PointResult): void => {
    if (results.has(k)) return;
    results.set(k, r);
    const c = cellOf(k);
    if (c) c.answered++;
  };

  const known = new Set<string>();
  const poll = async (): Promise<void> => {
    await submission.checkRefusals();
    const fresh = (await redis.hkeys(resultsKey(run))).filter((k) => !known.has(k));
    if (fresh.length > 0) {
      const values = await redis.hmget(resultsKey(run), ...fresh);
      fresh.forEach((k, i) => {
        const text = values[i];
        if (text === null || text === undefined) return;
        const r = JSON.parse(text) as PointResult | PointSplit | PrefixResult;
        known.add(k);
        if ('split' in r) splits.set(k, r.split);
        else if ('segments' in r) {
          prefixResults.set(k, r);
          executions += r.segments.reduce((n, x) => n + x.executions, 0);
        } else {
          answer(k, r);
          executions += r.executions;
          last = `${k.split('/').slice(0, 2).join(' × ')}: ${r.label}`;
        }
      });
    }
    for (const [k, frontier] of splits) {
      if (results.has(k)) continue;
      const c = cellOf(k)!;
      const at = k.slice(k.lastIndexOf('/') + 1);
      for (let i = 0; i < frontier.length; i++) c.jobs.add(`${run}.${c.index}.${at}.p${i}`);
      if (!frontier.every((_, i) => prefixResults.has(`${k}#p${i}`))) continue;
      const point: PointSpec = at.startsWith('a') ? { kind: 'alloc', nth: Number(at.slice(1)) } : { kind: 'signal', vma: Number(at.slice(1)) };
      const r = assemblePoint(c.configuration, c.walkers, point, c.options, frontier, (i) => prefixResults.get(`${k}#p${i}`)!);
      answer(k, r);
      last = `${c.configuration} × ${c.walker}: ${r.label} (${frontier.length} prefix jobs)`;
    }
    const add: QueuedJob[] = [];
    const finishedNow: CellState[] = [];
    for (const c of cells) {
      if (c.cell) continue;
      const got = assemble(c);
      if (!('outcome' in got)) add.push(...plan(c, got));
      else {
        c.cell = c.compressed ? userCell(got, c.compressed, parent!) : got;
        finishedNow.push(c);
      }
    }
    if (add.length > 0) await queue.addBulk(add);
    for (const c of finishedNow) {
      options.onCell?.(c.cell!);
      // Points past a bug or past the sweep's end are not needed: drop those no worker has taken.
      for (const id of c.jobs) await queue.remove(id).catch(() => 0);
    }
    // A cell past its estimate (a few walker allocations more) counts as all but done until it is.
    const running = cells.reduce((sum, c) => (c.cell || c.points === 0 ? sum : sum + Math.min(c.answered / c.points, 0.99)), 0);
    options.onProgress?.(executions, cells.filter((c) => c.cell).length, last, running);
  };

  try {
    await submission.pollUntil(() => cells.every((c) => c.cell), poll, pollMs, options.signal);
  } finally {
    await submission.close();
  }
  return cells.flatMap((c) => (c.cell ? [c.cell] : []));
}

/**
 * A cell its jobs searched on the compressed parent, as one thread tells it (studyCellBy): in the
 * user's numbering, its trace of the compressed parent's model. A worker names that model by the
 * parent's digest alone (the compression is the submitter's), so the trace is given the name
 * `mapletree replay --maps` finds again: the digest's model with the compression's suffix.
 */
function userCell(cell: StudyCell, compressed: CompressedParent, parent: ParentProcess): StudyCell {
  const lifted = liftCell(cell, compressed, parent);
  return lifted.trace ? { ...lifted, trace: { ...lifted.trace, model: forkExitModel(compressed.parent).name } } : lifted;
}
