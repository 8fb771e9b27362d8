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

/** A property the model checks at this point; a false `ok` is a violation named `name`. */
export interface AssertOp {
  readonly kind: 'assert';
  readonly ok: boolean;
  readonly name: string;
  readonly message: string;
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

export type Op = LockOp | UnlockOp | AllocOp | ChoiceOp | AccessOp | AssertOp | StepOp | WaitOp;

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

export function check(ok: boolean, name: string, message: string, label = name): AssertOp {
  return { kind: 'assert', ok, name, message, label };
}

export function waitUntil(obj: string, until: () => boolean, label = `wait for ${obj}`): WaitOp {
  return { kind: 'wait', obj, until, label };
}

export function step(label: string): StepOp {
  return { kind: 'step', label };
}

/** What the scheduler itself reports: a stuck or endless run, lock misuse, a check at the end, a throw. */
export type EngineViolationKind = 'deadlock' | 'step-limit' | 'bad-unlock' | 'final-check' | 'crash';

export const ENGINE_VIOLATION_KINDS: readonly EngineViolationKind[] = ['deadlock', 'step-limit', 'bad-unlock', 'final-check', 'crash'];

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
