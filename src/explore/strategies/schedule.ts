/**
 * The scheduling vocabulary strategies share: the non-preemptive default, what counts as a
 * preemption, and following a recorded prefix. The exported functions check their arguments;
 * the strategies call the unchecked forms on every decision.
 */
import { checkCount, checkIndices, checkPoint } from '../arguments.js';
import type { Chooser, DecisionPoint } from '../execution.js';

/** defaultOption without the checks. */
export function defaultOf(point: DecisionPoint): number {
  if (point.kind === 'task' && point.options.includes(point.current)) return point.current;
  return point.options[0]!;
}

/** isPreemption without the checks. */
export function preempts(point: DecisionPoint, option: number): boolean {
  return point.kind === 'task' && option !== point.current && point.options.includes(point.current);
}

/** The non-preemptive default: keep running the current task if it may run, else the first one. */
export function defaultOption(point: DecisionPoint): number {
  checkPoint('defaultOption', 'point', point);
  return defaultOf(point);
}

/** Whether taking `option` at `point` switches away from a task that could have gone on. */
export function isPreemption(point: DecisionPoint, option: number): boolean {
  checkPoint('isPreemption', 'point', point);
  checkCount('isPreemption', 'option', option);
  return preempts(point, option);
}

/** Follows `prefix`, then the non-preemptive default. */
export class PrefixChooser implements Chooser {
  constructor(private readonly prefix: readonly number[]) {
    checkIndices('PrefixChooser', 'prefix', prefix);
  }

  choose(point: DecisionPoint, index: number): number {
    return index < this.prefix.length ? this.prefix[index]! : defaultOf(point);
  }
}
