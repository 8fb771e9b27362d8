/**
 * deviation: iterative deviation bounding. Delay bounding's deterministic round-robin scheduler
 * (./delay.ts) gives the one schedule of bound 0; any other choice at a decision costs 1, wherever
 * it goes — preemption bounding's price for a switch, charged at blocks and exits too. Delay
 * bounding charges one per task skipped, so reaching a task k places ahead in the round-robin
 * order costs k delays: SCTBench's reorder_N (N-1 setters, then a checker that must read between
 * one setter's two stores) needs N-1 delays there, in our delay bounding as in SCTBench's own
 * (Thomson, Donaldson & Betts, TOPC 2016; its scheduler charges each enabled thread skipped in
 * creation order). Here it needs one deviation.
 *
 * Every schedule of k delays has at most k deviations, and every preemption is a deviation, so
 * bound k runs every schedule delay bounding runs at bound k, and only schedules preemption
 * bounding runs at bound k: with D decisions among T tasks, at most about C(D, k) (T - 1)^k of
 * them, where preemption bound 0 alone can hold every order of the tasks. Data choices are
 * explored in full (they cost nothing).
 */
import type { DecisionPoint } from '../execution.js';
import { BoundedSearch, checkBound, type Ordering, type Subtree } from './bounded.js';
import { delayOrdering } from './delay.js';

export const deviationOrdering: Ordering = {
  first: delayOrdering.first,
  order: delayOrdering.order,
  cost(point: DecisionPoint, option: number): number {
    return point.kind === 'choice' || option === delayOrdering.first(point) ? 0 : 1;
  },
};

export function deviationStrategy(bound: number, subtree?: Subtree): BoundedSearch {
  checkBound('deviationStrategy', 'bound', bound);
  return new BoundedSearch('deviation', bound, deviationOrdering, subtree);
}
