/**
 * The scheduling vocabulary strategies share: the non-preemptive default, what counts as a
 * preemption, and following a recorded prefix.
 */
import type { Chooser, DecisionPoint } from '../execution.js';

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
