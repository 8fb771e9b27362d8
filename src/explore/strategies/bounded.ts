/**
 * Stateless bounded depth-first search, the engine of the dfs and delay strategies (and of the
 * minimiser's searches): each execution follows the prefix chosen after the previous one, then the
 * free default. A bound caps the summed cost of the decisions taken: preemptions for dfs (CHESS's
 * context bounding), delays for delay bounding. Bounds 0, 1, 2, … are searched in turn (iterative
 * bounding, which finds a bug with the fewest preemptions or delays first); a bound of Infinity is
 * one unbounded search.
 */
import type { DecisionPoint, ExecutionResult } from '../execution.js';
import type { Strategy, StrategyName } from './strategy.js';

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
 * The prefix of the next execution after one that took `decisions` at `points`: the deepest
 * decision with an untried option within the bound, that option taken.
 */
export function nextPrefix(decisions: readonly number[], points: readonly DecisionPoint[], bound: number, ordering: Ordering): number[] | null {
  const before = new Float64Array(decisions.length);
  let spent = 0;
  for (let i = 0; i < decisions.length; i++) {
    before[i] = spent;
    spent += ordering.cost(points[i]!, decisions[i]!);
  }
  for (let i = decisions.length - 1; i >= 0; i--) {
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

/** Iterative bounding over an ordering: bounds 0..maxBound, each searched exhaustively. */
export class BoundedSearch implements Strategy {
  readonly observer = null;
  readonly seed = null;
  exhaustiveBound: number | null = null;
  exhausted = false;
  #bound: number;
  #prefix: number[] | null = [];
  #started = false;

  constructor(readonly name: StrategyName, private readonly maxBound: number, private readonly ordering: Ordering) {
    this.#bound = Number.isFinite(maxBound) ? 0 : Infinity;
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
    this.#prefix = [];
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
    this.#prefix = nextPrefix(run.decisions, run.points, this.#bound, this.ordering);
  }
}
