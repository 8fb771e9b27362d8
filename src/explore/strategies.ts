/**
 * Search strategies: each is a Chooser factory plus a rule for what to run next.
 * - random: uniform choices from a seeded PRNG.
 * - dfs: exhaustive, stateless depth-first search with a preemption bound (CHESS's iterative
 *   context bounding when run for bounds 0, 1, 2, …): every execution with at most `bound`
 *   preemptions is run exactly once.
 * - pct: probabilistic concurrency testing (Burckhardt et al.) with depth d.
 */
import type { Chooser, DecisionPoint } from './execution.js';
import { type Prng } from './prng.js';

/** The non-preemptive default: keep running the current task if it may run, else the first one. */
export function defaultOption(point: DecisionPoint): number {
  if (point.kind === 'task' && point.options.includes(point.current)) return point.current;
  return point.options[0]!;
}

export function isPreemption(point: DecisionPoint, option: number): boolean {
  return point.kind === 'task' && option !== point.current && point.options.includes(point.current);
}

/** Follows `prefix`, then the non-preemptive default. */
export class PrefixChooser implements Chooser {
  constructor(private readonly prefix: readonly number[]) {}

  choose(point: DecisionPoint, index: number): number {
    return index < this.prefix.length ? this.prefix[index]! : defaultOption(point);
  }
}

export class RandomChooser implements Chooser {
  constructor(private readonly prng: Prng) {}

  choose(point: DecisionPoint): number {
    return point.options[this.prng.below(point.options.length)]!;
  }
}

/**
 * PCT: tasks get distinct random priorities; the highest-priority enabled task runs; at d - 1
 * random steps (of an estimated k) the running task drops below all others.
 */
export class PctChooser implements Chooser {
  readonly #prng: Prng;
  readonly #priority: number[] = [];
  readonly #changes: number[];
  #point = 0;
  #low = 0;

  constructor(prng: Prng, tasks: number, depth: number, steps: number) {
    this.#prng = prng;
    const order = Array.from({ length: tasks }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = prng.below(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    order.forEach((t, rank) => (this.#priority[t] = depth + rank));
    this.#changes = Array.from({ length: Math.max(0, depth - 1) }, () => 1 + prng.below(Math.max(1, steps)));
  }

  choose(point: DecisionPoint): number {
    if (point.kind === 'choice') return point.options[this.#prng.below(point.options.length)]!;
    this.#point++;
    if (this.#changes.includes(this.#point) && point.current >= 0) this.#priority[point.current] = this.#low++ - 1000;
    let best = point.options[0]!;
    for (const t of point.options) if (this.#priority[t]! > this.#priority[best]!) best = t;
    return best;
  }
}

/** PCT's guarantee per run for a bug of depth d: at least 1 / (n · k^(d−1)). */
export function pctProbability(tasks: number, steps: number, depth: number): number {
  return 1 / (tasks * Math.pow(Math.max(1, steps), depth - 1));
}

/**
 * Stateless bounded DFS: given the decisions and points of the last execution, the prefix of the
 * next one (the deepest untried option within the bound), or null when the space is exhausted.
 */
export function nextDfsPrefix(decisions: readonly number[], points: readonly DecisionPoint[], bound: number): number[] | null {
  const before: number[] = [];
  let p = 0;
  for (let i = 0; i < decisions.length; i++) {
    before.push(p);
    if (isPreemption(points[i]!, decisions[i]!)) p++;
  }
  for (let i = decisions.length - 1; i >= 0; i--) {
    const point = points[i]!;
    const options = orderedOptions(point);
    const at = options.indexOf(decisions[i]!);
    for (let k = at + 1; k < options.length; k++) {
      const o = options[k]!;
      if (before[i]! + (isPreemption(point, o) ? 1 : 0) <= bound) return [...decisions.slice(0, i), o];
    }
  }
  return null;
}

/** Options in the order DFS tries them: the default first, then the rest in order. */
export function orderedOptions(point: DecisionPoint): number[] {
  const d = defaultOption(point);
  return [d, ...point.options.filter((o) => o !== d)];
}
