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
 * traces read like the kernel. Use the constructors below (`yield lock(...)`) rather than literals.
 */

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

export type Op = LockOp | UnlockOp | AllocOp | ChoiceOp | AccessOp | AssertOp | StepOp | WaitOp | SpawnOp | JoinOp | CondWaitOp | SignalOp;

export const OP_KINDS: readonly Op['kind'][] = [
  'lock', 'unlock', 'alloc', 'choice', 'access', 'assert', 'step', 'wait', 'spawn', 'join', 'cond-wait', 'signal', 'broadcast',
];

/** A model task. `R` is its return value. */
export type Task<R = void> = Generator<Op, R, unknown>;

export function lock(lockId: string, mode: LockMode = 'write', label = `lock ${lockId}`): LockOp {
  return { kind: 'lock', lock: lockId, mode, try: false, label };
}

export function trylock(lockId: string, mode: LockMode = 'write', label = `trylock ${lockId}`): LockOp {
  return { kind: 'lock', lock: lockId, mode, try: true, label };
}

export function unlock(lockId: string, mode: LockMode = 'write', label = `unlock ${lockId}`): UnlockOp {
  return { kind: 'unlock', lock: lockId, mode, label };
}

export function alloc(site: string, label = site): AllocOp {
  return { kind: 'alloc', site, label };
}

export function choice(name: string, arity = 2, label = name): ChoiceOp {
  if (!Number.isInteger(arity) || arity < 1) throw new RangeError(`arity must be a positive integer, got ${arity}`);
  return { kind: 'choice', name, arity, label };
}

export function access(obj: string, write: boolean, label = `${write ? 'write' : 'read'} ${obj}`): AccessOp {
  return { kind: 'access', obj, write, label };
}

export function read(obj: string, label?: string): AccessOp {
  return access(obj, false, label);
}

export function write(obj: string, label?: string): AccessOp {
  return access(obj, true, label);
}

export function check(ok: boolean | (() => boolean), name: string, message: string | (() => string), label = name): AssertOp {
  return { kind: 'assert', ok, name, message, label };
}

export function waitUntil(obj: string, until: () => boolean, label = `wait for ${obj}`): WaitOp {
  return { kind: 'wait', obj, until, label };
}

export function step(label: string): StepOp {
  return { kind: 'step', label };
}

export function spawn(name: string, run: () => Task<unknown>, label = `spawn ${name}`): SpawnOp {
  return { kind: 'spawn', name, run, label };
}

export function join(task: string, label = `join ${task}`): JoinOp {
  return { kind: 'join', task, label };
}

export function condWait(cond: string, mutex: string, label = `wait ${cond}`): CondWaitOp {
  return { kind: 'cond-wait', cond, mutex, label };
}

export function signal(cond: string, label = `signal ${cond}`): SignalOp {
  return { kind: 'signal', cond, label };
}

export function broadcast(cond: string, label = `broadcast ${cond}`): SignalOp {
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
    super(message);
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
    super(message);
    this.name = 'ModelError';
  }
}
