/**
 * The headline study: for each kernel configuration and each walker (or set of walkers), fork fails
 * at every possible point — a fatal signal arriving at each VMA of the loop, and the n-th allocation
 * for every n until the fault no longer fires — and the explorer searches every interleaving of fork
 * and walker up to a preemption bound. A cell is a bug (kind, failure point, minimal trace),
 * verified up to the bound, unreachable (the walker never got hold of the failed child in any
 * execution, with the kernel's reason), n/a (the parent gives the walker nothing to reach) or an
 * error (the model itself failed).
 */
import { performance } from 'node:perf_hooks';
import { explore, type ExploreResult } from '../explore/explore.js';
import type { FaultPlan } from '../explore/execution.js';
import type { CleanBelow } from '../explore/minimise.js';
import type { Trace } from '../explore/trace.js';
import { KERNEL_RELEASES, kernelConfig, type KernelConfig } from '../mm/config.js';
import { forkExitModel, takeReaches, variantName, walkersName } from './model.js';
import { indexArg, kernelConfigArg, optionalBooleanArg, optionsArg } from '../mm/args.js';
import { arrayArg, configurationArg, oneOfArg, optionalFunctionArg, parentArg, walkerArg, walkerSetArg } from './args.js';
import { COMBINATION_SCOPES, combinationRequests, compareCombinations, type Combination, type CombinationScope } from './combinations.js';
import type { CompressedParent } from './compress.js';
import { cellCompression, liftFailurePoint, liftMessage, type CellCompression } from './compressed-cell.js';
import { forkAllocations, parentVmaCount, walkerNotApplicable, WALKER_FAILURES, WALKER_NAMES, WALKER_TASK, type ParentProcess, type WalkerName } from './scenario.js';

/** The study's configurations: every real kernel, then the counterfactual rows. */
export const STUDY_CONFIGURATIONS: readonly string[] = KERNEL_RELEASES.map((k) => k.name);

export type CellOutcome = 'bug' | 'verified' | 'unreachable' | 'n/a' | 'error';

export interface StudyOptions {
  readonly configurations?: readonly string[];
  /** Walker sets, one cell each per configuration (default: every walker alone). */
  readonly walkers?: ReadonlyArray<WalkerName | readonly WalkerName[]>;
  /** The forking process (default: the study's default parent). */
  readonly parent?: ParentProcess;
  /** The preemption bound of every search (iterative: 0, 1, …, bound). */
  readonly bound?: number;
  /** A cap on executions per failure point; a capped search is never reported as verified. */
  readonly maxExecutions?: number;
  /** Exhaustive search: plain bounded DFS, or DPOR with bounded POR's backtracking (fewer executions). */
  readonly strategy?: 'dfs' | 'dpor';
  /**
   * How the n-th allocation fails (default ['once']): 'once' fails only it; 'persistent' fails it
   * and every later one, so the recovery's own allocations fail too (the designs study).
   */
  readonly faultModes?: ReadonlyArray<'once' | 'persistent'>;
  readonly onProgress?: (progress: StudyProgress) => void;
  /** The size of the node reserve of the designs that have one (default 63; designs.ts). */
  readonly reserveNodes?: number;
  /** Walkers together (combinations.ts): which pairs to run besides the single walkers (default none). */
  readonly combinations?: CombinationScope;
  /**
   * The fork declares its footprint (default true; ScenarioOptions.forkFootprint): fewer
   * decisions, the same cells. False searches as the study did before, to compare with.
   */
  readonly forkFootprint?: boolean;
  /**
   * Search a user's parent compressed by class (default true; compress.ts, docs/walkers.md "Class
   * compression"): its VMAs whose failure points have an earlier VMA's signature are left out, and
   * the cell is told in the parent's own numbering. False: the exact search on every VMA.
   */
  readonly compress?: boolean;
}

export interface StudyProgress {
  readonly configuration: string;
  readonly walker: string;
  readonly failurePoint: string;
  readonly executions: number;
  /** Failure points searched so far in this cell, and about how many it has (cellPointEstimate). */
  readonly pointsDone: number;
  readonly pointsEstimate: number;
  /**
   * The work of the points searched so far, and about how much the cell has (pointWork): a point
   * far into the fork's loop costs several times one near its start, so the ETA follows this.
   */
  readonly workDone: number;
  readonly workEstimate: number;
}

export interface StudyCell {
  readonly configuration: string;
  /** The walker, or walkers joined with '+'. */
  readonly walker: string;
  readonly walkers: readonly WalkerName[];
  readonly outcome: CellOutcome;
  /** Why a cell is unreachable, n/a or an error. */
  readonly reason?: string;
  readonly kind?: string;
  readonly message?: string;
  /** Where fork failed in the counterexample, e.g. `fatal signal at VMA 4` or `allocation 7 (vm_area_dup)`. */
  readonly failurePoint?: string;
  /** Failure points searched (all of them unless a bug was found first). */
  readonly failurePoints: number;
  readonly executions: number;
  readonly timeMs: number;
  readonly executionsToFirstBug?: number;
  readonly timeToFirstBugMs?: number;
  /** Steps of the minimised counterexample. */
  readonly traceLength?: number;
  readonly trace?: Trace;
  readonly bound: number;
  readonly strategy: 'dfs' | 'dpor';
  /** False when some search hit the execution cap: then nothing is verified or unreachable, only "no bug in N executions". */
  readonly exhaustive: boolean;
  /** The walkers of the set that got hold of the failed child in some execution. */
  readonly reached?: readonly WalkerName[];
  /** Searched on the compressed parent (StudyOptions.compress): how many of its VMAs, by how many classes. */
  readonly compressed?: CellCompression;
}

export interface StudyResult {
  readonly bound: number;
  readonly parentVmas: number;
  /** The process that forked; absent for the default parent. The table and the HTML report show it. */
  readonly parent?: ParentProcess;
  readonly results: StudyCell[];
  readonly executions: number;
  readonly timeMs: number;
  /** The pairs run (StudyOptions.combinations), each compared with its members alone. */
  readonly combinations?: readonly Combination[];
}

/** One failure point of a cell: the n-th allocation of the fork fails, or a fatal signal arrives at a VMA. */
export type PointSpec = { readonly kind: 'alloc'; readonly nth: number; readonly persistent?: boolean } | { readonly kind: 'signal'; readonly vma: number };

/**
 * What one failure point's search found: plain data (it crosses threads and the job queue), from
 * which cellAssembly builds the cell exactly as a run in one thread does.
 */
export interface PointResult {
  readonly point: PointSpec;
  readonly label: string;
  readonly executions: number;
  readonly timeMs: number;
  /** Searched to the whole bound, or stopped at a bug. */
  readonly exhaustive: boolean;
  /** Whether the planned allocation failure fired in some execution (the sweep ends at the first that did not). */
  readonly faultFired: boolean;
  /** Walker tasks that got hold of the failed child in some execution. */
  readonly reached: readonly string[];
  readonly bug?: {
    readonly kind: string;
    readonly message: string;
    readonly failurePoint: string;
    /** Counted within this point's search. */
    readonly executionsToFirstBug: number;
    readonly timeToFirstBugMs: number;
    readonly trace: Trace;
  };
  /** The model failed (it threw): the cell becomes an error cell. */
  readonly error?: string;
}

export function pointLabel(point: PointSpec): string {
  if (point.kind === 'signal') return `fatal signal at VMA ${point.vma}`;
  return point.persistent ? `allocation ${point.nth} and every later one` : `allocation ${point.nth}`;
}

/** Which failures a cell's walkers race: the allocation sweep, the fatal signals, or both. */
export function failureKindsOf(walkers: readonly WalkerName[]): { readonly allocs: boolean; readonly signals: boolean } {
  const kinds = new Set(walkers.map((w) => WALKER_FAILURES[w]));
  return { allocs: kinds.has('all') || kinds.has('alloc'), signals: kinds.has('all') || kinds.has('signal') };
}

/**
 * Every failure point of one cell, in order: the n-th allocation for each n until the sweep runs out
 * (the fault no longer fires), then a fatal signal arriving at each VMA of the loop.
 */
function* failurePointsOf(walkers: readonly WalkerName[], vmas: number, modes: ReadonlyArray<'once' | 'persistent'>): Generator<PointSpec, void, PointResult> {
  const { allocs, signals } = failureKindsOf(walkers);
  for (const mode of allocs ? modes : []) {
    for (let nth = 1; ; nth++) {
      const result = yield mode === 'once' ? { kind: 'alloc', nth } : { kind: 'alloc', nth, persistent: true };
      if (!result.faultFired) break;
    }
  }
  for (let vma = 0; signals && vma < vmas; vma++) yield { kind: 'signal', vma };
}

/**
 * Why no execution gave `walker` a path to a failed fork's child in this kernel: the fix (or the
 * kernel's design) that closes its door. Shown with an unreachable cell; the cell itself comes from
 * the exploration, never from this text.
 */
export function unreachableReason(walker: WalkerName, config: KernelConfig): string {
  walkerArg('unreachableReason', 'walker', walker);
  kernelConfigArg('unreachableReason', config);
  switch (walker) {
    case 'oom-reaper':
      return 'a failed child is never an OOM victim: copy_mm sets tsk->mm only after dup_mm succeeds, and mark_oom_victim takes tsk->mm; the reaper only ever reaps the OOM-killed parent';
    case 'uffd-withdraw':
      return config.uffdFailOnError
        ? 'on failure dup_userfaultfd_fail drops the new contexts; no fork event is queued, so none is withdrawn (f64e67e5d3a4)'
        : 'no failure point withdrew a fork event of the failed child';
    case 'uffd':
      return config.uffdFailOnError
        ? 'on failure dup_userfaultfd_fail drops the new contexts before any fork event is queued (f64e67e5d3a4)'
        : 'a fork event is withdrawn before the monitor can read it while a fatal signal is pending (userfaultfd_event_wait_completion)';
    case 'uprobe':
      return config.uprobeSemInDupMm
        ? 'dup_mmap_sem is held from before dup_mmap until after dup_mm\'s mmput, so build_map_info never sees the failed child (8ac662f5da19)'
        : 'no explored interleaving let uprobe registration find the failed child in the file\'s i_mmap';
    case 'ksmd':
    case 'khugepaged':
      return config.ksmKhugepagedEarly
        ? `no explored interleaving let ${walker} scan the failed child`
        : 'ksm_fork and khugepaged_fork register only a complete child (985da552a98e)';
    case 'swapoff':
      return 'no failure point left the failed child on the mmlist with users';
    case 'careless':
      return 'no failure point left the failed child on the mmlist or the KSM list where the walker could pin it';
    case 'reclaim':
      return 'no failure point let reclaim find the failed child mapping the folio through anon rmap';
    case 'task-lookup':
      return 'a failed fork\'s child task is never published: copy_mm sets tsk->mm only after dup_mm succeeds, and attach_pid and lru_gen_add_mm come after "No more failure paths" — so /proc/pid/maps, process_madvise, process_mrelease, ptrace/process_vm_readv, DAMON vaddr and MGLRU never find it (docs/walkers.md)';
  }
}

/** The options every cell runs with (StudyOptions less the cell list and the progress callback). */
export const CELL_OPTION_KEYS = ['parent', 'bound', 'maxExecutions', 'strategy', 'faultModes', 'combinations', 'reserveNodes', 'forkFootprint', 'compress'] as const;

/** Checks the options of `o` that every cell runs with; `o` is an options object already. */
export function cellOptionsArg(fn: string, o: Readonly<Record<string, unknown>>): void {
  parentArg(fn, 'options.parent', o['parent']);
  if (o['bound'] !== undefined) indexArg(fn, 'options.bound', o['bound']);
  if (o['maxExecutions'] !== undefined && indexArg(fn, 'options.maxExecutions', o['maxExecutions']) < 1) {
    throw new RangeError(`${fn}: options.maxExecutions must be at least 1, got ${o['maxExecutions'] as number}`);
  }
  if (o['strategy'] !== undefined) oneOfArg(fn, 'options.strategy', o['strategy'], ['dfs', 'dpor']);
  if (o['faultModes'] !== undefined) arrayArg(fn, 'options.faultModes', o['faultModes']).forEach((m, i) => oneOfArg(fn, `options.faultModes[${i}]`, m, ['once', 'persistent']));
  if (o['combinations'] !== undefined) oneOfArg(fn, 'options.combinations', o['combinations'], COMBINATION_SCOPES);
  if (o['reserveNodes'] !== undefined && indexArg(fn, 'options.reserveNodes', o['reserveNodes']) < 1) {
    throw new RangeError(`${fn}: options.reserveNodes must be at least 1, got ${o['reserveNodes'] as number}`);
  }
  optionalBooleanArg(fn, 'options.forkFootprint', o['forkFootprint']);
  optionalBooleanArg(fn, 'options.compress', o['compress']);
}

/** Throws unless `value` is undefined or StudyOptions; returns it (or an empty object). */
function studyOptionsArg(fn: string, value: unknown): StudyOptions {
  const o = optionsArg(fn, 'options', value, [...CELL_OPTION_KEYS, 'configurations', 'walkers', 'onProgress']);
  cellOptionsArg(fn, o);
  if (o['configurations'] !== undefined) arrayArg(fn, 'options.configurations', o['configurations']).forEach((c, i) => configurationArg(fn, `options.configurations[${i}]`, c));
  if (o['walkers'] !== undefined) arrayArg(fn, 'options.walkers', o['walkers']).forEach((w, i) => walkerSetArg(fn, `options.walkers[${i}]`, w));
  optionalFunctionArg(fn, 'options.onProgress', o['onProgress']);
  return o as StudyOptions;
}

export type CellSettings = Pick<StudyOptions, 'bound' | 'maxExecutions' | 'strategy' | 'parent' | 'faultModes' | 'reserveNodes' | 'forkFootprint' | 'compress'>;

/** What a failure point's search explores: the model and variant, and the search's options. */
export interface PointSearch {
  readonly model: string;
  readonly variant: string;
  readonly label: string;
  readonly search: {
    readonly model: string;
    readonly variant: string;
    readonly strategy: 'dfs' | 'dpor';
    readonly bound: number;
    readonly executions: number;
    readonly fault: FaultPlan | null;
  };
}

/** The search studyPoint runs for one failure point (the model registered for the parent first). */
export function pointSearch(configuration: string, walkers: readonly WalkerName[], point: PointSpec, options: CellSettings = {}): PointSearch {
  const bound = options.bound ?? 1;
  const strategy = options.strategy ?? 'dfs';
  const model = forkExitModel(options.parent, options.reserveNodes, options.forkFootprint ?? true).name;
  const variant = variantName(configuration, walkers, point.kind === 'alloc' ? 'alloc' : `signal@${point.vma}`);
  const fault: FaultPlan | null = point.kind === 'alloc' ? { task: 'fork', nth: point.nth, mode: point.persistent ? 'persistent' : 'once' } : null;
  return { model, variant, label: pointLabel(point), search: { model, variant, strategy, bound, executions: options.maxExecutions ?? 200_000, fault } };
}

/** A point's result from its search's: `reached` the walkers that got hold of the child, `timeMs` the point's time. */
export function pointResult(point: PointSpec, label: string, bound: number, r: ExploreResult, reached: readonly string[], timeMs: number): PointResult {
  const found = { point, label, executions: r.executions, timeMs, exhaustive: r.exhaustiveBound === bound || r.outcome === 'bug', faultFired: r.faultFired, reached };
  if (r.outcome !== 'bug' || !r.trace || !r.firstBug) return found;
  const trace = r.trace;
  const faultEvent = trace.events.find((e) => e.fault);
  return {
    ...found,
    bug: {
      kind: trace.violation!.kind, message: trace.violation!.message,
      failurePoint: faultEvent ? `${label} (${faultEvent.obj})` : label,
      executionsToFirstBug: r.firstBug.executions, timeToFirstBugMs: timeMs - (r.timeMs - r.firstBug.timeMs), trace,
    },
  };
}

/** The result of a point whose model threw. */
export function pointError(point: PointSpec, timeMs: number, e: unknown): PointResult {
  return { point, label: pointLabel(point), executions: 0, timeMs, exhaustive: false, faultFired: false, reached: [], error: e instanceof Error ? e.message : String(e) };
}

/** Searches one failure point of a cell; a model that throws gives a result with `error`. */
export function studyPoint(configuration: string, walkers: readonly WalkerName[], point: PointSpec, options: CellSettings = {}, cleanBelow?: CleanBelow): PointResult {
  const t0 = performance.now();
  try {
    const { model, variant, label, search } = pointSearch(configuration, walkers, point, options);
    takeReaches(model, variant);
    const r = explore(cleanBelow !== undefined ? { ...search, cleanBelow } : search);
    const reached = [...takeReaches(model, variant)].sort();
    return pointResult(point, label, search.bound, r, reached, performance.now() - t0);
  } catch (e) {
    return pointError(point, performance.now() - t0, e);
  }
}

/**
 * Builds one cell from its failure points' results, asking for each in order (it yields the next
 * point it needs and is sent that point's result). It stops at the first point with a bug or an
 * error, so the cell depends only on the results, never on who computed them or when: a run in
 * one thread and a run spread over a job queue assemble the same cell.
 */
export function* cellAssembly(configuration: string, walkerSet: WalkerName | string | readonly WalkerName[], options: CellSettings = {}): Generator<PointSpec, StudyCell, PointResult> {
  const walkers = walkerSetArg('studyCell', 'walker', walkerSet);
  const base = { configuration, walker: walkersName(walkers), walkers, bound: options.bound ?? 1, strategy: options.strategy ?? 'dfs' } as const;
  for (const w of walkers) {
    const why = walkerNotApplicable(w, options.parent, walkers);
    if (why) return { ...base, outcome: 'n/a', reason: why, failurePoints: 0, executions: 0, timeMs: 0, exhaustive: true };
  }
  let executions = 0;
  let points = 0;
  let timeMs = 0;
  let exhaustive = true;
  const reached = new Set<string>();
  const order = failurePointsOf(walkers, parentVmaCount(options.parent), options.faultModes ?? ['once']);
  for (let next = order.next(); !next.done;) {
    const r = yield next.value;
    timeMs += r.timeMs;
    if (r.error !== undefined) return { ...base, outcome: 'error', reason: r.error, failurePoints: points, executions, timeMs, exhaustive: false };
    points++;
    for (const who of r.reached) reached.add(who);
    if (!r.exhaustive) exhaustive = false;
    if (r.bug) {
      const { trace } = r.bug;
      return {
        ...base, outcome: 'bug', kind: r.bug.kind, message: r.bug.message, failurePoint: r.bug.failurePoint,
        failurePoints: points, executions: executions + r.executions, timeMs,
        executionsToFirstBug: executions + r.bug.executionsToFirstBug, timeToFirstBugMs: timeMs - r.timeMs + r.bug.timeToFirstBugMs,
        traceLength: trace.stats.steps, trace, exhaustive, reached: walkers.filter((w) => reached.has(WALKER_TASK[w])),
      };
    }
    executions += r.executions;
    next = order.next(r);
  }
  const unreached = walkers.filter((w) => !reached.has(WALKER_TASK[w]));
  const got = walkers.filter((w) => reached.has(WALKER_TASK[w]));
  if (exhaustive && unreached.length === walkers.length) {
    const config = kernelConfig(configuration);
    const reason = unreached.map((w) => (walkers.length > 1 ? `${w}: ` : '') + unreachableReason(w, config)).join('; ');
    return { ...base, outcome: 'unreachable', reason, failurePoints: points, executions, timeMs, exhaustive, reached: got };
  }
  return { ...base, outcome: 'verified', failurePoints: points, executions, timeMs, exhaustive, reached: got };
}

/** What a cell's failure points are estimated from: the allocation sweep's length per fault mode, and the VMAs. */
export interface CellShape {
  readonly allocModes: number;
  /** The fork's allocations and one more (the sweep ends at the first point whose fault never fired). */
  readonly sweep: number;
  readonly signals: number;
  /**
   * 7.0 (vma_start_write_killable): a signal fails the fork only while a parent thread holds the
   * VMA, so most executions of a signal point run the whole loop, and the thread is one more actor.
   */
  readonly readerSignals: boolean;
}

/** A cell's shape; `sweepWalkers`: the walkers set up while the sweep is counted (default the cell's). */
function cellShape(configuration: string, walkers: readonly WalkerName[], options: CellSettings, sweepWalkers = walkers): CellShape {
  const { allocs, signals } = failureKindsOf(walkers);
  const config = kernelConfig(configuration);
  let sweep = 0;
  try {
    if (allocs) sweep = forkAllocations(options.parent, config, sweepWalkers) + 1;
  } catch {
    // A model that throws is the cell's own error to report; the estimate just goes without it.
  }
  return {
    allocModes: allocs ? (options.faultModes ?? ['once']).length : 0, sweep,
    signals: signals ? parentVmaCount(options.parent) : 0, readerSignals: config.vmaStartWriteKillable,
  };
}

const shapePoints = (shape: CellShape): number => shape.allocModes * shape.sweep + shape.signals;

/**
 * About how many failure points a cell searches, for a progress bar's ETA: the fork's allocations
 * and one more, per fault mode, and a fatal signal per VMA. The cell itself never depends on it.
 */
export function cellPointEstimate(configuration: string, walkerSet: WalkerName | string | readonly WalkerName[], options: CellSettings = {}): number {
  const walkers = walkerSetArg('cellPointEstimate', 'walker', walkerSet);
  return shapePoints(cellShape(configuration, walkers, options));
}

/**
 * What a point costs whatever it is, as a share of the fork's whole loop: what each execution
 * does whatever the failure — the copy of the parent's world, the leak check, the walkers' own
 * work (swapoff walks the parent's VMAs) — measured at about half of a whole loop's time on a
 * 1,000-VMA parent (6.8 × oom-reaper: an allocation point near the start 73 ms, one at the end
 * 153 ms; BENCHMARKS.md, "Large parents").
 */
export const POINT_BASE_WORK = 0.5;

/**
 * A 7.0 signal point's work: the whole loop in each execution, and about six times the executions
 * of an allocation point (7.0 × swapoff at 1,000 VMAs: 113 executions of 8,500 steps against 19 of
 * 8,700 for its last allocation; BENCHMARKS.md, "Large parents").
 */
export const READER_SIGNAL_WORK = 6 * (1 + POINT_BASE_WORK);

/** How far the fork's loop gets before `point` fails it: 0 at its start, 1 at its end (a point past the estimate too). */
function pointReach(point: PointSpec, shape: CellShape): number {
  return Math.min(point.kind === 'alloc' ? point.nth / Math.max(shape.sweep, 1) : point.vma / Math.max(shape.signals, 1), 1);
}

/** A sweep's cost as a line in its points' reach: `base` + `slope` × reach. */
export interface SweepCost {
  readonly base: number;
  readonly slope: number;
}

/**
 * The relative work of searching one failure point of a cell, for the ETA: every execution runs the
 * fork's loop up to the failure and then tears the copy down, so its time grows with how far the
 * loop got, on top of POINT_BASE_WORK (`cost`: a calibrated line instead, from two probes). The
 * executions per point do not grow with the parent for most walkers (footprints), so this is the
 * shape of a cell's time.
 */
export function pointWork(point: PointSpec, shape: CellShape, cost?: SweepCost): number {
  if (cost) return cost.base + cost.slope * pointReach(point, shape);
  if (point.kind === 'signal' && shape.readerSignals) return READER_SIGNAL_WORK;
  return POINT_BASE_WORK + pointReach(point, shape);
}

/** The uncalibrated line: POINT_BASE_WORK plus the reach. */
const STATIC_COST: SweepCost = { base: POINT_BASE_WORK, slope: 1 };

/** The work of a sweep of `n` points whose reach is i/n, i from `from`, on the line `cost` (pointWork summed). */
function sweepWork(cost: SweepCost, n: number, from: number): number {
  return n * cost.base + cost.slope * ((n * from + (n * (n - 1)) / 2) / Math.max(n, 1));
}

/** The work of the points a cell of this shape has (pointWork summed over them), with each sweep's cost line where given. */
function shapeWork(shape: CellShape, costs: { readonly alloc?: SweepCost; readonly signal?: SweepCost } = {}): number {
  const allocs = sweepWork(costs.alloc ?? STATIC_COST, shape.sweep, 1);
  const signals = costs.signal || !shape.readerSignals ? sweepWork(costs.signal ?? STATIC_COST, shape.signals, 0) : shape.signals * READER_SIGNAL_WORK;
  return shape.allocModes * allocs + signals;
}

/**
 * A cell's estimated work, the sum of pointWork over the points cellPointEstimate counts, 0 when
 * the cell is n/a: a run's progress weighs its cells by it. The sweep is counted without the
 * walkers' own setup (a few allocations more or less), once per configuration.
 */
export function cellWorkEstimate(configuration: string, walkerSet: WalkerName | string | readonly WalkerName[], options: CellSettings = {}): number {
  const walkers = walkerSetArg('cellWorkEstimate', 'walker', walkerSet);
  if (walkers.some((w) => walkerNotApplicable(w, options.parent, walkers) !== null)) return 0;
  const compressed = cellCompression(configuration, options.parent, options.compress, options.bound ?? 1);
  return shapeWork(cellShape(configuration, walkers, compressed ? { ...options, parent: compressed.parent } : options, []));
}

/**
 * How a cell's points are searched: studyPoint, or as a run that splits long points (split-point.ts).
 * `cleanBelow`: the sweep's points before this one searched clean (a hint for the minimiser, which
 * gives the same counterexample without it).
 */
export type PointSearcher = (configuration: string, walkers: readonly WalkerName[], point: PointSpec, options: CellSettings, cleanBelow?: CleanBelow) => PointResult;

/** Runs one cell of the table: each failure point in turn, assembled by cellAssembly. */
export function studyCell(configuration: string, walkerSet: WalkerName | string | readonly WalkerName[], options: StudyOptions = {}): StudyCell {
  return studyCellBy(configuration, walkerSet, options, studyPoint);
}

/**
 * A cell with more points than this has its progress calibrated: two points of each sweep, a
 * quarter and three quarters of the way, are searched first and timed, and the sweep's points
 * weigh the line through them (SweepCost) — the walkers' share of a point and how fast points grow
 * differ by walker and kernel (6.18 × swapoff's grow tenfold along the loop, oom-reaper's double,
 * a 7.0 signal's not at all). Their results are kept and used when their turn comes.
 */
export const PROBE_ABOVE = 200;

/** The points a calibrated cell searches first, two per sweep it has. */
function probePoints(shape: CellShape): Array<{ readonly kind: 'alloc' | 'signal'; readonly points: readonly [PointSpec, PointSpec] }> {
  const out: Array<{ kind: 'alloc' | 'signal'; points: readonly [PointSpec, PointSpec] }> = [];
  const at = (n: number, q: number): number => Math.min(n - 1, Math.max(0, Math.round(q * n)));
  if (shape.allocModes > 0 && shape.sweep > 1) {
    out.push({ kind: 'alloc', points: [{ kind: 'alloc', nth: at(shape.sweep, 0.25) + 1 }, { kind: 'alloc', nth: at(shape.sweep, 0.75) + 1 }] });
  }
  if (shape.signals > 1) out.push({ kind: 'signal', points: [{ kind: 'signal', vma: at(shape.signals, 0.25) }, { kind: 'signal', vma: at(shape.signals, 0.75) }] });
  return out;
}

/** The line through two probes' times (ms) at their reaches: never below a tenth of the larger, never falling. */
function sweepCost(r1: number, t1: number, r3: number, t3: number): SweepCost {
  const top = Math.max(t1, t3, 1e-3);
  const slope = r3 > r1 ? Math.max(0, (t3 - t1) / (r3 - r1)) : 0;
  return { base: Math.max(t1 - slope * r1, top / 10), slope };
}

/**
 * studyCell with its points searched by `searchPoint` (the run's split rule: split-point.ts);
 * internal. With progress asked for, a cell of more than `probeAbove` points is calibrated
 * (PROBE_ABOVE): its probes' results are the very results its points would get (a point's search
 * depends on nothing else), so the cell is the same; a probe the cell never reaches (it stopped
 * at a bug first) is work done for the ETA alone.
 */
export function studyCellBy(configuration: string, walkerSet: WalkerName | string | readonly WalkerName[], options: StudyOptions, searchPoint: PointSearcher, probeAbove = PROBE_ABOVE): StudyCell {
  configurationArg('studyCell', 'configuration', configuration);
  const walkers = walkerSetArg('studyCell', 'walker', walkerSet);
  studyOptionsArg('studyCell', options);
  optionalFunctionArg('studyCell', 'searchPoint', searchPoint);
  indexArg('studyCell', 'probeAbove', probeAbove);
  const compressed = cellCompression(configuration, options.parent, options.compress, options.bound ?? 1);
  if (compressed !== null) {
    const cell = studyCellBy(configuration, walkers, { ...options, parent: compressed.parent, compress: false }, searchPoint, probeAbove);
    return liftCell(cell, compressed, options.parent!);
  }
  const walker = walkersName(walkers);
  const assembly = cellAssembly(configuration, walkers, options);
  let executions = 0;
  let pointsDone = 0;
  let workDone = 0;
  let step = assembly.next();
  const shape = options.onProgress && !step.done ? cellShape(configuration, walkers, options) : { allocModes: 0, sweep: 0, signals: 0, readerSignals: false };
  const pointsEstimate = shapePoints(shape);
  // Each sweep's cost line, from its probes; none (the static pointWork) for a small cell.
  const costs: { alloc?: SweepCost; signal?: SweepCost } = {};
  const probed = new Map<string, PointResult>();
  if (pointsEstimate > probeAbove) {
    for (const { kind, points: [p1, p3] } of probePoints(shape)) {
      const [r1, r3] = [p1, p3].map((p) => {
        const r = searchPoint(configuration, walkers, p, options);
        probed.set(pointLabel(p), r);
        return r;
      }) as [PointResult, PointResult];
      costs[kind] = sweepCost(pointReach(p1, shape), r1.timeMs, pointReach(p3, shape), r3.timeMs);
    }
  }
  const workEstimate = shapeWork(shape, costs);
  // Per fault mode, the n below which the sweep's points, from n = 1, were each searched clean to
  // the bound: a bug point's minimiser need not search those again for a smaller n.
  const bound = options.bound ?? 1;
  const cleanTo = new Map<boolean, number>();
  while (!step.done) {
    const point = step.value;
    const label = pointLabel(point);
    const persistent = point.kind === 'alloc' && point.persistent === true;
    const clean = point.kind === 'alloc' && point.nth > 1 && cleanTo.get(persistent) === point.nth ? { nth: point.nth, bound } : undefined;
    const r = probed.get(label) ?? searchPoint(configuration, walkers, point, options, clean);
    if (point.kind === 'alloc' && r.exhaustive && r.bug === undefined && r.error === undefined && (cleanTo.get(persistent) ?? 1) === point.nth) cleanTo.set(persistent, point.nth + 1);
    probed.delete(label);
    executions += r.executions;
    pointsDone++;
    workDone += pointWork(point, shape, costs[point.kind]);
    options.onProgress?.({
      configuration, walker, failurePoint: r.label, executions,
      pointsDone, pointsEstimate: Math.max(pointsEstimate, pointsDone), workDone, workEstimate: Math.max(workEstimate, workDone),
    });
    step = assembly.next(r);
  }
  return step.value;
}

/** A cell searched on the compressed parent, told in the user's numbering (compressed-cell.ts); internal. */
export function liftCell(cell: StudyCell, compressed: CompressedParent, parent: ParentProcess): StudyCell {
  const { vmas, of, classes, margin } = compressed;
  return {
    ...cell,
    ...(cell.failurePoint !== undefined ? { failurePoint: liftFailurePoint(cell.failurePoint, cell.trace, compressed, parent, cell.configuration, cell.walkers) } : {}),
    ...(cell.message !== undefined ? { message: liftMessage(cell.message, cell.kind, compressed, parent) } : {}),
    compressed: { vmas, of, classes, margin },
  };
}

/** The whole table, one cell after another (the CLI spreads cells over worker threads). */
export function runStudy(options: StudyOptions = {}): StudyResult {
  studyOptionsArg('runStudy', options);
  const t0 = performance.now();
  const configurations = options.configurations ?? STUDY_CONFIGURATIONS;
  const walkers = options.walkers ?? WALKER_NAMES;
  const results: StudyCell[] = [];
  for (const configuration of configurations) for (const w of walkers) results.push(studyCell(configuration, w, options));
  const scope = options.combinations ?? 'none';
  const singles = walkers.filter((w): w is WalkerName => typeof w === 'string');
  const pairs = combinationRequests(scope, configurations, singles, results).map(([c, w]) => studyCell(c, w, options));
  const all = [...results, ...pairs];
  return {
    bound: options.bound ?? 1, parentVmas: parentVmaCount(options.parent), ...(options.parent ? { parent: options.parent } : {}), results,
    executions: all.reduce((n, c) => n + c.executions, 0), timeMs: performance.now() - t0,
    ...(scope === 'none' ? {} : { combinations: compareCombinations(pairs, results) }),
  };
}
