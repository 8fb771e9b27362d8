/**
 * dfs: exhaustive stateless depth-first search with a preemption bound — CHESS's iterative context
 * bounding (Musuvathi & Qadeer, PLDI 2007). A switch away from a task that could have gone on is a
 * preemption and costs 1; a switch at a block or an exit is free. Every execution with at most
 * `bound` preemptions is run exactly once per bound.
 */
import type { DecisionPoint } from '../execution.js';
import { BoundedSearch, checkBound, checkDecisions, memoOrder, prefixAfter, type Ordering, type Subtree } from './bounded.js';
import { defaultOf, preempts } from './schedule.js';

export const preemptionOrdering: Ordering = {
  first: defaultOf,
  order: memoOrder((point) => {
    const d = defaultOf(point);
    if (d === point.options[0]) return point.options;
    return [d, ...point.options.filter((o) => o !== d)];
  }),
  cost: (point, option) => (preempts(point, option) ? 1 : 0),
};

export function dfsStrategy(bound: number, subtree?: Subtree): BoundedSearch {
  checkBound('dfsStrategy', 'bound', bound);
  return new BoundedSearch('dfs', bound, preemptionOrdering, subtree);
}

/** The next DFS prefix within a preemption bound, or null when the space is exhausted. */
export function nextDfsPrefix(decisions: readonly number[], points: readonly DecisionPoint[], bound: number): number[] | null {
  checkDecisions('nextDfsPrefix', decisions, points);
  checkBound('nextDfsPrefix', 'bound', bound);
  return prefixAfter(decisions, points, bound, preemptionOrdering);
}
