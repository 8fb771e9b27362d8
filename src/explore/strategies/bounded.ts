/**
 * Stateless bounded depth-first search, the engine of the dfs and delay strategies (and of the
 * minimiser's searches): each execution follows the prefix chosen after the previous one, then the
 * free default. A bound caps the summed cost of the decisions taken: preemptions for dfs (CHESS's
 * context bounding), delays for delay bounding. Bounds 0, 1, 2, … are searched in turn (iterative
 * bounding, which finds a bug with the fewest preemptions or delays first); a bound of Infinity is
 * one unbounded search.
 */
import { checkArray, checkCount, checkFunction, checkIndices, checkObject, checkPoint, shown } from '../arguments.js';
import type { DecisionPoint, ExecutionResult } from '../execution.js';
import { STRATEGY_NAMES, type Strategy, type StrategyName } from './strategy.js';

/** How a bounded search orders and prices the options of a decision. */
export interface Ordering {
  /** The free default (the option tried first). */
  first(point: DecisionPoint): number;
  /** The options in the order they are tried, `first` first. */
  order(point: DecisionPoint): readonly number[];
  /** What taking `option` costs against the bound. */
  cost(point: DecisionPoint, option: number): number;
}

/**
 * A subtree of a search (one job of a split search, ../split.ts): every execution that begins with
 * `prefix`, searched at bounds `fromBound`..maxBound only.
 */
export interface Subtree {
  readonly prefix: readonly number[];
  readonly fromBound: number;
}

/** A subtree within a search of bound `maxBound`. */
export function checkSubtree(where: string, subtree: unknown, maxBound: number): asserts subtree is Subtree {
  checkObject(where, 'subtree', subtree, 'a subtree { prefix, fromBound }');
  checkIndices(where, 'subtree.prefix', subtree['prefix']);
  checkBound(where, 'subtree.fromBound', subtree['fromBound']);
  if (Number.isFinite(maxBound) ? subtree['fromBound'] > maxBound : subtree['fromBound'] !== Infinity) {
    throw new RangeError(`${where}: subtree.fromBound must be within the bound ${maxBound}, got ${shown(subtree['fromBound'])}`);
  }
}

/** A bound on preemptions or delays: a non-negative integer, or Infinity for none. */
export function checkBound(where: string, name: string, bound: unknown): asserts bound is number {
  checkCount(where, name, bound, { infinite: true });
}

/** An execution's decisions and the points they were taken at, one for one. O(decisions). */
export function checkDecisions(where: string, decisions: unknown, points: unknown): void {
  checkIndices(where, 'decisions', decisions);
  checkArray(where, 'points', points);
  points.forEach((p, i) => checkPoint(where, `points[${i}]`, p));
  if (points.length !== decisions.length) throw new RangeError(`${where}: points must have one point per decision, got ${points.length} for ${decisions.length}`);
}

function checkOrdering(where: string, ordering: unknown): asserts ordering is Ordering {
  if ((typeof ordering !== 'object' && typeof ordering !== 'function') || ordering === null) {
    throw new TypeError(`${where}: ordering must be an Ordering { first, order, cost }, got ${shown(ordering)}`);
  }
  for (const f of ['first', 'order', 'cost'] as const) checkFunction(where, `ordering.${f}`, (ordering as unknown as Record<string, unknown>)[f]);
}

/**
 * The prefix of the next execution after one that took `decisions` at `points`: the deepest
 * decision with an untried option within the bound, that option taken.
 */
export function nextPrefix(decisions: readonly number[], points: readonly DecisionPoint[], bound: number, ordering: Ordering): number[] | null {
  checkDecisions('nextPrefix', decisions, points);
  checkBound('nextPrefix', 'bound', bound);
  checkOrdering('nextPrefix', ordering);
  return prefixAfter(decisions, points, bound, ordering);
}

/**
 * nextPrefix without the checks (the bounded search's own call after every execution). A `floor`
 * keeps the first `floor` decisions fixed: the search stays in the subtree below them.
 */
export function prefixAfter(decisions: readonly number[], points: readonly DecisionPoint[], bound: number, ordering: Ordering, floor = 0): number[] | null {
  if (spentBefore.length < decisions.length) spentBefore = new Float64Array(Math.max(decisions.length, 2 * spentBefore.length));
  const before = spentBefore;
  let spent = 0;
  for (let i = 0; i < decisions.length; i++) {
    before[i] = spent;
    spent += ordering.cost(points[i]!, decisions[i]!);
  }
  for (let i = decisions.length - 1; i >= floor; i--) {
    const point = points[i]!;
    if (point.options.length === 1) continue;
    const options = ordering.order(point);
    for (let k = options.indexOf(decisions[i]!) + 1; k < options.length; k++) {
      const o = options[k]!;
      if (before[i]! + ordering.cost(point, o) <= bound) {
        const prefix = decisions.slice(0, i + 1);
        prefix[i] = o;
        return prefix;
      }
    }
  }
  return null;
}

/** The cost spent before each decision, reused by every nextPrefix call (it runs after each execution). */
let spentBefore = new Float64Array(1024);

/**
 * An ordering's option order per decision point, made once: the scheduler shares its points
 * between executions (see execution.ts), so most lookups hit.
 */
export function memoOrder(order: (point: DecisionPoint) => readonly number[]): (point: DecisionPoint) => readonly number[] {
  const memo = new WeakMap<DecisionPoint, readonly number[]>();
  return (point) => {
    let o = memo.get(point);
    if (o === undefined) memo.set(point, (o = order(point)));
    return o;
  };
}

/** Iterative bounding over an ordering: bounds 0..maxBound, each searched exhaustively. */
export class BoundedSearch implements Strategy {
  readonly observer = null;
  readonly seed = null;
  exhaustiveBound: number | null = null;
  exhausted = false;
  #bound: number;
  #prefix: number[] | null;
  #started = false;
  readonly #root: readonly number[];

  constructor(readonly name: StrategyName, private readonly maxBound: number, private readonly ordering: Ordering, subtree?: Subtree) {
    if (!(STRATEGY_NAMES as readonly unknown[]).includes(name)) {
      throw new (typeof name === 'string' ? RangeError : TypeError)(`BoundedSearch: name must be one of ${STRATEGY_NAMES.join(', ')}, got ${shown(name)}`);
    }
    checkBound('BoundedSearch', 'maxBound', maxBound);
    checkOrdering('BoundedSearch', ordering);
    if (subtree !== undefined) checkSubtree('BoundedSearch', subtree, maxBound);
    this.#bound = Number.isFinite(maxBound) ? subtree?.fromBound ?? 0 : Infinity;
    this.#root = subtree?.prefix ?? [];
    this.#prefix = this.#root.slice();
  }

  /** The bound being searched now. */
  get bound(): number {
    return this.#bound;
  }

  start(): boolean {
    if (this.exhausted) return false;
    if (!this.#started) {
      this.#started = true;
      return true;
    }
    if (this.#prefix !== null) return true;
    this.exhaustiveBound = this.#bound;
    if (this.#bound >= this.maxBound) {
      this.exhausted = true;
      return false;
    }
    this.#bound++;
    this.#prefix = this.#root.slice();
    return true;
  }

  checkpoint(): unknown {
    return { bound: this.#bound === Infinity ? null : this.#bound, prefix: this.#prefix, started: this.#started, exhaustiveBound: this.exhaustiveBound, exhausted: this.exhausted };
  }

  resume(state: unknown): void {
    const s = state as { bound: unknown; prefix: unknown; started: unknown; exhaustiveBound: unknown; exhausted: unknown };
    const bound = s.bound === null ? Infinity : s.bound;
    const ok = typeof s === 'object' && s !== null && typeof bound === 'number' && (bound === Infinity || Number.isInteger(bound)) &&
      (s.prefix === null || (Array.isArray(s.prefix) && s.prefix.every((x) => Number.isInteger(x) && x >= 0))) &&
      typeof s.started === 'boolean' && typeof s.exhausted === 'boolean' && (s.exhaustiveBound === null || typeof s.exhaustiveBound === 'number');
    if (!ok) throw new RangeError(`not a ${this.name} checkpoint: ${JSON.stringify(state)}`);
    this.#bound = bound;
    this.#prefix = s.prefix as number[] | null;
    this.#started = s.started as boolean;
    this.exhaustiveBound = s.exhaustiveBound as number | null;
    this.exhausted = s.exhausted as boolean;
  }

  choose(point: DecisionPoint, index: number): number {
    const prefix = this.#prefix!;
    return index < prefix.length ? prefix[index]! : this.ordering.first(point);
  }

  finish(run: ExecutionResult): void {
    this.#prefix = prefixAfter(run.decisions, run.points, this.#bound, this.ordering, this.#root.length);
  }
}
