/**
 * The search driver: runs executions of a model under a strategy until a violation is found or the
 * space (or budget) is exhausted, and returns the metrics and the minimised counterexample.
 */
import { performance } from 'node:perf_hooks';
import { runExecution, type ExecutionResult, type FaultPlan } from './execution.js';
import { DporSearch } from './dpor.js';
import { minimise } from './minimise.js';
import { getModel, type Model } from './model.js';
import { Prng } from './prng.js';
import { nextDfsPrefix, PctChooser, pctProbability, PrefixChooser, RandomChooser } from './strategies.js';
import { makeTrace, type Trace } from './trace.js';

export type StrategyName = 'dfs' | 'dpor' | 'random' | 'pct';

export interface ExploreOptions {
  readonly model: string | Model;
  readonly variant?: string;
  readonly strategy?: StrategyName;
  /** dfs and dpor: the largest preemption bound; bounds 0..bound are searched in turn (iterative bounding). */
  readonly bound?: number;
  /** random/pct: how many executions; dfs: a cap on executions. */
  readonly executions?: number;
  /** A time budget in milliseconds: the search stops (not exhaustive) when it runs out. */
  readonly timeMs?: number;
  readonly seed?: number;
  /** pct: bug depth d. */
  readonly depth?: number;
  readonly fault?: FaultPlan | null;
  /** Stop at the first violation (default) or keep counting. */
  readonly stopAtFirst?: boolean;
  readonly onProgress?: (executions: number) => void;
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
  /** For dfs: the bound up to which the search was exhaustive. */
  readonly exhaustiveBound: number | null;
  readonly faultFired: boolean;
  readonly firstBug: { readonly executions: number; readonly timeMs: number } | null;
  readonly trace: Trace | null;
  /** pct: the per-run probability bound of finding a depth-d bug. */
  readonly pctBound?: number;
}

export function explore(options: ExploreOptions): ExploreResult {
  const model = typeof options.model === 'string' ? getModel(options.model) : options.model;
  const variant = options.variant ?? model.variants[0]!;
  if (!model.variants.includes(variant)) throw new RangeError(`model ${model.name} has no variant ${variant}; known: ${model.variants.join(', ')}`);
  const strategy = options.strategy ?? 'dfs';
  const seed = options.seed ?? 1;
  const fault = options.fault ?? null;
  const cap = options.executions ?? (strategy === 'dfs' ? 1_000_000 : 10_000);
  const build = () => model.build(variant);
  const t0 = performance.now();
  let executions = 0;
  let pruned = 0;
  let steps = 0;
  let faultFired = false;
  let found: ExecutionResult | null = null;
  let firstBug: { executions: number; timeMs: number } | null = null;
  const states = new Set<string>();
  let exhaustiveBound: number | null = null;
  let pctBound: number | undefined;

  const deadline = options.timeMs !== undefined ? t0 + options.timeMs : Infinity;
  let outOfTime = false;
  const account = (run: ExecutionResult): boolean => {
    executions++;
    if ((executions & 63) === 0 && performance.now() > deadline) outOfTime = true;
    steps += run.steps;
    if (run.faultFired) faultFired = true;
    if (run.violation === null) states.add(run.stateKey);
    if (options.onProgress && (executions & 1023) === 0) options.onProgress(executions);
    if (run.violation !== null && found === null) {
      found = run;
      firstBug = { executions, timeMs: performance.now() - t0 };
      return options.stopAtFirst ?? true;
    }
    return outOfTime;
  };

  if (strategy === 'dfs') {
    const maxBound = options.bound ?? 2;
    search: for (let bound = 0; bound <= maxBound; bound++) {
      let prefix: number[] | null = [];
      while (prefix !== null) {
        if (executions >= cap) break search;
        const run = runExecution(build(), new PrefixChooser(prefix), { fault, record: false });
        if (account(run)) break search;
        prefix = nextDfsPrefix(run.decisions, run.points, bound);
      }
      exhaustiveBound = bound;
    }
  } else if (strategy === 'dpor') {
    const maxBound = options.bound ?? 2;
    search: for (let bound = 0; bound <= maxBound; bound++) {
      const dpor = new DporSearch(bound);
      dpor.start();
      do {
        if (executions + pruned >= cap) break search;
        const run = runExecution(build(), dpor, { fault, record: false, observer: dpor });
        if (run.pruned) {
          pruned++;
          steps += run.steps;
          continue;
        }
        if (account(run)) break search;
      } while (dpor.next());
      exhaustiveBound = bound;
    }
  } else {
    const prng = new Prng(seed);
    let estimate = 0;
    const depth = options.depth ?? 2;
    for (let i = 0; i < cap; i++) {
      let chooser;
      if (strategy === 'random') {
        chooser = new RandomChooser(prng);
      } else {
        if (i === 0) {
          const probe = runExecution(build(), new PrefixChooser([]), { fault, record: false });
          estimate = Math.max(1, probe.steps);
          pctBound = pctProbability(build().tasks.length, estimate, depth);
        }
        chooser = new PctChooser(prng, build().tasks.length, depth, estimate);
      }
      const run = runExecution(build(), chooser, { fault, record: false });
      if (account(run)) break;
    }
  }

  let trace: Trace | null = null;
  if (found !== null) {
    const bug: ExecutionResult = found;
    const m = minimise(build, bug, fault);
    trace = makeTrace(model.name, variant, strategy, strategy === 'dfs' || strategy === 'dpor' ? null : seed, m.fault, m.run, m);
  }
  const timeMs = performance.now() - t0;
  return {
    model: model.name, variant, strategy,
    outcome: trace ? 'bug' : (strategy === 'dfs' || strategy === 'dpor') && exhaustiveBound === (options.bound ?? 2) ? 'verified' : 'no-bug-found',
    executions, pruned, steps, timeMs, executionsPerSecond: executions / Math.max(timeMs / 1000, 1e-9),
    stepsPerSecond: steps / Math.max(timeMs / 1000, 1e-9),
    distinctTerminalStates: states.size, exhaustiveBound, faultFired, firstBug, trace,
    ...(pctBound !== undefined ? { pctBound } : {}),
  };
}

/**
 * Fail-nth sweep: explore with the n-th allocation of `task` failing, for n = 1, 2, … until a whole
 * exploration reports that the fault never fired. Returns the result for each n.
 */
export function sweepFaults(options: ExploreOptions & { readonly task?: string; readonly site?: string; readonly mode?: 'once' | 'persistent'; readonly maxNth?: number }): ExploreResult[] {
  const results: ExploreResult[] = [];
  const maxNth = options.maxNth ?? 1000;
  for (let nth = 1; nth <= maxNth; nth++) {
    const fault: FaultPlan = {
      nth, mode: options.mode ?? 'once',
      ...(options.task !== undefined ? { task: options.task } : {}),
      ...(options.site !== undefined ? { site: options.site } : {}),
    };
    const r = explore({ ...options, fault });
    results.push(r);
    if (!r.faultFired) break;
  }
  return results;
}
