/**
 * explore(): checks the options, makes the strategy, runs the search, minimises what it found and
 * returns the metrics with the counterexample. It never knows which strategy runs.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_MAX_STEPS, type FaultPlan } from './execution.js';
import { confirmDeterministic } from './determinism.js';
import { minimise, withTasks, type CleanBelow } from './minimise.js';
import { getModel, modelHasVariant, type Model, type ModelInstance } from './model.js';
import { runSearch, type SearchOutcome } from './search.js';
import { loadCheckpoint, saveCheckpoint, type CheckpointKey } from './checkpoint.js';
import { checkExploreOptions, checkSweepOptions } from './options.js';
import { createStrategy, DEFAULT_BOUND } from './strategies/index.js';
import { SYSTEMATIC, type Strategy, type StrategyName } from './strategies/strategy.js';
import { makeTrace, type Trace } from './trace.js';

export type { StrategyName } from './strategies/strategy.js';

export interface ExploreOptions {
  readonly model: string | Model;
  readonly variant?: string;
  /** dfs (default), dpor, delay, deviation, random or pct. */
  readonly strategy?: StrategyName;
  /** dfs, dpor, delay and deviation: the largest bound; bounds 0..bound are searched in turn. Infinity: no bound. */
  readonly bound?: number;
  /** A cap on executions (random/pct: how many to run). */
  readonly executions?: number;
  /** A time budget in milliseconds for the whole call, minimisation included. */
  readonly timeMs?: number;
  readonly seed?: number;
  /** pct: bug depth d. */
  readonly depth?: number;
  readonly fault?: FaultPlan | null;
  /** Stop at the first violation (default) or keep counting. */
  readonly stopAtFirst?: boolean;
  /** An execution that has not ended after this many steps is a step-limit violation (a livelock). */
  readonly maxSteps?: number;
  readonly onProgress?: (executions: number) => void;
  /**
   * A checkpoint file for dfs, delay and deviation (Loom's checkpoint): resumed from when it exists, written
   * every `checkpointEvery` executions (default 10,000) and when the call ends.
   */
  readonly checkpoint?: string;
  readonly checkpointEvery?: number;
  /**
   * Re-run every execution with its decisions and compare (twice the work). Counterexamples are
   * always replayed twice; either way a difference throws ModelError.
   */
  readonly checkDeterminism?: boolean;
  /**
   * A fail-nth sweep's earlier points: `fault` with each lower n below `nth` was searched to `bound`
   * preemptions without a violation (MinimiseOptions.cleanBelow); the minimiser need not search them.
   */
  readonly cleanBelow?: CleanBelow;
}

export interface ExploreResult {
  readonly model: string;
  readonly variant: string;
  readonly strategy: StrategyName;
  readonly outcome: 'bug' | 'verified' | 'no-bug-found';
  readonly executions: number;
  /** dpor: executions abandoned because every enabled task was asleep or beyond the bound. */
  readonly pruned: number;
  readonly steps: number;
  readonly stepsPerSecond: number;
  readonly timeMs: number;
  readonly executionsPerSecond: number;
  readonly distinctTerminalStates: number;
  /** Systematic strategies: the bound up to which the search was exhaustive. */
  readonly exhaustiveBound: number | null;
  readonly faultFired: boolean;
  readonly firstBug: { readonly executions: number; readonly timeMs: number } | null;
  readonly trace: Trace | null;
  /** pct: the per-run probability bound of finding a depth-d bug. */
  readonly pctBound?: number;
}

export function explore(options: ExploreOptions): ExploreResult {
  checkExploreOptions(options);
  const model = typeof options.model === 'string' ? getModel(options.model) : options.model;
  const variant = options.variant ?? model.variants[0]!;
  if (!modelHasVariant(model, variant)) throw new RangeError(`explore: model ${model.name} has no variant ${JSON.stringify(variant)}; known: ${model.variants.join(', ')}`);
  const strategy = createStrategy(options);
  const systematic = SYSTEMATIC.includes(strategy.name);
  const cap = options.executions ?? (systematic ? 1_000_000 : 10_000);
  const fault = options.fault ?? null;
  const build = () => model.build(variant);
  const t0 = performance.now();
  const deadline = options.timeMs !== undefined ? t0 + options.timeMs : Infinity;

  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const save = checkpointing(options, strategy, { model: model.name, variant, strategy: strategy.name, bound: options.bound ?? DEFAULT_BOUND, fault });
  const outcome = runSearch(build, strategy, {
    fault, executions: cap, maxSteps, deadline, stopAtFirst: options.stopAtFirst ?? true,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.checkDeterminism !== undefined ? { checkDeterminism: options.checkDeterminism } : {}),
    ...(save !== null ? { onCheckpoint: save, ...(options.checkpointEvery !== undefined ? { checkpointEvery: options.checkpointEvery } : {}) } : {}),
  });
  save?.(outcome.executions);
  return reportSearch({
    model, variant, strategy: strategy.name, seed: strategy.seed, build, fault, maxSteps, deadline, t0, outcome,
    exhaustiveBound: strategy.exhaustiveBound, exhausted: strategy.exhausted,
    ...(strategy.probabilityBound !== undefined ? { probabilityBound: strategy.probabilityBound } : {}),
    ...(options.cleanBelow !== undefined ? { cleanBelow: options.cleanBelow } : {}),
  });
}

/** A finished search, as reportSearch takes it (explore's own, or a split search put back together). */
export interface FinishedSearch {
  readonly model: Model;
  readonly variant: string;
  readonly strategy: StrategyName;
  readonly seed: number | null;
  readonly build: () => ModelInstance;
  readonly fault: FaultPlan | null;
  readonly maxSteps: number;
  /** The minimiser stops improving after this (performance.now() time). */
  readonly deadline: number;
  /** When the call began (performance.now() time). */
  readonly t0: number;
  readonly outcome: Pick<SearchOutcome, 'executions' | 'pruned' | 'steps' | 'faultFired' | 'states' | 'found' | 'firstBug'>;
  readonly exhaustiveBound: number | null;
  readonly exhausted: boolean;
  readonly probabilityBound?: number;
  /** What the fault plan's sweep already searched clean (ExploreOptions.cleanBelow). */
  readonly cleanBelow?: CleanBelow;
}

/** The metrics of a finished search, with its counterexample minimised and replayed once more. */
export function reportSearch(s: FinishedSearch): ExploreResult {
  const { outcome, build, fault, deadline, maxSteps } = s;
  let trace: Trace | null = null;
  if (outcome.found !== null) {
    const m = minimise(build, outcome.found, fault, { deadline, maxSteps, ...(s.cleanBelow !== undefined ? { cleanBelow: s.cleanBelow } : {}) });
    // The minimiser replayed it once already; once more (with events) while the budget lasts.
    if (performance.now() < deadline) confirmDeterministic(() => withTasks(build(), m.tasks), m.run, { fault: m.fault, record: true, maxSteps, deadline });
    trace = makeTrace(s.model.name, s.variant, s.strategy, s.seed, m.fault, m.run, m, maxSteps);
  }
  const timeMs = performance.now() - s.t0;
  const seconds = Math.max(timeMs / 1000, 1e-9);
  return {
    model: s.model.name, variant: s.variant, strategy: s.strategy,
    outcome: trace ? 'bug' : s.exhausted ? 'verified' : 'no-bug-found',
    executions: outcome.executions, pruned: outcome.pruned, steps: outcome.steps, timeMs,
    executionsPerSecond: outcome.executions / seconds, stepsPerSecond: outcome.steps / seconds,
    distinctTerminalStates: outcome.states.size, exhaustiveBound: s.exhaustiveBound, faultFired: outcome.faultFired,
    firstBug: outcome.firstBug, trace,
    ...(s.probabilityBound !== undefined ? { pctBound: s.probabilityBound } : {}),
  };
}

/** With a checkpoint file: resumes the strategy from it, and returns what saves its position (null without one). */
function checkpointing(options: ExploreOptions, strategy: Strategy, key: CheckpointKey): ((executions: number) => void) | null {
  const file = options.checkpoint;
  if (file === undefined) return null;
  if (!strategy.checkpoint || !strategy.resume) throw new RangeError(`checkpoint: the ${strategy.name} strategy cannot be checkpointed (dfs, delay and deviation can)`);
  const loaded = loadCheckpoint(file, key);
  if (loaded !== null) strategy.resume(loaded.state);
  const before = loaded?.executions ?? 0;
  return (executions) => saveCheckpoint(file, key, strategy.checkpoint!(), before + executions);
}

export interface SweepOptions extends ExploreOptions {
  /** Fail allocations of this task only (default: any task's). */
  readonly task?: string;
  /** Fail allocations at this site only (default: any site). */
  readonly site?: string;
  readonly mode?: 'once' | 'persistent';
  /** The largest n tried (default 1000). */
  readonly maxNth?: number;
}

/**
 * Fail-nth sweep: explore with the n-th allocation of `task` failing, for n = 1, 2, … until a whole
 * exploration reports that the fault never fired. Returns the result for each n.
 */
export function sweepFaults(options: SweepOptions): ExploreResult[] {
  checkSweepOptions(options);
  const { task, site, mode, maxNth = 1000, ...rest } = options;
  const results: ExploreResult[] = [];
  for (let nth = 1; nth <= maxNth; nth++) {
    const fault: FaultPlan = { nth, mode: mode ?? 'once', ...(task !== undefined ? { task } : {}), ...(site !== undefined ? { site } : {}) };
    const r = explore({ ...rest, fault });
    results.push(r);
    if (!r.faultFired) break;
  }
  return results;
}
