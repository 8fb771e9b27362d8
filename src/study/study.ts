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
import type { Trace } from '../explore/trace.js';
import { KERNEL_RELEASES, kernelConfig, type KernelConfig } from '../mm/config.js';
import { forkExitModel, takeReaches, variantName, walkersName } from './model.js';
import { parentVmaCount, walkerNotApplicable, WALKER_FAILURES, WALKER_NAMES, WALKER_TASK, type ParentProcess, type WalkerName } from './scenario.js';

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
  readonly onProgress?: (progress: StudyProgress) => void;
}

export interface StudyProgress {
  readonly configuration: string;
  readonly walker: string;
  readonly failurePoint: string;
  readonly executions: number;
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
}

export interface StudyResult {
  readonly bound: number;
  readonly parentVmas: number;
  readonly results: StudyCell[];
  readonly executions: number;
  readonly timeMs: number;
}

interface FailurePoint {
  readonly label: string;
  readonly variant: string;
  readonly fault: FaultPlan | null;
}

/**
 * Every failure point of one cell: the n-th allocation for each n until the sweep runs out (ENOMEM),
 * then a fatal signal arriving at each VMA of the loop.
 */
function* failurePointsOf(configuration: string, walkers: readonly WalkerName[], vmas: number): Generator<FailurePoint, void, ExploreResult | undefined> {
  const kinds = new Set(walkers.map((w) => WALKER_FAILURES[w]));
  const allocs = kinds.has('all') || kinds.has('alloc');
  const signals = kinds.has('all') || kinds.has('signal');
  for (let nth = 1; allocs; nth++) {
    const result = yield { label: `allocation ${nth}`, variant: variantName(configuration, walkers, 'alloc'), fault: { task: 'fork', nth, mode: 'once' } };
    if (result && !result.faultFired) break;
  }
  for (let k = 0; signals && k < vmas; k++) {
    yield { label: `fatal signal at VMA ${k}`, variant: variantName(configuration, walkers, `signal@${k}`), fault: null };
  }
}

/**
 * Why no execution gave `walker` a path to a failed fork's child in this kernel: the fix (or the
 * kernel's design) that closes its door. Shown with an unreachable cell; the cell itself comes from
 * the exploration, never from this text.
 */
export function unreachableReason(walker: WalkerName, config: KernelConfig): string {
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
  }
}

function asSet(w: WalkerName | readonly WalkerName[]): readonly WalkerName[] {
  return typeof w === 'string' ? [w] : w;
}

/** Runs one cell of the table. */
export function studyCell(configuration: string, walkerSet: WalkerName | readonly WalkerName[], options: StudyOptions = {}): StudyCell {
  const walkers = asSet(walkerSet);
  const walker = walkersName(walkers);
  const bound = options.bound ?? 1;
  const cap = options.maxExecutions ?? 200_000;
  const strategy = options.strategy ?? 'dfs';
  const t0 = performance.now();
  const base = { configuration, walker, walkers, bound, strategy } as const;
  const config = kernelConfig(configuration);
  for (const w of walkers) {
    const why = walkerNotApplicable(w, options.parent);
    if (why) return { ...base, outcome: 'n/a', reason: why, failurePoints: 0, executions: 0, timeMs: performance.now() - t0, exhaustive: true };
  }
  const model = forkExitModel(options.parent).name;
  let executions = 0;
  let points = 0;
  let exhaustive = true;
  const reached = new Set<string>();
  try {
    const gen = failurePointsOf(configuration, walkers, parentVmaCount(options.parent));
    let next = gen.next();
    while (!next.done) {
      const point = next.value;
      takeReaches(model, point.variant);
      const r = explore({ model, variant: point.variant, strategy, bound, executions: cap, fault: point.fault });
      for (const who of takeReaches(model, point.variant)) reached.add(who);
      points++;
      if (r.exhaustiveBound !== bound && r.outcome !== 'bug') exhaustive = false;
      options.onProgress?.({ configuration, walker, failurePoint: point.label, executions: executions + r.executions });
      if (r.outcome === 'bug' && r.trace && r.firstBug) {
        const trace = r.trace;
        const faultEvent = trace.events.find((e) => e.fault);
        return {
          ...base, outcome: 'bug', kind: trace.violation!.kind, message: trace.violation!.message,
          failurePoint: faultEvent ? `${point.label} (${faultEvent.obj})` : point.label,
          failurePoints: points, executions: executions + r.executions, timeMs: performance.now() - t0,
          executionsToFirstBug: executions + r.firstBug.executions, timeToFirstBugMs: performance.now() - t0 - (r.timeMs - r.firstBug.timeMs),
          traceLength: trace.stats.steps, trace, exhaustive,
        };
      }
      executions += r.executions;
      next = gen.next(r);
    }
  } catch (e) {
    return { ...base, outcome: 'error', reason: e instanceof Error ? e.message : String(e), failurePoints: points, executions, timeMs: performance.now() - t0, exhaustive: false };
  }
  const timeMs = performance.now() - t0;
  const unreached = walkers.filter((w) => !reached.has(WALKER_TASK[w]));
  if (exhaustive && unreached.length === walkers.length) {
    const reason = unreached.map((w) => (walkers.length > 1 ? `${w}: ` : '') + unreachableReason(w, config)).join('; ');
    return { ...base, outcome: 'unreachable', reason, failurePoints: points, executions, timeMs, exhaustive };
  }
  return { ...base, outcome: 'verified', failurePoints: points, executions, timeMs, exhaustive };
}

/** The whole table, one cell after another (the CLI spreads cells over worker threads). */
export function runStudy(options: StudyOptions = {}): StudyResult {
  const t0 = performance.now();
  const configurations = options.configurations ?? STUDY_CONFIGURATIONS;
  const walkers = options.walkers ?? WALKER_NAMES;
  const results: StudyCell[] = [];
  for (const configuration of configurations) for (const w of walkers) results.push(studyCell(configuration, w, options));
  return {
    bound: options.bound ?? 1, parentVmas: parentVmaCount(options.parent), results,
    executions: results.reduce((n, c) => n + c.executions, 0), timeMs: performance.now() - t0,
  };
}
