/**
 * One execution of a model: the scheduler proper, the only one (the synchronous driver is this
 * with one task). It keeps each task's pending operation, decides which tasks are enabled (a task
 * waiting for a lock, a condition, a predicate or another task is not), asks a Chooser at every
 * real decision (more than one enabled task, a choice with more than one value, a signal with more
 * than one waiter), performs the operation and resumes the task with its result. It records
 * decisions for replay and events for people, and refuses operations that break the protocol.
 */
import { performance } from 'node:perf_hooks';
import type { ModelInstance } from './model.js';
import type { Task } from './protocol.js';
import { checkedMessage, shown } from './arguments.js';
import { checkExecutionArguments } from './options.js';
import { ModelViolation, OP_KINDS, type Footprint, type LockOp, type Op, type ViolationKind, type ViolationOrigin } from './protocol.js';

/** Fail the n-th allocation a task makes (optionally only at one site). */
export interface FaultPlan {
  readonly task?: string;
  readonly site?: string;
  readonly nth: number;
  /** 'once': only the n-th fails; 'persistent': the n-th and every later one fail. */
  readonly mode: 'once' | 'persistent';
}

export interface TraceEvent {
  readonly step: number;
  readonly task: string;
  readonly kind: Op['kind'];
  readonly label: string;
  /** The lock, object, allocation site or choice name the operation is about. */
  readonly obj?: string;
  readonly write?: boolean;
  readonly result?: string;
  /** Set on the event that broke a rule. */
  readonly violation?: boolean;
  /** Set on an allocation the fault plan failed. */
  readonly fault?: boolean;
}

export interface Violation {
  /** 'deadlock', 'assert:<name>', a ModelViolation kind, 'final-check' or 'crash'. */
  readonly kind: ViolationKind;
  readonly origin: ViolationOrigin;
  readonly message: string;
  readonly task?: string;
  readonly step: number;
}

/** A decision point as the chooser sees it. */
export interface DecisionPoint {
  readonly kind: 'task' | 'choice';
  /** Task indices (for 'task') or values 0..arity-1 (for 'choice'). */
  readonly options: readonly number[];
  /** The task that ran last (-1 at the start), to tell a preemption from a continuation. */
  readonly current: number;
  readonly name: string;
}

export interface Chooser {
  choose(point: DecisionPoint, index: number): number;
}

export interface ExecutionResult {
  readonly decisions: number[];
  readonly points: DecisionPoint[];
  readonly events: TraceEvent[];
  readonly violation: Violation | null;
  readonly steps: number;
  readonly preemptions: number;
  readonly faultFired: boolean;
  readonly stateKey: string;
  /** The observer abandoned the execution (a sleep-set-blocked DPOR branch). */
  readonly pruned: boolean;
  /** The deadline passed before the execution ended (it is neither a violation nor a terminal state). */
  readonly interrupted: boolean;
  /** Each task's return value (undefined while it has not finished). */
  readonly results: readonly unknown[];
  /** What a task threw, when the violation is a throw (a ModelViolation or a crash). */
  readonly thrown: unknown;
}

export class ReplayDivergence extends Error {
  constructor(message: string) {
    super(checkedMessage('ReplayDivergence', message));
    this.name = 'ReplayDivergence';
  }
}

/** A lock: its writer (-1: none), its readers, how many read holds each task has, and whether it is a guard. */
interface LockState {
  writer: number;
  readers: number;
  readBy: number[] | null;
  readonly guard: boolean;
}

interface TaskState {
  readonly name: string;
  readonly gen: Generator<Op, unknown, unknown>;
  readonly footprint: Footprint | null;
  /** The guard locks it holds (in either mode), once per hold. */
  readonly guardsHeld: string[];
  op: Op | null;
  /** The state of the lock its pending lock op takes, once looked up and the lock exists (enabled asks at every step). */
  opLock: LockState | undefined;
  done: boolean;
  allocs: number;
  /** The condition variable it sleeps on after a cond-wait, until a signal wakes it. */
  sleepingOn: string | null;
  /** Its pending op is a cond-wait's retake of the mutex (resumed with nothing of its own). */
  retake: boolean;
}

/**
 * Sees every step before it runs (DPOR builds its state tree from these): the task about to run,
 * its operation, the tasks that were enabled (an array the scheduler never changes afterwards, so
 * it may be kept), and each task's pending operation (reused: copy it to keep it). Returning false
 * abandons the execution (it is reported as pruned). `orders` reports the happens-before edges
 * that are not conflicts on an object: a spawn before the child's steps, a task's end before the
 * join that waits for it, a signal before the wakeup it causes.
 */
export interface StepObserver {
  beforeStep(task: number, op: Op, ready: readonly number[], pending: readonly (Op | null)[]): boolean;
  /** False when it never reads `pending` (the scheduler then does not fill it in at every step). */
  readonly readsPending?: boolean;
  /** The last step of `from` happens before the next step of `to`. */
  orders?(from: number, to: number): void;
}

/** Decides an allocation by site and the task's count of allocations so far (1 for its first). */
export type Allocator = (site: string, nth: number) => boolean;

export interface ExecutionOptions {
  readonly observer?: StepObserver | null;
  readonly fault?: FaultPlan | null;
  /** Decides every allocation itself (the synchronous driver's caller); overrides `fault`. */
  readonly allocate?: Allocator | null;
  readonly maxSteps?: number;
  /** Record events (off for fast exploration; replays turn it on). */
  readonly record?: boolean;
  /**
   * Stop (interrupted) once performance.now() passes this, checked every 256 steps: a few
   * milliseconds at most even at DPOR's pace on a loaded machine, and a clock read costs ~40 ns.
   */
  readonly deadline?: number;
}

function describe(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'ok' : 'fail';
  return String(value);
}

const isString = (v: unknown): boolean => typeof v === 'string';

/** Why `op` is not a protocol operation, or null when it is one. */
export function malformed(op: unknown): string | null {
  if (typeof op !== 'object' || op === null) return `yielded ${shown(op)}, not an operation (use the constructors in protocol.ts)`;
  const o = op as Record<string, unknown>;
  // The switch on the kind is the whole check of a well-formed op (no search of OP_KINDS).
  if (typeof o['label'] !== 'string') return OP_KINDS.includes(o['kind'] as Op['kind']) ? badField(o, 'label') : unknownKind(o);
  switch (o['kind'] as Op['kind']) {
    case 'lock':
    case 'unlock':
      if (!isString(o['lock'])) return badField(o, 'lock');
      if (o['mode'] !== 'read' && o['mode'] !== 'write') return badField(o, 'mode');
      return o['kind'] === 'unlock' || typeof o['try'] === 'boolean' ? null : badField(o, 'try');
    case 'alloc': return isString(o['site']) ? null : badField(o, 'site');
    case 'choice':
      if (!isString(o['name'])) return badField(o, 'name');
      return Number.isInteger(o['arity']) && (o['arity'] as number) >= 1 ? null : badField(o, 'arity');
    case 'access':
      if (!isString(o['obj'])) return badField(o, 'obj');
      return typeof o['write'] === 'boolean' ? null : badField(o, 'write');
    case 'assert':
      if (typeof o['ok'] !== 'boolean' && typeof o['ok'] !== 'function') return badField(o, 'ok');
      if (!isString(o['message']) && typeof o['message'] !== 'function') return badField(o, 'message');
      return isString(o['name']) ? null : badField(o, 'name');
    case 'step': return null;
    case 'wait':
      if (!isString(o['obj'])) return badField(o, 'obj');
      return typeof o['until'] === 'function' ? null : badField(o, 'until');
    case 'spawn':
      if (!isString(o['name'])) return badField(o, 'name');
      return typeof o['run'] === 'function' ? null : badField(o, 'run');
    case 'join': return isString(o['task']) ? null : badField(o, 'task');
    case 'cond-wait':
      if (!isString(o['cond'])) return badField(o, 'cond');
      return isString(o['mutex']) ? null : badField(o, 'mutex');
    case 'signal':
    case 'broadcast':
      return isString(o['cond']) ? null : badField(o, 'cond');
    default: return unknownKind(o);
  }
}

function badField(o: Record<string, unknown>, field: string): string {
  return `yielded a ${String(o['kind'])} operation whose ${field} is ${shown(o[field])}`;
}

function unknownKind(o: Record<string, unknown>): string {
  return `yielded an operation of unknown kind ${shown(o['kind'])}; known: ${OP_KINDS.join(', ')}`;
}

/** The lock, object, site, choice, condition or task an operation is about (for events and DPOR). */
export function subject(op: Op): string | undefined {
  switch (op.kind) {
    case 'lock': case 'unlock': return op.lock;
    case 'access': case 'wait': return op.obj;
    case 'alloc': return op.site;
    case 'choice': case 'spawn': return op.name;
    case 'join': return op.task;
    case 'cond-wait': case 'signal': case 'broadcast': return op.cond;
    case 'assert': case 'step': return undefined;
  }
}

/** The subject of an operation a footprint speaks of; null for a task-local one; undefined for spawn and join. */
function footprintSubject(op: Op): string | null | undefined {
  switch (op.kind) {
    case 'alloc': case 'choice': case 'assert': case 'step': return null;
    case 'spawn': case 'join': return undefined;
    default: return subject(op)!;
  }
}

function lockFree(l: LockState | undefined, mode: 'read' | 'write'): boolean {
  if (l === undefined) return true;
  return mode === 'read' ? l.writer < 0 : l.writer < 0 && l.readers === 0;
}

/** The default step limit: an execution still running after it is reported as a livelock. */
export const DEFAULT_MAX_STEPS = 100_000;

/** Runs one execution of `instance` under `chooser`. */
export function runExecution(instance: ModelInstance, chooser: Chooser, options: ExecutionOptions = {}): ExecutionResult {
  checkExecutionArguments(instance, chooser, options);
  const record = options.record ?? true;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const fault = options.fault ?? null;
  const observer = options.observer ?? null;
  const allocate = options.allocate ?? null;
  const deadline = options.deadline ?? Infinity;
  let interrupted = false;
  const results: unknown[] = [];
  let thrown: unknown;
  let pruned = false;
  const locks = new Map<string, LockState>();
  const conds = new Map<string, number[]>();
  const names = new Map<string, number>();
  const decisions: number[] = [];
  const points: DecisionPoint[] = [];
  const events: TraceEvent[] = [];
  let violation: Violation | null = null;
  let step = 0;
  let preemptions = 0;
  let faultFired = false;
  let current = -1;
  const tasks: TaskState[] = [];

  const fail = (kind: ViolationKind, origin: ViolationOrigin, message: string, task?: number): void => {
    violation = { kind, origin, message, step, ...(task !== undefined ? { task: tasks[task]!.name } : {}) };
  };

  const resume = (t: number, value: unknown): void => {
    const task = tasks[t]!;
    try {
      const next = task.gen.next(value);
      if (next.done) {
        task.done = true;
        task.op = null;
        results[t] = next.value;
        return;
      }
      const problem = malformed(next.value);
      if (problem !== null) {
        task.done = true;
        task.op = null;
        fail('model-error', 'engine', `${task.name}: ${problem}`, t);
        return;
      }
      task.op = next.value;
      task.opLock = undefined;
    } catch (e) {
      task.done = true;
      task.op = null;
      thrown = e;
      if (e instanceof ModelViolation) fail(e.kind, 'model', e.message, t);
      else fail('crash', 'engine', e instanceof Error ? `${e.name}: ${e.message}` : String(e), t);
    }
  };

  /** The guard locks taken so far; whether a step was run unoffered because its task write-held a subject's guards. */
  const guardLocks: string[] = [];
  /** Their states, in the same order. */
  const guardStates: LockState[] = [];
  let guardedSkip = false;
  const newLock = (id: string, t: number): LockState => {
    let isGuard = false;
    for (let x = 0; x < tasks.length && !isGuard; x++) isGuard = tasks[x]!.footprint?.guards?.(id) === true;
    const l: LockState = { writer: -1, readers: 0, readBy: null, guard: isGuard };
    if (isGuard) {
      guardLocks.push(id);
      guardStates.push(l);
      if (guardedSkip) fail('model-error', 'engine', `${tasks[t]!.name}: guard lock ${id} first taken after a step that relied on the guards taken before it`, t);
    }
    locks.set(id, l);
    return l;
  };
  /** Whether the footprint of `t` lets it perform `op` now: touched freely, or under a guard lock it holds. */
  const inFootprint = (t: number, op: Op): boolean => {
    const task = tasks[t]!;
    const f = task.footprint;
    const s = footprintSubject(op);
    if (f === null || typeof s !== 'string' || f.touches(s)) return true;
    for (const g of task.guardsHeld) if (f.guardedBy?.(s, g) === true) return true;
    return false;
  };
  /**
   * Whether `op`, the next step of task `c`, is invisible to every other unfinished task: each
   * declares a footprint, and the step is task-local or its subject is outside every footprint —
   * or guarded only by locks `c` write-holds, so no other task can take one and touch it before
   * `c` lets one go (an unlock they see, as they touch the lock). Or it is a pure read of a
   * subject each of them writes only under a lock `c` holds (Footprint.writeLock, pureRead).
   */
  const invisible = (c: number, op: Op): boolean => {
    const s = footprintSubject(op);
    if (s === undefined) return false;
    const pure = s !== null && op.kind === 'access' && !op.write && tasks[c]!.footprint?.pureRead?.(s) === true;
    let guarded = false;
    for (let u = 0; u < tasks.length; u++) {
      const other = tasks[u]!;
      if (u === c || other.done) continue;
      const f = other.footprint;
      if (f === null) return false;
      if (s === null) continue;
      if (pure && f.writeLock !== undefined && holds(c, f.writeLock(s))) continue;
      if (f.touches(s)) return false;
      if (f.guardedBy === undefined) continue;
      for (let k = 0; k < guardLocks.length; k++) {
        if (!f.guardedBy(s, guardLocks[k]!)) continue;
        if (guardStates[k]!.writer !== c) return false;
        guarded = true;
      }
    }
    if (guarded) guardedSkip = true;
    return true;
  };
  /** Whether task `t` holds lock `id` in either mode (false for null: no lock). */
  const holds = (t: number, id: string | null): boolean => {
    if (id === null) return false;
    const l = locks.get(id);
    return l !== undefined && (l.writer === t || (l.readBy?.[t] ?? 0) > 0);
  };
  /** A write `op` of task `t` whose subject its footprint's writeLock guards, without that lock write-held: what it lacks. */
  const unguardedWrite = (t: number, op: Op): string | null => {
    const writeLock = tasks[t]!.footprint?.writeLock;
    if (writeLock === undefined || op.kind !== 'access' || !op.write) return null;
    const id = writeLock(op.obj);
    return id === null || locks.get(id)?.writer === t ? null : id;
  };
  const holdGuard = (t: number, id: string, l: LockState, take: boolean): void => {
    if (!l.guard) return;
    const held = tasks[t]!.guardsHeld;
    if (take) {
      held.push(id);
      return;
    }
    // Remove one hold of `id`, keeping the order (splice would make an array of what it removes).
    const at = held.indexOf(id);
    if (at < 0) return;
    for (let k = at; k < held.length - 1; k++) held[k] = held[k + 1]!;
    held.length--;
  };

  const addTask = (name: string, run: () => Task<unknown>, footprint: Footprint | null = null): number => {
    const t = tasks.length;
    names.set(name, t);
    let gen: Generator<Op, unknown, unknown>;
    try {
      gen = run();
    } catch (e) {
      // A task that throws before it starts: its first resume rethrows, and is reported there.
      gen = { next: () => { throw e; } } as unknown as Generator<Op, unknown, unknown>;
    }
    tasks.push({ name, gen, footprint, guardsHeld: [], op: null, opLock: undefined, done: false, allocs: 0, sleepingOn: null, retake: false });
    return t;
  };

  const enabled = (t: number): boolean => {
    const task = tasks[t]!;
    const op = task.op;
    if (op === null || task.sleepingOn !== null) return false;
    switch (op.kind) {
      case 'lock': return op.try || lockFree(task.opLock ??= locks.get(op.lock), op.mode);
      case 'wait': return op.until();
      case 'join': {
        const target = names.get(op.task);
        return target === undefined || target === t || tasks[target]!.done;
      }
      default: return true;
    }
  };

  const decide = (point: DecisionPoint): number => {
    const value = chooser.choose(point, decisions.length);
    if (!point.options.includes(value)) {
      throw new ReplayDivergence(`decision ${decisions.length} (${point.kind} ${point.name}): ${value} is not one of [${point.options.join(', ')}]`);
    }
    decisions.push(value);
    points.push(point);
    return value;
  };

  for (const spec of instance.tasks) addTask(spec.name, spec.run, spec.footprint ?? null);
  const footprints = tasks.some((x) => x.footprint !== null);
  for (let t = 0; t < tasks.length && violation === null; t++) resume(t, undefined);

  const pending: (Op | null)[] = [];
  const fillPending = observer !== null && observer.readsPending !== false;
  while (violation === null) {
    // The enabled tasks, as a shared array when few tasks run (no allocation per step).
    let ready: readonly number[];
    let mask = 0;
    if (tasks.length <= SHARED_TASKS) {
      for (let t = 0; t < tasks.length; t++) if (enabled(t)) mask |= 1 << t;
      ready = readySet(mask);
    } else {
      const list: number[] = [];
      for (let t = 0; t < tasks.length; t++) if (enabled(t)) list.push(t);
      ready = list;
    }
    if (ready.length === 0) {
      const stuck = tasks.filter((x) => !x.done);
      if (stuck.length > 0) {
        fail('deadlock', 'engine', `deadlock: ${stuck.map((x) => `${x.name} waits ${x.sleepingOn !== null ? `on ${x.sleepingOn}` : `at "${x.op?.label}"`}`).join('; ')}`);
      } else if (instance.finalCheck) {
        const message = instance.finalCheck();
        if (message !== null) fail('final-check', 'engine', message);
      }
      break;
    }
    if ((step & 255) === 255 && deadline !== Infinity && performance.now() > deadline) {
      interrupted = true;
      break;
    }
    if (step >= maxSteps) {
      fail('step-limit', 'engine', `no end after ${maxSteps} steps (a livelock?)`);
      break;
    }
    let t = ready[0]!;
    if (ready.length > 1 && footprints && current >= 0 && (mask !== 0 ? (mask >>> current) & 1 : ready.includes(current)) && invisible(current, tasks[current]!.op!)) {
      // No other task can tell this step from one run after their own: it is not a decision.
      t = current;
      if (mask !== 0) ready = readySet((mask = 1 << current));
      else ready = [current];
    } else if (ready.length > 1) t = decide(mask !== 0 ? schedulePoint(mask, ready, current) : { kind: 'task', options: ready, current, name: 'schedule' });
    if (current >= 0 && t !== current && (mask !== 0 ? (mask >>> current) & 1 : ready.includes(current))) preemptions++;
    current = t;
    const task = tasks[t]!;
    const op = task.op!;
    if (footprints && !inFootprint(t, op)) {
      fail('model-error', 'engine', `${task.name}: ${op.label}: ${subject(op)} is outside the task's footprint`, t);
      break;
    }
    const lacking = footprints ? unguardedWrite(t, op) : null;
    if (lacking !== null) {
      fail('model-error', 'engine', `${task.name}: ${op.label}: writes ${subject(op)} without holding ${lacking} for writing (its footprint's writeLock)`, t);
      break;
    }
    if (observer !== null) {
      if (op.kind === 'join' && observer.orders) {
        const target = names.get(op.task);
        if (target !== undefined && target !== t) observer.orders(target, t);
      }
      if (fillPending) for (let x = 0; x < tasks.length; x++) pending[x] = tasks[x]!.op;
      if (!observer.beforeStep(t, op, ready, pending)) {
        pruned = true;
        break;
      }
    }
    step++;
    let result: unknown;
    let faulted = false;
    let bad = false;
    /** cond-wait: the task sleeps instead of going on. */
    let sleeps = false;
    switch (op.kind) {
      case 'lock': {
        const l = task.opLock ?? locks.get(op.lock) ?? newLock(op.lock, t);
        if (!lockFree(l, op.mode)) {
          result = false;
        } else {
          if (op.mode === 'read') {
            l.readers++;
            const by = l.readBy ??= [];
            by[t] = (by[t] ?? 0) + 1;
          } else {
            l.writer = t;
          }
          holdGuard(t, op.lock, l, true);
          result = true;
        }
        if (task.retake) {
          task.retake = false;
          result = undefined;
        }
        break;
      }
      case 'unlock': {
        const l = locks.get(op.lock);
        const ok = l !== undefined && (op.mode === 'read' ? (l.readBy?.[t] ?? 0) > 0 : l.writer === t);
        if (!ok) {
          bad = true;
          fail('bad-unlock', 'engine', `${task.name}: ${op.label}: ${op.lock} is not held in ${op.mode} mode`, t);
          break;
        }
        if (op.mode === 'read') {
          l.readers--;
          l.readBy![t]!--;
        } else {
          l.writer = -1;
        }
        holdGuard(t, op.lock, l, false);
        break;
      }
      case 'cond-wait': {
        const l = locks.get(op.mutex);
        if (l === undefined || l.writer !== t) {
          bad = true;
          fail('bad-unlock', 'engine', `${task.name}: ${op.label}: waits on ${op.cond} without holding ${op.mutex}`, t);
          break;
        }
        l.writer = -1;
        holdGuard(t, op.mutex, l, false);
        let waiters = conds.get(op.cond);
        if (!waiters) conds.set(op.cond, (waiters = []));
        waiters.push(t);
        task.sleepingOn = op.cond;
        task.retake = true;
        const retake: LockOp = { kind: 'lock', lock: op.mutex, mode: 'write', try: false, label: `${op.label}: take ${op.mutex} again` };
        task.op = retake;
        task.opLock = l;
        sleeps = true;
        break;
      }
      case 'signal':
      case 'broadcast': {
        const waiters = conds.get(op.cond);
        if (waiters === undefined || waiters.length === 0) {
          result = 0;
          break;
        }
        const woken = op.kind === 'broadcast' ? waiters.splice(0)
          : waiters.splice(waiters.length === 1 ? 0 : decide({ kind: 'choice', options: range(waiters.length), current, name: `${op.label}: which waiter` }), 1);
        for (const w of woken) {
          tasks[w]!.sleepingOn = null;
          observer?.orders?.(t, w);
        }
        result = woken.length;
        break;
      }
      case 'spawn': {
        if (names.has(op.name)) {
          bad = true;
          fail('model-error', 'engine', `${task.name}: ${op.label}: a task named ${JSON.stringify(op.name)} already exists`, t);
          break;
        }
        const child = addTask(op.name, op.run);
        observer?.orders?.(t, child);
        resume(child, undefined);
        result = op.name;
        break;
      }
      case 'join': {
        const target = names.get(op.task);
        if (target === undefined || target === t) {
          bad = true;
          fail('model-error', 'engine', `${task.name}: ${op.label}: ${target === t ? 'a task cannot join itself' : `no task named ${JSON.stringify(op.task)}`}`, t);
          break;
        }
        result = results[target];
        break;
      }
      case 'alloc': {
        let ok = true;
        if (allocate !== null) {
          task.allocs++;
          ok = allocate(op.site, task.allocs);
          if (!ok) faulted = faultFired = true;
          result = ok;
          break;
        }
        const matches = fault !== null && (fault.task === undefined || fault.task === task.name) &&
          (fault.site === undefined || fault.site === op.site);
        if (matches) {
          task.allocs++;
          if (task.allocs === fault.nth || (fault.mode === 'persistent' && task.allocs > fault.nth)) {
            ok = false;
            faulted = true;
            faultFired = true;
          }
        }
        result = ok;
        break;
      }
      case 'choice':
        result = op.arity > 1 ? decide({ kind: 'choice', options: range(op.arity), current, name: op.name }) : 0;
        break;
      case 'assert': {
        let ok: boolean;
        try {
          ok = typeof op.ok === 'function' ? op.ok() : op.ok;
          if (!ok) fail(`assert:${op.name}`, 'check', `${task.name}: ${op.label}: ${typeof op.message === 'function' ? op.message() : op.message}`, t);
        } catch (e) {
          thrown = e;
          fail('crash', 'engine', `${task.name}: ${op.label}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, t);
        }
        if (violation !== null) bad = true;
        break;
      }
      case 'wait':
      case 'access':
      case 'step':
        break;
    }
    if (record) {
      const obj = subject(op);
      events.push({
        step, task: task.name, kind: op.kind, label: op.label,
        ...(obj !== undefined ? { obj } : {}),
        ...(op.kind === 'access' ? { write: op.write } : {}),
        ...(result !== undefined ? { result: describe(result) } : {}),
        ...(bad ? { violation: true } : {}),
        ...(faulted ? { fault: true } : {}),
      });
    }
    if (bad) break;
    if (!sleeps && violation === null) resume(t, result);
    if (violation !== null && record) {
      events.push({ step: step + 1, task: task.name, kind: 'assert', label: (violation as Violation).kind, violation: true, result: (violation as Violation).message });
    }
  }
  return {
    decisions, points, events, violation, steps: step, preemptions, faultFired, pruned, interrupted, results, thrown,
    stateKey: violation === null && !pruned && !interrupted && instance.stateKey ? instance.stateKey() : '',
  };
}

/**
 * Executions of up to SHARED_TASKS tasks share their ready sets and scheduling points, by the mask
 * of enabled tasks (and the task that ran last): a decision allocates nothing. They are never
 * mutated; the tables stop growing at SHARED_LIMIT entries (later ones are made per step).
 */
const SHARED_TASKS = 24;
const SHARED_LIMIT = 1 << 14;
const readySets = new Map<number, readonly number[]>();
const schedulePoints = new Map<number, DecisionPoint>();

/** The ready sets of the masks below SMALL_MASKS by index (a Map lookup per step costs more). */
const SMALL_MASKS = 256;
const smallReadySets: (readonly number[] | undefined)[] = [];

function readySet(mask: number): readonly number[] {
  let set = mask < SMALL_MASKS ? smallReadySets[mask] : readySets.get(mask);
  if (set === undefined) {
    const list: number[] = [];
    for (let t = 0; t < SHARED_TASKS; t++) if ((mask >>> t) & 1) list.push(t);
    set = list;
    if (mask < SMALL_MASKS) smallReadySets[mask] = set;
    else if (readySets.size < SHARED_LIMIT) readySets.set(mask, set);
  }
  return set;
}

function schedulePoint(mask: number, ready: readonly number[], current: number): DecisionPoint {
  const key = mask * 32 + current + 1;
  let point = schedulePoints.get(key);
  if (point === undefined) {
    point = { kind: 'task', options: ready, current, name: 'schedule' };
    if (schedulePoints.size < SHARED_LIMIT) schedulePoints.set(key, point);
  }
  return point;
}

const ranges: number[][] = [];
function range(n: number): number[] {
  let r = ranges[n];
  if (!r) {
    r = Array.from({ length: n }, (_, i) => i);
    ranges[n] = r;
  }
  return r;
}
