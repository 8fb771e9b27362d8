/**
 * DPOR's dependency relation as the package exports it: both operations are checked (a malformed
 * op is a TypeError naming it), then compared. DPOR itself calls the unchecked relation on ops
 * the scheduler has already checked when they were yielded.
 */
import { malformed } from '../execution.js';
import type { Op } from '../protocol.js';
import { dependent as opsDependent } from './dpor.js';

function checkOp(name: string, op: unknown): asserts op is Op {
  const problem = malformed(op);
  if (problem !== null) throw new TypeError(`dependent: ${name} must be an operation (lock(), read(), …), but it ${problem.replace(/^yielded /, 'is ')}`);
}

/** True when the order of `a` and `b` (run by different tasks) can matter. */
export function dependent(a: Op, b: Op): boolean {
  checkOp('a', a);
  checkOp('b', b);
  return opsDependent(a, b);
}
