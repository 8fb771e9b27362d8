/**
 * `mapletree study` (and `npm start`): the headline study — which kernel configuration lets which
 * walker crash on a half-built mm after a failed fork. Cells run on worker threads; the result is a
 * table in the terminal, counterexamples as lanes with replay tokens, an HTML report, or one JSON
 * object with --json. Interrupted (Ctrl-C), it prints the cells finished and leaves a checkpoint
 * that --resume continues.
 */
import { defaultWorkers } from '../explore/pool.js';
import { performance } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import pc from 'picocolors';
import { int, list, oneOf, positiveInt } from './args.js';
import { runDesignsCli } from './designs.js';
import { EXIT, UsageError, fsError } from './errors.js';
import { HEARTBEAT_MS, Heartbeat } from './heartbeat.js';
import { parentFromFlags, type ParentFlags } from './parent.js';
import { mergeCells, mergeOf, readCheckpoint, remainingCells, remainingOf, writeCheckpoint, type StudyRunSettings } from '../study/checkpoint.js';
import { writeStudyReport } from '../study/html.js';
import { studyJson } from '../study/json.js';
import { runCells, type CellRequest, type RunCellsOptions } from '../study/run-cells.js';
import { modelVersion } from '../study/queue/model-version.js';
import type * as QueueRedis from '../study/queue/redis.js';
import type * as QueueSubmit from '../study/queue/submit.js';
import { DEFAULT_RESERVE_NODES, KERNEL_NAMES } from '../mm/config.js';
import { runDesignsSection } from '../study/designs.js';
import { designsJson } from '../study/designs-json.js';
import { designsTable } from '../study/designs-table.js';
import { ALL_WALKERS, parentVmaCount, WALKER_NAMES, type WalkerName } from '../study/scenario.js';
import { COMBINATION_SCOPES, combinationCost, combinationRequests, compareCombinations } from '../study/combinations.js';
import { walkersName } from '../study/model.js';
import { STUDY_CONFIGURATIONS, type StudyCell, type StudyResult } from '../study/study.js';
import { cellText, studyTable } from '../study/table.js';

export interface StudyCliOptions extends ParentFlags {
  bound: string;
  config?: string;
  walker?: string;
  combinations?: string;
  workers?: string;
  maxExecutions: string;
  strategy?: string;
  json?: boolean;
  html?: string | false;
  progress?: boolean;
  failOnBug?: boolean;
  saveTrace?: string;
  width?: string;
  resume?: string;
  checkpoint?: string;
  /** redis://… : spread the cells' failure points over the workers of this job queue. */
  queue?: string;
  /** With --queue: a run in progress to wait for again. */
  attach?: string;
  /** With --queue: a dfs failure point still searching after this many executions is split into prefix jobs. */
  splitAbove?: string;
  /** The designs study instead (cli/designs.ts). */
  designs?: boolean;
  /** False: no designs section after the default study's table. */
  designsSection?: boolean;
  reserveNodes?: string;
  /** With --maps/--pid: search every VMA, not the parent compressed by class. */
  exact?: boolean;
}

/** How the command talks to the world; tests pass their own. */
export interface StudyCliIo {
  readonly log?: (line: string) => void;
  readonly warn?: (line: string) => void;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
  /** Run cells in this thread even with one worker (tests from source, where worker.js is not built). */
  readonly inThread?: boolean;
  /** Whether stderr is a terminal (default: process.stderr.isTTY): a bar there, else lines with --progress. */
  readonly stderrIsTTY?: boolean;
  /** Flags given on the command line rather than defaulted (a resumed run refuses those that change its cells). */
  readonly explicit?: ReadonlySet<string>;
  /** How often a progress log names the cells in flight, in milliseconds (default HEARTBEAT_MS). */
  readonly heartbeatMs?: number;
}

export const DEFAULT_CHECKPOINT = 'mapletree-study.checkpoint.json';

/** Flags that decide what a cell finds; a resumed run takes them from its checkpoint. */
const SETTING_FLAGS = ['bound', 'config', 'walker', 'combinations', 'maxExecutions', 'executions', 'strategy', 'maps', 'pid', 'uprobe', 'uffd', 'splitAbove', 'exact'] as const;

const kebab = (flag: string): string => flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function settingsFromFlags(opts: StudyCliOptions): StudyRunSettings {
  const choice = parentFromFlags(opts);
  if (opts.exact === true && !choice) throw new UsageError('--exact needs a parent of yours (--maps FILE or --pid N): the default parent is never compressed');
  return {
    bound: int(opts.bound, 'bound'),
    maxExecutions: positiveInt(opts.maxExecutions, 'max-executions'),
    strategy: oneOf(opts.strategy ?? 'dpor', ['dpor', 'dfs'] as const, 'strategy'),
    configurations: opts.config === undefined ? [...STUDY_CONFIGURATIONS] : list(opts.config, KERNEL_NAMES, 'config'),
    walkers: walkerSets(opts.walker),
    ...(choice ? { parent: choice.parent, parentSource: choice.source, parentFlags: choice.flags } : {}),
    ...(opts.splitAbove !== undefined ? { splitAbove: positiveInt(opts.splitAbove, 'split-above') } : {}),
    ...(opts.exact === true ? { exact: true } : {}),
    combinations: oneOf(opts.combinations ?? 'pairs', COMBINATION_SCOPES, 'combinations'),
  };
}

/**
 * --walker: walkers alone, or sets written a+b[+c], each name checked and each set written as its
 * cells name it (walkersName's order). A set stands in the column list as its name.
 */
function walkerSets(value: string | undefined): WalkerName[] {
  if (value === undefined) return [...WALKER_NAMES];
  const sets = list(value, [...WALKER_NAMES, ...value.split(',').map((s) => s.trim()).filter((s) => s.includes('+'))], 'walker');
  return sets.map((set) => (set.includes('+') ? walkersName(list(set.replace(/\+/g, ','), ALL_WALKERS, 'walker')) : set)) as WalkerName[];
}

function settingsFromCheckpoint(path: string, explicit: ReadonlySet<string>): { settings: StudyRunSettings; cells: readonly StudyCell[]; pairs?: readonly StudyCell[]; timeMs: number } {
  const given = SETTING_FLAGS.find((f) => explicit.has(f));
  if (given !== undefined) throw new UsageError(`--resume continues the checkpoint's own run; --${kebab(given)} cannot change it`);
  try {
    return readCheckpoint(path);
  } catch (error) {
    throw fsError(error, 'read checkpoint', path);
  }
}

interface Progress {
  /**
   * `running`: how far the cells being searched are, as a sum of fractions (so the ETA moves within
   * them); `work`: the run's weighted progress in cells (runCells), which the bar shows when given.
   */
  update(done: number, executions: number, at?: string, running?: number, work?: number): void;
  cell(cell: StudyCell, done: number): void;
  stop(): void;
}

/** A duration or ETA in the bar: "?" while the ETA is unknown (cli-progress would print "NF" for Infinity). */
function barTime(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Seconds left at the run's average pace so far: `value` of `total` done, `start` of it done when
 * the pace began to be measured (at the first progress: the parents' build and the workers' start
 * are no part of it). The bar's work is weighed to follow the time (runCells), so the whole run's
 * pace is a steadier guide than the last few updates' (two workers' points arrive unevenly);
 * Infinity until there is a pace.
 */
export function studyEta(elapsedSeconds: number, value: number, start: number, total: number): number {
  const done = value - start;
  return done > 0 && elapsedSeconds > 0 ? (elapsedSeconds * (total - value)) / done : Infinity;
}

/**
 * The ETA's pace: the run's weighted progress (runCells' work, in cells) measured from the first
 * progress report, so a dear cell finished first does not make the rest look as dear.
 */
export class Pace {
  #value: number;
  #from: { readonly t: number; readonly value: number } | null = null;

  /** `start`: the cells done before this run (a resumed one), of `total`; `now`: the clock, in milliseconds. */
  constructor(private readonly start: number, private readonly total: number, private readonly now: () => number = () => performance.now()) {
    this.#value = start;
  }

  /** Takes a progress report (`work`: this run's, from runCells); returns the weighted progress it gives. */
  update(done: number, running = 0, work?: number): number {
    this.#value = Math.min(work !== undefined ? this.start + work : done + running, this.total);
    this.#from ??= { t: this.now(), value: this.#value };
    return this.#value;
  }

  /** Seconds left at the pace so far (Infinity until there is one). */
  eta(): number {
    if (this.#from === null) return Infinity;
    return studyEta((this.now() - this.#from.t) / 1000, this.#value, this.#from.value, this.total);
  }
}

/**
 * Progress on stderr: a bar with an ETA on a terminal (also under --json, whose output is stdout);
 * elsewhere, only when --progress is given, one line per finished cell with the time so far and the
 * ETA, and every ten minutes one naming the cells in flight (Heartbeat). `unit` names what is
 * counted: the cells alone, then the walkers together ("pairs"). Both take the ETA from the work
 * done (Pace), not from the count of cells.
 */
function progress(mode: boolean | undefined, tty: boolean, total: number, start: number, warn: (line: string) => void, unit = 'cells', heartbeatMs = HEARTBEAT_MS): Progress | null {
  if (mode === false) return null;
  const pace = new Pace(start, total);
  if (!tty) {
    if (mode !== true) return null;
    // A log has no bar, so each line carries the time so far and the ETA.
    const began = performance.now();
    const timing = (done: number): string => {
      const elapsed = barTime((performance.now() - began) / 1000);
      return done >= total ? elapsed : `${elapsed} · ETA ${barTime(pace.eta())}`;
    };
    // A long cell would leave the log silent: now and then, a line naming the cells in flight.
    const beat = new Heartbeat(heartbeatMs);
    return {
      update: (done, _executions, at, running, work) => {
        pace.update(done, running, work);
        if (at !== undefined) beat.at(at);
        const flying = beat.due();
        if (flying !== null) warn(`mapletree: running (${done}/${total} ${unit} done): ${flying} · ${timing(done)}`);
      },
      cell: (c, done) => {
        beat.finished(`${c.configuration} × ${c.walker}`);
        warn(`mapletree: ${done}/${total} ${unit}: ${c.configuration} × ${c.walker}: ${cellText(c)} · ${timing(done)}`);
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({
    format: ` {bar} {cells}/{total} ${unit} · {executions} executions · {duration_formatted} · ETA {left} · {at}`,
    barCompleteChar: '█', barIncompleteChar: '░', hideCursor: true, fps: 4,
    formatTime: barTime,
  }, undefined);
  bar.start(total, start, { cells: start, executions: 0, at: '', left: '?' });
  let last = '';
  return {
    update: (done, executions, at, running, work) => {
      if (at !== undefined) last = at;
      const value = pace.update(done, running, work);
      bar.update(value, { cells: done, executions, at: last, left: barTime(pace.eta()) });
    },
    cell: () => undefined,
    stop: () => bar.stop(),
  };
}

function firstTrace(cells: readonly StudyCell[]): StudyCell | undefined {
  return cells.find((c) => c.trace !== undefined);
}

/** The job-queue client, loaded for --queue alone: BullMQ and ioredis would slow every start. */
async function loadQueue(): Promise<typeof QueueRedis & typeof QueueSubmit> {
  const [redis, submit] = await Promise.all([import('../study/queue/redis.js'), import('../study/queue/submit.js')]);
  return { ...redis, ...submit };
}

type QueueClient = Awaited<ReturnType<typeof loadQueue>>;

/** A queued run's settings: from its record in Redis when attaching, else from the flags. */
async function queuedRun(opts: StudyCliOptions, queue: QueueClient, url: string, explicit: ReadonlySet<string>): Promise<{ settings: StudyRunSettings; run: string | undefined }> {
  try {
    queue.checkQueueUrl(url);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  for (const flag of ['resume', 'workers'] as const) {
    if (opts[flag] !== undefined) throw new UsageError(`--${flag} does not apply to --queue (the queue's workers run the cells; a stopped run is continued with --attach)`);
  }
  if (opts.attach === undefined) return { settings: settingsFromFlags(opts), run: undefined };
  const given = SETTING_FLAGS.find((f) => explicit.has(f));
  if (given !== undefined) throw new UsageError(`--attach waits for the run's own cells; --${kebab(given)} cannot change them`);
  const record = await queue.readRun(url, opts.attach).catch((error: unknown) => {
    throw error instanceof RangeError ? new UsageError(error.message) : error;
  });
  if (record.version !== modelVersion()) {
    throw new UsageError(`--attach ${opts.attach}: the run was submitted by model version ${record.version}, and this is ${modelVersion()}`);
  }
  return { settings: record.settings, run: opts.attach };
}

/**
 * Without --split-above, a dfs failure point past this many executions is split into prefix jobs on
 * the queue: its split gives exactly its unsplit result, so no setting needs to say so. A dpor
 * point's split has its own counts, so it is split only when the run's settings say so.
 */
export const DEFAULT_SPLIT_ABOVE = 5000;

/** The walkers-together cells, with their own bar (or lines) after the cells alone; `done` of them finished before. */
async function runPairs(cells: readonly CellRequest[], options: RunCellsOptions, bar: Progress | null, before: number): Promise<StudyCell[]> {
  let done = before;
  try {
    return await runCells(cells, {
      ...options,
      onCell: (cell) => bar?.cell(cell, ++done),
      onProgress: (executions, cellsDone, at, running, work) => bar?.update(before + cellsDone, executions, at, running, work),
    });
  } finally {
    bar?.stop();
  }
}

export async function runStudyCli(opts: StudyCliOptions, io: StudyCliIo = {}): Promise<number> {
  if (opts.designs) return runDesignsCli(opts, { ...(io.log ? { log: io.log } : {}), ...(io.explicit ? { explicit: io.explicit } : {}), ...(io.inThread !== undefined ? { inThread: io.inThread } : {}) });
  const log = io.log ?? console.log;
  const warn = io.warn ?? console.error;
  const explicit = io.explicit ?? new Set<string>();
  if (opts.attach !== undefined && opts.queue === undefined) throw new UsageError('--attach needs --queue: the Redis server the run is on');
  const url = opts.queue;
  const queue = url !== undefined ? await loadQueue() : null;
  const queued = url !== undefined && queue !== null ? await queuedRun(opts, queue, url, explicit) : null;
  const resumed = opts.resume !== undefined ? settingsFromCheckpoint(opts.resume, explicit) : null;
  const settings = queued?.settings ?? resumed?.settings ?? settingsFromFlags(opts);
  const workers: number | 'queue' = url !== undefined ? 'queue' : opts.workers !== undefined ? positiveInt(opts.workers, 'workers') : defaultWorkers();
  const width = opts.width !== undefined ? positiveInt(opts.width, 'width') : process.stdout.isTTY ? process.stdout.columns : 100;
  const checkpointPath = opts.checkpoint ?? opts.resume ?? DEFAULT_CHECKPOINT;
  const before = resumed?.cells ?? [];
  const remaining = remainingCells(settings, before);
  const total = before.length + remaining.length;

  const stderrTty = io.stderrIsTTY ?? process.stderr.isTTY === true;
  const bar = progress(opts.progress, stderrTty, total, before.length, warn, 'cells', io.heartbeatMs);
  const finished: StudyCell[] = [];
  const t0 = performance.now();
  const { bound, maxExecutions, strategy, configurations, walkers } = settings;
  const parent = settings.parent;
  const parentOptions = parent ? { parent, ...(settings.exact === true ? { compress: false } : {}) } : {};
  const splitOptions = settings.splitAbove !== undefined ? { splitAbove: settings.splitAbove } : {};
  // On a queue, dfs points are split above DEFAULT_SPLIT_ABOVE without being asked (their split is exact).
  const splitAbove = url !== undefined ? settings.splitAbove ?? (strategy === 'dfs' ? DEFAULT_SPLIT_ABOVE : undefined) : undefined;
  // The cells alone and the pairs run in this process's threads with the same settings.
  const local: RunCellsOptions = {
    bound, maxExecutions, strategy, workers: workers === 'queue' ? 1 : workers, ...parentOptions, ...splitOptions,
    ...(io.inThread !== undefined ? { inThread: io.inThread } : { inThread: false }),
    ...(io.signal ? { signal: io.signal } : {}),
  };
  const onCell = (cell: StudyCell): void => {
    finished.push(cell);
    bar?.cell(cell, before.length + finished.length);
  };
  const onProgress = (executions: number, done: number, at?: string, running?: number, work?: number): void => bar?.update(before.length + done, executions, at, running, work);
  const run = url !== undefined && queue !== null ? queued?.run ?? await queue.createRun(url, settings) : undefined;
  try {
    if (url !== undefined && queue !== null && run !== undefined) {
      warn(`mapletree: run ${run} on ${queue.shownUrl(url)}: start workers with mapletree worker --queue <url>; wait for it again with --attach ${run}`);
      await queue.runCellsOnQueue(settings, { url, run, onCell, ...(bar ? { onProgress } : {}), warn, ...(splitAbove !== undefined ? { splitAbove } : {}), ...(io.signal ? { signal: io.signal } : {}) });
    } else {
      await runCells(remaining, { ...local, onCell, onProgress });
    }
  } finally {
    bar?.stop();
  }
  const results = mergeCells(settings, before, finished);
  // Walkers together: the pairs, chosen from the cells alone they are compared with, so only once
  // all of those are in; a checkpoint keeps those finished.
  const scope = settings.combinations ?? 'pairs';
  const pairRequests = scope === 'none' || results.length < total ? [] : combinationRequests(scope, configurations, walkers.filter((w) => !w.includes('+')), results);
  const pairsBefore = resumed?.pairs ?? [];
  const pairCells = io.signal?.aborted === true ? [] : remainingOf(pairRequests, pairsBefore);
  // On a queue the pairs are jobs of the same run, as the cells alone were; else local threads.
  const pairsNew = pairCells.length === 0 ? [] : url !== undefined && queue !== null && run !== undefined
    ? await queue.runCellsOnQueue(settings, { url, run, warn, cells: pairCells, ...(splitAbove !== undefined ? { splitAbove } : {}), ...(io.signal ? { signal: io.signal } : {}) })
    : await runPairs(pairCells, { ...local, costs: pairCells.map(([c, w]) => combinationCost(c, w.split('+') as WalkerName[], results)) }, progress(opts.progress, stderrTty, pairRequests.length, pairRequests.length - pairCells.length, warn, 'pairs', io.heartbeatMs), pairRequests.length - pairCells.length);
  const pairs = mergeOf(pairRequests, pairsBefore, pairsNew);
  // The default study (every configuration, every walker, the default parent) ends with a section
  // of the designs study.
  const studyMs = (resumed?.timeMs ?? 0) + performance.now() - t0;
  const section = opts.designsSection !== false && opts.config === undefined && opts.walker === undefined && parent === undefined &&
    url === undefined && io.signal?.aborted !== true
    ? await runDesignsSection({
      maxExecutions, strategy, workers: workers === 'queue' ? 1 : workers,
      reserveNodes: opts.reserveNodes !== undefined ? positiveInt(opts.reserveNodes, 'reserve-nodes') : DEFAULT_RESERVE_NODES,
      ...(io.inThread !== undefined ? { inThread: io.inThread } : { inThread: false }),
      ...(io.signal ? { signal: io.signal } : {}),
    })
    : null;
  const result: StudyResult = {
    bound, parentVmas: parentVmaCount(parent), ...(parent ? { parent } : {}), results,
    executions: [...results, ...pairs].reduce((n, c) => n + c.executions, 0), timeMs: studyMs,
    ...(scope === 'none' ? {} : { combinations: compareCombinations(pairs, results) }),
  };
  const interrupted = io.signal?.aborted === true && (results.length < total || pairs.length < pairRequests.length);
  const tableOptions = {
    configurations, walkers, strategy, workers, width,
    ...(parent?.maps !== undefined ? { parent: { source: settings.parentSource ?? 'the given maps', maps: parent.maps, flags: settings.parentFlags ?? '' } } : {}),
  };

  if (interrupted && url !== undefined) {
    if (!opts.json) for (const line of studyTable(result, tableOptions)) log(line);
    warn(`mapletree: interrupted: ${results.length} of ${total} cells finished; run ${run!} goes on in the queue`);
    warn(`mapletree: wait for it again with: mapletree study --queue <url> --attach ${run!}`);
    return EXIT.interrupted;
  }
  if (interrupted) {
    writeCheckpoint(checkpointPath, { settings, cells: results, ...(pairRequests.length > 0 ? { pairs } : {}), timeMs: result.timeMs });
    if (!opts.json) for (const line of studyTable(result, tableOptions)) log(line);
    const what = results.length < total ? `${results.length} of ${total} cells` : `all ${total} cells and ${pairs.length} of ${pairRequests.length} pairs`;
    warn(`mapletree: interrupted: ${what} finished; checkpoint written to ${checkpointPath}`);
    warn(`mapletree: continue with: mapletree study --resume ${checkpointPath}`);
    return EXIT.interrupted;
  }

  if (opts.json) {
    log(JSON.stringify({ ...studyJson(result, { strategy, workers }), ...(section ? { designs: designsJson(section) } : {}) }, null, 2));
  } else {
    for (const line of studyTable(result, tableOptions)) log(line);
    if (section) {
      log('');
      for (const line of designsTable(section)) log(line);
    }
    if (opts.html !== false) {
      const index = writeStudyReport(opts.html ?? 'mapletree-study', result, walkers, configurations);
      log('');
      log(pc.dim(`HTML report: ${index}`));
    }
  }
  if (url !== undefined && queue !== null && run !== undefined) await queue.collectRun(url, run);
  if (opts.saveTrace !== undefined) {
    const cell = firstTrace(results);
    if (cell?.trace) {
      try {
        writeFileSync(opts.saveTrace, `${JSON.stringify(cell.trace, null, 2)}\n`);
      } catch (error) {
        throw fsError(error, 'write', opts.saveTrace);
      }
      warn(`mapletree: trace of ${cell.walker} under ${cell.configuration} written to ${opts.saveTrace}`);
    } else {
      warn(`mapletree: no counterexample, so no trace written to ${opts.saveTrace}`);
    }
  }
  return opts.failOnBug && results.some((c) => c.outcome === 'bug') ? EXIT.bug : EXIT.ok;
}
