/**
 * delay: iterative delay bounding (Emmi, Qadeer & Rakamarić, POPL 2011), SCTBench's best
 * systematic technique. A deterministic round-robin scheduler keeps running the current task and,
 * when it blocks or ends, moves to the next enabled task after it in task order; bound 0 is that
 * one schedule. A delay skips the task the scheduler would run for the next one in its order, and
 * costs 1 per task skipped. Unlike preemption bounding, the free switches (at a block or an exit)
 * have one target, so a program of many tasks that all block on each other does not make bound 0
 * enumerate every order of them. Data choices are explored in full (they cost nothing).
 */
import type { DecisionPoint } from '../execution.js';
import { BoundedSearch, checkBound, memoOrder, type Ordering, type Subtree } from './bounded.js';

/** The round-robin distance from the task that ran last (the start counts from task 0). */
function distance(point: DecisionPoint, t: number): number {
  const from = point.current < 0 ? 0 : point.current;
  return t >= from ? t - from : t - from + 0x40000000;
}

export const delayOrdering: Ordering = {
  first(point) {
    if (point.kind === 'choice') return point.options[0]!;
    let best = point.options[0]!;
    for (const t of point.options) if (distance(point, t) < distance(point, best)) best = t;
    return best;
  },
  order: memoOrder((point) => {
    if (point.kind === 'choice') return point.options;
    return [...point.options].sort((a, b) => distance(point, a) - distance(point, b));
  }),
  cost(point, option) {
    if (point.kind === 'choice') return 0;
    const d = distance(point, option);
    let skipped = 0;
    for (const t of point.options) if (distance(point, t) < d) skipped++;
    return skipped;
  },
};

export function delayStrategy(bound: number, subtree?: Subtree): BoundedSearch {
  checkBound('delayStrategy', 'bound', bound);
  return new BoundedSearch('delay', bound, delayOrdering, subtree);
}
