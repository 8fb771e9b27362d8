/**
 * The synchronous driver: runs one task to completion with no other task present, so model
 * operations (`mm.mmap(...)`) work without the explorer. It is the explorer's own scheduler
 * (./execution.ts) with a single task: the same lock table and lock rules, so misuse — an unlock
 * of a lock not held, re-acquiring a held lock (a self-deadlock) — is an error, not silence.
 */
import { runExecution, type Chooser, type DecisionPoint } from './execution.js';
import { checkedMessage, checkFunction, checkObject } from './arguments.js';
import { checkSyncOptions } from './options.js';
import { ModelViolation, type Task } from './protocol.js';
import { defaultOf } from './strategies/schedule.js';

export interface SyncOptions {
  /** Decides each allocation; default: every allocation succeeds. */
  readonly allocate?: (site: string, nth: number) => boolean;
  /** Decides each choice; default: 0 (e.g. "no fatal signal pending"). */
  readonly choose?: (name: string, arity: number) => number;
}

export class SyncDeadlock extends Error {
  constructor(message: string) {
    super(checkedMessage('SyncDeadlock', message));
    this.name = 'SyncDeadlock';
  }
}

/** Choices from the caller's callback (checked), anything else the non-preemptive default. */
class SyncChooser implements Chooser {
  constructor(private readonly callback: ((name: string, arity: number) => number) | undefined) {}

  choose(point: DecisionPoint): number {
    if (point.kind !== 'choice' || this.callback === undefined) return point.kind === 'choice' ? 0 : defaultOf(point);
    const arity = point.options.length;
    const value = this.callback(point.name, arity);
    if (!Number.isInteger(value) || value < 0 || value >= arity) throw new RangeError(`choice ${point.name}: ${value} is outside 0..${arity - 1}`);
    return value;
  }
}

const ALWAYS = (): boolean => true;

/**
 * Runs `task` alone and returns its result. What it throws is rethrown; a failed assert throws a
 * ModelViolation named after the check; a lock it can never get throws SyncDeadlock.
 */
export function runSync<R>(task: Task<R>, options: SyncOptions = {}): R {
  checkTask('runSync', 'task', task);
  checkSyncOptions(options);
  const run = runExecution({ tasks: [{ name: 'sync', run: () => task }] }, new SyncChooser(options.choose), {
    allocate: options.allocate ?? ALWAYS, record: false, maxSteps: Infinity,
  });
  const v = run.violation;
  if (v === null) return run.results[0] as R;
  if (run.thrown !== undefined) throw run.thrown;
  if (v.kind === 'deadlock') throw new SyncDeadlock(v.message);
  if (v.origin === 'check') throw new ModelViolation(v.kind.slice('assert:'.length), v.message);
  throw new ModelViolation(v.kind, v.message);
}

/** A started task: a generator (an object whose next() resumes it). */
export function checkTask(where: string, name: string, value: unknown): asserts value is Task<unknown> {
  checkObject(where, name, value, 'a generator (a started task)');
  checkFunction(where, `${name}.next`, value['next']);
}
