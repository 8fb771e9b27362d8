/**
 * The synchronous driver: runs one task to completion with no other task present, so model
 * operations (`mm.mmap(...)`) work without the explorer. Locks are tracked so that misuse (an
 * unlock of a lock not held, re-acquiring a held lock — a self-deadlock) is an error, not silence.
 */
import type { Op, Task } from './protocol.js';
import { ModelViolation } from './protocol.js';

export interface SyncOptions {
  /** Decides each allocation; default: every allocation succeeds. */
  readonly allocate?: (site: string, nth: number) => boolean;
  /** Decides each choice; default: 0 (e.g. "no fatal signal pending"). */
  readonly choose?: (name: string, arity: number) => number;
}

export class SyncDeadlock extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncDeadlock';
  }
}

/** Runs `task` alone and returns its result. Throws ModelViolation for a failed assert. */
export function runSync<R>(task: Task<R>, options: SyncOptions = {}): R {
  const held = new Map<string, { mode: 'read' | 'write'; count: number }>();
  let allocations = 0;
  let result: unknown;
  for (;;) {
    const next = task.next(result);
    if (next.done) return next.value;
    const op: Op = next.value;
    result = undefined;
    switch (op.kind) {
      case 'lock': {
        const cur = held.get(op.lock);
        if (cur && (cur.mode === 'write' || op.mode === 'write')) {
          if (op.try) { result = false; break; }
          throw new SyncDeadlock(`${op.label}: ${op.lock} is already held (${cur.mode}) by this task`);
        }
        if (cur) cur.count++;
        else held.set(op.lock, { mode: op.mode, count: 1 });
        result = true;
        break;
      }
      case 'unlock': {
        const cur = held.get(op.lock);
        if (!cur || cur.mode !== op.mode) {
          throw new ModelViolation('bad-unlock', `${op.label}: ${op.lock} is not held in ${op.mode} mode`);
        }
        if (--cur.count === 0) held.delete(op.lock);
        break;
      }
      case 'alloc':
        allocations++;
        result = options.allocate ? options.allocate(op.site, allocations) : true;
        break;
      case 'choice': {
        const value = options.choose ? options.choose(op.name, op.arity) : 0;
        if (!Number.isInteger(value) || value < 0 || value >= op.arity) {
          throw new RangeError(`choice ${op.name}: ${value} is outside 0..${op.arity - 1}`);
        }
        result = value;
        break;
      }
      case 'assert':
        if (!op.ok) throw new ModelViolation(op.name, `${op.label}: ${op.message}`);
        break;
      case 'wait':
        if (!op.until()) throw new SyncDeadlock(`${op.label}: waits for ${op.obj}, which no other task can change here`);
        break;
      case 'access':
      case 'step':
        break;
    }
  }
}
