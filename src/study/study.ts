/**
 * The headline study: for each kernel configuration and each walker, fork fails at every possible
 * point — a fatal signal at each VMA of the loop, and the n-th allocation for every n until the
 * fault no longer fires — and the explorer searches every interleaving of fork and walker up to a
 * preemption bound. A cell reports the first bug (kind, failure point, minimal trace) or that the
 * whole space was verified up to the bound.
 */
import { performance } from 'node:perf_hooks';
import { explore, type ExploreResult } from '../explore/explore.js';
import type { FaultPlan } from '../explore/execution.js';
import type { Trace } from '../explore/trace.js';
import { FORK_EXIT_MODEL, forkExitModel, variantName } from './model.js';
import { DEFAULT_PARENT, WALKER_NAMES, type WalkerName } from './scenario.js';

/** The study's configurations: the three the issue names, and each reader fix on its own. */
export const STUDY_CONFIGURATIONS = [
  'xa-zero-prefix', 'xa-zero+uffd-fix', 'xa-zero+uprobe-sem-fix', 'xa-zero+flags', 'xa-zero+swapoff-hotfix',
  'xa-zero+flags+swapoff-hotfix', 'xa-zero-fixed', 'teardown',
] as const;

export interface StudyOptions {
  readonly configurations?: readonly string[];
  readonly walkers?: readonly WalkerName[];
  /** The preemption bound of every search (iterative: 0, 1, …, bound). */
  readonly bound?: number;
  /** A cap on executions per failure point; a capped search is reported as not exhaustive. */
  readonly maxExecutions?: number;
  /** Exhaustive search: plain bounded DFS, or DPOR with bounded POR's backtracking (fewer executions). */
  readonly strategy?: 'dfs' | 'dpor';
  readonly onProgress?: (progress: StudyProgress) => void;
}

export interface StudyProgress {
  readonly configuration: string;
  readonly walker: WalkerName;
  readonly failurePoint: string;
  readonly executions: number;
}

export interface StudyCell {
  readonly configuration: string;
  readonly walker: WalkerName;
  readonly outcome: 'bug' | 'verified';
  readonly kind?: string;
  readonly message?: string;
  /** Where fork failed in the counterexample, e.g. `fatal signal at VMA 4` or `allocation 7 (vm_area_dup)`. */
  readonly failurePoint?: string;
  /** Failure points searched (all of them when verified). */
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
  /** False when some search hit the execution cap (then "verified" only holds for what was searched). */
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

/** Every failure point of one cell, signals first, then allocations until the sweep runs out. */
function* failurePointsOf(configuration: string, walker: WalkerName): Generator<FailurePoint, void, ExploreResult | undefined> {
  for (let k = 0; k < DEFAULT_PARENT.length; k++) {
    yield { label: `fatal signal at VMA ${k}`, variant: variantName(configuration, walker, `signal@${k}`), fault: null };
  }
  for (let nth = 1; ; nth++) {
    const result = yield { label: `allocation ${nth}`, variant: variantName(configuration, walker, 'alloc'), fault: { task: 'fork', nth, mode: 'once' } };
    if (result && !result.faultFired) return;
  }
}

/** Runs one cell of the table. */
export function studyCell(configuration: string, walker: WalkerName, options: StudyOptions = {}): StudyCell {
  forkExitModel();
  const bound = options.bound ?? 1;
  const cap = options.maxExecutions ?? 200_000;
  const strategy = options.strategy ?? 'dfs';
  const t0 = performance.now();
  let executions = 0;
  let points = 0;
  let exhaustive = true;
  const gen = failurePointsOf(configuration, walker);
  let next = gen.next();
  while (!next.done) {
    const point = next.value;
    const r = explore({ model: FORK_EXIT_MODEL, variant: point.variant, strategy, bound, executions: cap, fault: point.fault });
    points++;
    if (r.exhaustiveBound !== bound && r.outcome !== 'bug') exhaustive = false;
    options.onProgress?.({ configuration, walker, failurePoint: point.label, executions: executions + r.executions });
    if (r.outcome === 'bug' && r.trace && r.firstBug) {
      const trace = r.trace;
      const faultEvent = trace.events.find((e) => e.fault);
      return {
        configuration, walker, outcome: 'bug', kind: trace.violation!.kind, message: trace.violation!.message,
        failurePoint: faultEvent ? `${point.label} (${faultEvent.obj})` : point.label,
        failurePoints: points, executions: executions + r.executions, timeMs: performance.now() - t0,
        executionsToFirstBug: executions + r.firstBug.executions, timeToFirstBugMs: performance.now() - t0 - (r.timeMs - r.firstBug.timeMs),
        traceLength: trace.stats.steps, trace, bound, strategy, exhaustive,
      };
    }
    executions += r.executions;
    next = gen.next(r);
  }
  return { configuration, walker, outcome: 'verified', failurePoints: points, executions, timeMs: performance.now() - t0, bound, strategy, exhaustive };
}

/** The whole table, one cell after another (the CLI spreads cells over worker threads). */
export function runStudy(options: StudyOptions = {}): StudyResult {
  const t0 = performance.now();
  const configurations = options.configurations ?? STUDY_CONFIGURATIONS;
  const walkers = options.walkers ?? WALKER_NAMES;
  const results: StudyCell[] = [];
  for (const configuration of configurations) for (const walker of walkers) results.push(studyCell(configuration, walker, options));
  return {
    bound: options.bound ?? 1, parentVmas: DEFAULT_PARENT.length, results,
    executions: results.reduce((n, c) => n + c.executions, 0), timeMs: performance.now() - t0,
  };
}
