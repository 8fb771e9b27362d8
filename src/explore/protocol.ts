/**
 * The task protocol: what a model task yields to the scheduler.
 *
 * A task is a `function*` generator. Before every point where another task could run — a lock
 * acquire or release, an allocation that may fail, a nondeterministic choice, an access to shared
 * state — it yields an Op. The scheduler (the explorer, or the synchronous driver in ./sync.ts)
 * decides when the task may proceed, performs the effect and resumes the generator with the
 * result. Model code stays deterministic: no Math.random, clocks, timers or promises.
 *
 * Lock and object ids are strings naming the kernel object, e.g. `mm2.mmap_lock` or `mm2.mt`, so
 * traces read like the kernel. Use the constructors below (`yield lock(...)`) rather than literals:
 * they refuse a bad argument when the op is built, where the mistake is; a hand-built op that is
 * malformed is reported as a model-error violation when it is yielded.
 */
import { checkBoolean, checkCount, checkedMessage, checkFunction, checkString, shown } from './arguments.js';

/** How a lock is held: a mutex or spinlock is always 'write'; an rwsem may be taken 'read'. */
export type LockMode = 'read' | 'write';

export interface LockOp {
  readonly kind: 'lock';
  readonly lock: string;
  readonly mode: LockMode;
  /** trylock: never blocks; the result is false when the lock is not free. */
  readonly try: boolean;
  readonly label: string;
}

export interface UnlockOp {
  readonly kind: 'unlock';
  readonly lock: string;
  readonly mode: LockMode;
  readonly label: string;
}

/** An allocation that may fail. Resumed with true (success) or false (ENOMEM). */
export interface AllocOp {
  readonly kind: 'alloc';
  /** The allocating function, e.g. `vm_area_dup`; fault plans filter on it. */
  readonly site: string;
  readonly label: string;
}

/** A named nondeterministic value in 0..arity-1 (e.g. `fatal_signal_pending`, arity 2). */
export interface ChoiceOp {
  readonly kind: 'choice';
  readonly name: string;
  readonly arity: number;
  readonly label: string;
}

/** A read or write of shared state, for race detection and DPOR's dependency relation. */
export interface AccessOp {
  readonly kind: 'access';
  readonly obj: string;
  readonly write: boolean;
  readonly label: string;
}

/**
 * A property the model checks at this point; a false `ok` is a violation named `name`. Given as
 * functions, `ok` and `message` are evaluated when the step runs (after the scheduler let other
 * tasks move), not when the op is built: `yield check(() => world.x === 1, …)`.
 */
export interface AssertOp {
  readonly kind: 'assert';
  readonly ok: boolean | (() => boolean);
  readonly name: string;
  readonly message: string | (() => string);
  readonly label: string;
}

/** A labelled step point: a place another task may run, with no effect of its own. */
export interface StepOp {
  readonly kind: 'step';
  readonly label: string;
}

/**
 * Block until `until()` holds (wait_event on shared state): the task is disabled while it is false.
 * `obj` names the state it reads, for race reports and DPOR's dependency relation.
 */
export interface WaitOp {
  readonly kind: 'wait';
  readonly obj: string;
  readonly until: () => boolean;
  readonly label: string;
}

/**
 * Start a new task (pthread_create): `run` begins at once, up to its first operation. Resumed with
 * the new task's name. The spawn happens before every step of the child.
 */
export interface SpawnOp {
  readonly kind: 'spawn';
  readonly name: string;
  readonly run: () => Task<unknown>;
  readonly label: string;
}

/** Wait for a task to finish (pthread_join); resumed with its return value. Its end happens before. */
export interface JoinOp {
  readonly kind: 'join';
  readonly task: string;
  readonly label: string;
}

/**
 * pthread_cond_wait: atomically release `mutex` (held by this task) and sleep on `cond` until a
 * signal or broadcast wakes it, then take `mutex` again before going on. A signal sent while
 * nobody waits is lost, as in POSIX; there are no spurious wakeups.
 */
export interface CondWaitOp {
  readonly kind: 'cond-wait';
  readonly cond: string;
  readonly mutex: string;
  readonly label: string;
}

/** pthread_cond_signal (one waiter wakes; which one is a choice) or pthread_cond_broadcast (all do). */
export interface SignalOp {
  readonly kind: 'signal' | 'broadcast';
  readonly cond: string;
  readonly label: string;
}

/**
 * What a task may touch, by subject (a lock, object or condition id): declared so the scheduler
 * need not offer a switch before another task's operation this task can never see (an invisible
 * step commutes with everything this task does; a switch after it is the same execution). Checked:
 * an operation outside the footprint is a model-error violation.
 */
export interface Footprint {
  /** The subjects the task may touch at any time. */
  readonly touches: (subject: string) => boolean;
  /** The guard locks (e.g. every mm's mmap_lock): each must be taken by some task before a step is run unoffered on the strength of it. */
  readonly guards?: (lockId: string) => boolean;
  /**
   * Whether the task may touch `subject` while it holds the guard lock `lockId` (in either mode):
   * while another task write-holds every guard lock of a subject, its steps on it are invisible.
   */
  readonly guardedBy?: (subject: string, lockId: string) => boolean;
  /**
   * The lock this task write-holds whenever it writes `subject` (an mm's mmap_lock for its VMA
   * tree), or null for none: while another task holds that lock, in either mode, this task can
   * only read the subject. Checked: a write of it without that lock held for writing is a
   * model-error.
   */
  readonly writeLock?: (subject: string) => string | null;
  /**
   * Whether this task's read of `subject` is all its step does: the step, and the code it resumes
   * up to the next operation, reads only that subject (a scanner's for_each_vma reading vm_flags).
   * Such a read, made while the task holds (in either mode) the writeLock every other unfinished
   * task declares for the subject, commutes with anything they can do before it lets that lock
   * go — they can only read the subject meanwhile — so it is not a decision.
   */
  readonly pureRead?: (subject: string) => boolean;
}

export type Op = LockOp | UnlockOp | AllocOp | ChoiceOp | AccessOp | AssertOp | StepOp | WaitOp | SpawnOp | JoinOp | CondWaitOp | SignalOp;

export const OP_KINDS: readonly Op['kind'][] = [
  'lock', 'unlock', 'alloc', 'choice', 'access', 'assert', 'step', 'wait', 'spawn', 'join', 'cond-wait', 'signal', 'broadcast',
];

/** A model task. `R` is its return value. */
export type Task<R = void> = Generator<Op, R, unknown>;

/** lock and trylock: the mode, when given, is 'read' or 'write'. */
function checkLockArguments(where: string, lockId: unknown, mode: unknown, label: unknown): void {
  checkString(where, 'lockId', lockId);
  if (mode !== 'read' && mode !== 'write') {
    if (typeof mode !== 'string') checkString(where, 'mode', mode);
    throw new RangeError(`${where}: mode must be 'read' or 'write', got ${shown(mode)}`);
  }
  checkString(where, 'label', label);
}

export function lock(lockId: string, mode: LockMode = 'write', label = `lock ${lockId}`): LockOp {
  checkLockArguments('lock', lockId, mode, label);
  return { kind: 'lock', lock: lockId, mode, try: false, label };
}

export function trylock(lockId: string, mode: LockMode = 'write', label = `trylock ${lockId}`): LockOp {
  checkLockArguments('trylock', lockId, mode, label);
  return { kind: 'lock', lock: lockId, mode, try: true, label };
}

export function unlock(lockId: string, mode: LockMode = 'write', label = `unlock ${lockId}`): UnlockOp {
  checkLockArguments('unlock', lockId, mode, label);
  return { kind: 'unlock', lock: lockId, mode, label };
}

export function alloc(site: string, label = site): AllocOp {
  checkString('alloc', 'site', site);
  checkString('alloc', 'label', label);
  return { kind: 'alloc', site, label };
}

/** The largest arity a choice may have (its values are materialised as an array of options). */
export const MAX_ARITY = 2 ** 31;

export function choice(name: string, arity = 2, label = name): ChoiceOp {
  checkString('choice', 'name', name);
  checkCount('choice', 'arity', arity, { min: 1 });
  if (arity > MAX_ARITY) throw new RangeError(`choice: arity must be at most 2^31, got ${arity}`);
  checkString('choice', 'label', label);
  return { kind: 'choice', name, arity, label };
}

function accessOp(where: string, obj: string, write: boolean, label: string | undefined): AccessOp {
  checkString(where, 'obj', obj);
  checkBoolean(where, 'write', write);
  const text = label === undefined ? `${write ? 'write' : 'read'} ${obj}` : label;
  checkString(where, 'label', text);
  return { kind: 'access', obj, write, label: text };
}

export function access(obj: string, write: boolean, label?: string): AccessOp {
  return accessOp('access', obj, write, label);
}

export function read(obj: string, label?: string): AccessOp {
  return accessOp('read', obj, false, label);
}

export function write(obj: string, label?: string): AccessOp {
  return accessOp('write', obj, true, label);
}

export function check(ok: boolean | (() => boolean), name: string, message: string | (() => string), label = name): AssertOp {
  if (typeof ok !== 'boolean' && typeof ok !== 'function') throw new TypeError(`check: ok must be true, false or a function, got ${shown(ok)}`);
  checkString('check', 'name', name);
  if (typeof message !== 'string' && typeof message !== 'function') throw new TypeError(`check: message must be a string or a function, got ${shown(message)}`);
  checkString('check', 'label', label);
  return { kind: 'assert', ok, name, message, label };
}

export function waitUntil(obj: string, until: () => boolean, label = `wait for ${obj}`): WaitOp {
  checkString('waitUntil', 'obj', obj);
  checkFunction('waitUntil', 'until', until);
  checkString('waitUntil', 'label', label);
  return { kind: 'wait', obj, until, label };
}

export function step(label: string): StepOp {
  checkString('step', 'label', label);
  return { kind: 'step', label };
}

export function spawn(name: string, run: () => Task<unknown>, label = `spawn ${name}`): SpawnOp {
  checkString('spawn', 'name', name);
  checkFunction('spawn', 'run', run);
  checkString('spawn', 'label', label);
  return { kind: 'spawn', name, run, label };
}

export function join(task: string, label = `join ${task}`): JoinOp {
  checkString('join', 'task', task);
  checkString('join', 'label', label);
  return { kind: 'join', task, label };
}

export function condWait(cond: string, mutex: string, label = `wait ${cond}`): CondWaitOp {
  checkString('condWait', 'cond', cond);
  checkString('condWait', 'mutex', mutex);
  checkString('condWait', 'label', label);
  return { kind: 'cond-wait', cond, mutex, label };
}

export function signal(cond: string, label = `signal ${cond}`): SignalOp {
  checkString('signal', 'cond', cond);
  checkString('signal', 'label', label);
  return { kind: 'signal', cond, label };
}

export function broadcast(cond: string, label = `broadcast ${cond}`): SignalOp {
  checkString('broadcast', 'cond', cond);
  checkString('broadcast', 'label', label);
  return { kind: 'broadcast', cond, label };
}

/**
 * What the scheduler itself reports: a stuck or endless run, lock misuse, the final check, a throw,
 * or a model that broke the protocol (an unknown or malformed op, `yield undefined`).
 */
export type EngineViolationKind = 'deadlock' | 'step-limit' | 'bad-unlock' | 'final-check' | 'crash' | 'model-error';

export const ENGINE_VIOLATION_KINDS: readonly EngineViolationKind[] = ['deadlock', 'step-limit', 'bad-unlock', 'final-check', 'crash', 'model-error'];

/** A failed `check(ok, name, …)`: `assert:<name>`. */
export type AssertViolationKind = `assert:${string}`;

/**
 * Every violation kind: the scheduler's own, a failed check, or the kind a model's ModelViolation
 * names (`use-after-free`, `null-deref`: the model's vocabulary, so an open string). `origin` on a
 * Violation says which of the three it is.
 */
export type ViolationKind = EngineViolationKind | AssertViolationKind | (string & Record<never, never>);

export type ViolationOrigin = 'engine' | 'check' | 'model';

/**
 * A violation raised by model code outside an assert op (a use-after-free, a BUG_ON in a deep
 * helper). The scheduler catches it from `gen.next()` and reports it like a failed assert.
 */
export class ModelViolation extends Error {
  constructor(readonly kind: string, message: string) {
    super(checkedMessage('ModelViolation', message));
    checkString('ModelViolation', 'kind', kind);
    this.name = 'ModelViolation';
  }
}

/**
 * The model broke the explorer's contract in a way no single execution shows: it is not
 * deterministic (the same decisions led to different steps, results or verdicts), or a trace it
 * is asked to replay is malformed. explore() and replay() throw it; it is not a violation found.
 */
export class ModelError extends Error {
  constructor(message: string) {
    super(checkedMessage('ModelError', message));
    this.name = 'ModelError';
  }
}

