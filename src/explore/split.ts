/**
 * One exhaustive search split by decision prefix, so a single long exploration spreads over many
 * workers. A shallow search lists the frontier: every distinct beginning (the first `depth`
 * decisions, within the bound) of an execution, in the search's own depth-first order. Each prefix
 * is a job that searches the subtree below it, bound by bound; the jobs' segments, taken in the order
 * one search would run them (bound 0 over every prefix, then bound 1, …), give a result that depends
 * on the search and its frontier only, whatever worker ran them and when.
 *
 * dfs, delay and deviation: the depth-first order makes each prefix's executions one contiguous
 * run of the single search, so the executions, the states, the verdict and the first bug (hence the
 * minimised counterexample) are exactly the single search's.
 *
 * dpor: the frontier is listed as dfs lists it — every enabled choice within the preemption bound,
 * not DPOR's backtrack sets, which at a shallow state are known only once every subtree below it
 * has run — and each prefix's job is a DPOR search (the same bounded or unbounded DPOR, see
 * strategies/dpor.ts) of what follows the prefix, its backtracking confined below it: a race with
 * a prefix's step needs no backtrack point, since the frontier holds every other choice there.
 * Sound: with a bound, the unsplit search's subtree below each prefix it reaches is exactly that
 * prefix's job (a bounded DPOR state's backtrack set comes only from races below it, and the
 * conservative points above the prefix are other prefixes), so the split runs every execution the
 * single search runs, and only executions within the bound; without a bound, optimal DPOR from the
 * state after a prefix runs a member of every happens-before class of what follows, and every
 * execution begins with some prefix. So it reaches the single search's terminal states, bug kinds
 * and verdict (test/explore/split-dpor.test.ts checks them against dpor and dfs), but its own
 * executions — a prefix equivalent to another is searched again, 1.4-4× the executions on the
 * classic models at 24-40 prefixes — and, from them, its own first bug and counts. One job is
 * the unsplit search exactly. The result still depends only on the search and the frontier
 * (assembled in the frontier's order), never on how many workers ran the jobs or when.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_MAX_STEPS, runExecution, type Chooser, type DecisionPoint, type ExecutionResult, type FaultPlan } from './execution.js';
import { reportSearch, type ExploreResult } from './explore.js';
import { getModel, modelHasVariant, type Model, type ModelInstance } from './model.js';
import { runSearch } from './search.js';
import { checkCount } from './arguments.js';
import { prefixAfter, type Ordering, type Subtree } from './strategies/bounded.js';
import { delayOrdering, delayStrategy } from './strategies/delay.js';
import { deviationOrdering, deviationStrategy } from './strategies/deviation.js';
import { dfsStrategy, preemptionOrdering } from './strategies/dfs.js';
import { DporStrategy } from './strategies/dpor.js';
import { DEFAULT_BOUND } from './strategies/index.js';
import { PrefixChooser } from './strategies/schedule.js';
import type { Strategy } from './strategies/strategy.js';

export type SplitStrategy = 'dfs' | 'delay' | 'deviation' | 'dpor';

export const SPLIT_STRATEGIES: readonly SplitStrategy[] = ['dfs', 'delay', 'deviation', 'dpor'];

/** What decides a split search's result: the same for its frontier and for every one of its jobs. */
export interface SplitOptions {
  readonly model: string | Model;
  readonly variant?: string;
  readonly strategy?: SplitStrategy;
  /** The largest bound; bounds 0..bound are searched in turn, as one search does. */
  readonly bound?: number;
  /** A cap on executions (pruned ones included) over the whole search. */
  readonly executions?: number;
  readonly fault?: FaultPlan | null;
  readonly maxSteps?: number;
  readonly stopAtFirst?: boolean;
}

/** One job of a split search: the executions that begin with `decisions`, which cost `cost` already. */
export interface FrontierPrefix {
  readonly decisions: readonly number[];
  readonly cost: number;
}

/** What one prefix's subtree gave at one bound. */
export interface Segment {
  readonly bound: number;
  /** Counted as the runner counts them: executions run to their end, and pruned ones apart. */
  readonly executions: number;
  readonly pruned: number;
  readonly steps: number;
  readonly faultFired: boolean;
  /** Terminal states of the executions without a violation, sorted. */
  readonly states: readonly string[];
  /** The first violation in this subtree at this bound: its decisions, and the executions up to it. */
  readonly found: { readonly decisions: readonly number[]; readonly executions: number } | null;
  /** The cap stopped it (then the whole search is capped somewhere up to here). */
  readonly outOfBudget: boolean;
  readonly timeMs: number;
}

/** A split search put back together, as runSearch and its strategy would have reported it. */
export interface AssembledSearch {
  readonly executions: number;
  readonly pruned: number;
  readonly steps: number;
  readonly faultFired: boolean;
  readonly states: ReadonlySet<string>;
  /** The first violation in the single search's order, and where it was. */
  readonly found: { readonly decisions: readonly number[]; readonly prefix: number; readonly bound: number } | null;
  readonly firstBugExecutions: number | null;
  readonly outOfBudget: boolean;
  readonly exhaustiveBound: number | null;
  readonly exhausted: boolean;
  /** The segments that make up the result, in order (a capped one as it was cut). */
  readonly used: ReadonlyArray<{ readonly prefix: number; readonly segment: Segment }>;
  /** The segments' own time, summed (the work, not the wall time of the jobs). */
  readonly timeMs: number;
}

interface Resolved {
  readonly model: Model;
  readonly variant: string;
  readonly strategy: SplitStrategy;
  readonly bound: number;
  readonly cap: number;
  readonly fault: FaultPlan | null;
  readonly maxSteps: number;
  readonly stopAtFirst: boolean;
  readonly build: () => ModelInstance;
}

/** The options checked, with their defaults (explore's). */
export function resolveSplit(options: SplitOptions): Resolved {
  const model = typeof options.model === 'string' ? getModel(options.model) : options.model;
  const variant = options.variant ?? model.variants[0]!;
  if (!modelHasVariant(model, variant)) throw new RangeError(`model ${model.name} has no variant ${variant}; known: ${model.variants.join(', ')}`);
  const strategy = options.strategy ?? 'dfs';
  if (!SPLIT_STRATEGIES.includes(strategy)) throw new RangeError(`strategy: a split search is dfs, delay, deviation or dpor, got ${JSON.stringify(strategy)}`);
  const bound = options.bound ?? DEFAULT_BOUND;
  checkCount('split search', 'bound', bound, { infinite: true });
  const cap = options.executions ?? 1_000_000;
  checkCount('split search', 'executions', cap, { infinite: true, min: 1 });
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  checkCount('split search', 'maxSteps', maxSteps, { min: 1 });
  return {
    model, variant, strategy, bound, cap, fault: options.fault ?? null, maxSteps, stopAtFirst: options.stopAtFirst ?? true,
    build: () => model.build(variant),
  };
}

/** The order and prices the frontier is listed with (dpor's bound counts preemptions, as dfs's does). */
function orderingOf(strategy: SplitStrategy): Ordering {
  switch (strategy) {
    case 'dfs': return preemptionOrdering;
    case 'delay': return delayOrdering;
    case 'deviation': return deviationOrdering;
    case 'dpor': return preemptionOrdering;
  }
}

/** Follows a prefix, then the ordering's free default. */
class OrderedPrefix implements Chooser {
  constructor(private readonly prefix: readonly number[], private readonly ordering: Ordering) {}

  choose(point: DecisionPoint, index: number): number {
    return index < this.prefix.length ? this.prefix[index]! : this.ordering.first(point);
  }
}

/** The prefixes of `depth` decisions, in depth-first order; null once there are more than `limit`. */
function frontierAt(r: Resolved, depth: number, limit: number): FrontierPrefix[] | null {
  const ordering = orderingOf(r.strategy);
  const out: FrontierPrefix[] = [];
  for (let prefix: number[] | null = []; prefix !== null;) {
    const run = runExecution(r.build(), new OrderedPrefix(prefix, ordering), { fault: r.fault, record: false, maxSteps: r.maxSteps });
    const decisions = run.decisions.slice(0, depth);
    const points = run.points.slice(0, depth);
    let cost = 0;
    for (let i = 0; i < decisions.length; i++) cost += ordering.cost(points[i]!, decisions[i]!);
    out.push({ decisions, cost });
    if (out.length > limit) return null;
    prefix = prefixAfter(decisions, points, r.bound, ordering);
  }
  return out;
}

/** The deepest a frontier goes looking for enough prefixes. */
const MAX_DEPTH = 64;

/**
 * The frontier of a split search: the shallowest whose prefixes number at least `jobs` (or the
 * deepest there is, when every execution makes fewer decisions), never more than 8 × `jobs` past
 * the first decision. One job is the whole search (the empty prefix): for dpor, exactly the single
 * search.
 */
export function searchFrontier(options: SplitOptions, jobs: number): FrontierPrefix[] {
  checkCount('searchFrontier', 'jobs', jobs, { min: 1 });
  const r = resolveSplit(options);
  if (jobs === 1) return [{ decisions: [], cost: 0 }];
  let best = frontierAt(r, 1, Infinity)!;
  for (let depth = 2; depth <= MAX_DEPTH && best.length < jobs; depth++) {
    if (best.every((p) => p.decisions.length < depth - 1)) break;
    const next = frontierAt(r, depth, 8 * jobs);
    if (next === null) break;
    best = next;
  }
  return best;
}

/** The strategy that searches one subtree at one bound. */
function subtreeStrategy(name: SplitStrategy, bound: number, subtree: Subtree): Strategy {
  switch (name) {
    case 'dfs': return dfsStrategy(bound, subtree);
    case 'delay': return delayStrategy(bound, subtree);
    case 'deviation': return deviationStrategy(bound, subtree);
    case 'dpor': return new DporStrategy(bound, subtree);
  }
}

/** Searches the subtree below `prefix` at one bound, with at most `cap` executions (pruned ones included). */
export function searchSubtree(options: SplitOptions, prefix: FrontierPrefix, bound: number, cap?: number): Segment {
  const r = resolveSplit(options);
  if (!(bound >= prefix.cost && bound <= r.bound)) throw new RangeError(`bound ${bound} is outside the prefix's bounds ${prefix.cost}..${r.bound}`);
  const t0 = performance.now();
  const strategy = subtreeStrategy(r.strategy, bound, { prefix: prefix.decisions, fromBound: bound });
  const out = runSearch(r.build, strategy, { fault: r.fault, executions: cap ?? r.cap, maxSteps: r.maxSteps, stopAtFirst: r.stopAtFirst });
  return {
    bound, executions: out.executions, pruned: out.pruned, steps: out.steps, faultFired: out.faultFired, states: [...out.states].sort(),
    found: out.found !== null ? { decisions: out.found.decisions, executions: out.firstBug!.executions } : null,
    outOfBudget: out.outOfBudget, timeMs: performance.now() - t0,
  };
}

/**
 * One job: the subtree below `prefix` at every bound from the prefix's cost up, stopping after the
 * first bound with a violation (the single search stops there or earlier). `onSegment` sees each
 * segment as soon as it is searched, before the next begins.
 */
export function searchPrefix(options: SplitOptions, prefix: FrontierPrefix, onSegment?: (segment: Segment) => void): Segment[] {
  const r = resolveSplit(options);
  const segments: Segment[] = [];
  if (!Number.isFinite(r.bound)) {
    const s = searchSubtree(options, prefix, r.bound);
    onSegment?.(s);
    return [s];
  }
  for (let bound = prefix.cost; bound <= r.bound; bound++) {
    const s = searchSubtree(options, prefix, bound);
    onSegment?.(s);
    segments.push(s);
    if ((s.found !== null && r.stopAtFirst) || s.outOfBudget) break;
  }
  return segments;
}

/**
 * Puts the jobs' segments together in the single search's order. `segmentsOf(i)` is prefix i's
 * job result; `recut(i, bound, cap)` searches one segment again with a smaller cap, for the one
 * segment the whole search's cap falls inside.
 */
export function assembleSplit(options: SplitOptions, frontier: readonly FrontierPrefix[], segmentsOf: (prefix: number) => readonly Segment[],
  recut: (prefix: number, bound: number, cap: number) => Segment): AssembledSearch {
  const r = resolveSplit(options);
  let executions = 0;
  let pruned = 0;
  let steps = 0;
  let faultFired = false;
  let timeMs = 0;
  const states = new Set<string>();
  let found: AssembledSearch['found'] = null;
  let firstBugExecutions: number | null = null;
  let exhaustiveBound: number | null = null;
  const used: Array<{ prefix: number; segment: Segment }> = [];
  const bounds = Number.isFinite(r.bound) ? Array.from({ length: r.bound + 1 }, (_, b) => b) : [Infinity];
  for (const bound of bounds) {
    for (let i = 0; i < frontier.length; i++) {
      if (frontier[i]!.cost > bound) continue;
      let segment = segmentsOf(i).find((s) => s.bound === bound);
      if (segment === undefined) throw new RangeError(`prefix ${i} has no segment at bound ${bound}`);
      const left = r.cap - executions - pruned;
      if (segment.executions + segment.pruned > left) segment = recut(i, bound, left);
      used.push({ prefix: i, segment });
      executions += segment.executions;
      pruned += segment.pruned;
      steps += segment.steps;
      timeMs += segment.timeMs;
      if (segment.faultFired) faultFired = true;
      for (const s of segment.states) states.add(s);
      if (segment.found !== null && found === null) {
        found = { decisions: segment.found.decisions, prefix: i, bound };
        firstBugExecutions = executions - segment.executions + segment.found.executions;
      }
      // The runner stops at a bug before it looks at the cap again.
      const stop = found !== null && r.stopAtFirst;
      if (stop || executions + pruned >= r.cap) {
        return { executions, pruned, steps, faultFired, states, found, firstBugExecutions, outOfBudget: !stop, exhaustiveBound, exhausted: false, used, timeMs };
      }
    }
    exhaustiveBound = bound;
  }
  return { executions, pruned, steps, faultFired, states, found, firstBugExecutions, outOfBudget: false, exhaustiveBound, exhausted: true, used, timeMs };
}

/** The execution a segment found, run again as the runner ran it (no events). */
export function rerunFound(options: SplitOptions, decisions: readonly number[]): ExecutionResult {
  const r = resolveSplit(options);
  return runExecution(r.build(), new PrefixChooser(decisions), { fault: r.fault, record: false, maxSteps: r.maxSteps });
}

/**
 * A split search's result as explore() reports it: the assembled counts, and the first bug
 * minimised here exactly as explore() minimises the one it found.
 */
export function splitResult(options: SplitOptions, assembled: AssembledSearch, t0: number): ExploreResult {
  const r = resolveSplit(options);
  const found = assembled.found !== null ? rerunFound(options, assembled.found.decisions) : null;
  return reportSearch({
    model: r.model, variant: r.variant, strategy: r.strategy, seed: null, build: r.build, fault: r.fault, maxSteps: r.maxSteps,
    deadline: Infinity, t0, exhaustiveBound: assembled.exhaustiveBound, exhausted: assembled.exhausted,
    outcome: {
      executions: assembled.executions, pruned: assembled.pruned, steps: assembled.steps, faultFired: assembled.faultFired, states: assembled.states,
      found, firstBug: assembled.firstBugExecutions !== null ? { executions: assembled.firstBugExecutions, timeMs: assembled.timeMs } : null,
    },
  });
}

/** A split search run here, job after job (what the queue's workers share out): for tests and for reference. */
export function exploreSplit(options: SplitOptions, jobs: number): ExploreResult & { readonly prefixes: number } {
  const t0 = performance.now();
  const frontier = searchFrontier(options, jobs);
  const results = frontier.map((p) => searchPrefix(options, p));
  const assembled = assembleSplit(options, frontier, (i) => results[i]!, (i, bound, cap) => searchSubtree(options, frontier[i]!, bound, cap));
  return { ...splitResult(options, assembled, t0), prefixes: frontier.length };
}
