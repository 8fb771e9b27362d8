/**
 * One execution of a model: the scheduler proper. It keeps each task's pending operation, decides
 * which tasks are enabled (a task waiting for a lock is not), asks a Chooser at every real decision
 * (more than one enabled task, or a choice with more than one value), performs the operation and
 * resumes the task with its result. It records decisions for replay and events for people.
 */
import type { ModelInstance } from './model.js';
import { ModelViolation, type Op, type ViolationKind, type ViolationOrigin } from './protocol.js';

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
  /** Each task's return value (undefined while it has not finished). */
  readonly results: readonly unknown[];
  /** What a task threw, when the violation is a throw (a ModelViolation or a crash). */
  readonly thrown: unknown;
}

export class ReplayDivergence extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayDivergence';
  }
}

interface LockState {
  writer: number;
  readers: number;
}

interface TaskState {
  readonly name: string;
  readonly gen: Generator<Op, unknown, unknown>;
  op: Op | null;
  done: boolean;
  allocs: number;
  held: Map<string, number>;
}

/**
 * Sees every step before it runs (DPOR builds its state tree from these): the task about to run,
 * its operation, the tasks that were enabled, and each task's pending operation. Returning false
 * abandons the execution (it is reported as pruned).
 */
export interface StepObserver {
  beforeStep(task: number, op: Op, ready: readonly number[], pending: readonly (Op | null)[]): boolean;
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
}

function describe(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'ok' : 'fail';
  return String(value);
}

/** Runs one execution of `instance` under `chooser`. */
export function runExecution(instance: ModelInstance, chooser: Chooser, options: ExecutionOptions = {}): ExecutionResult {
  const record = options.record ?? true;
  const maxSteps = options.maxSteps ?? 100_000;
  const fault = options.fault ?? null;
  const observer = options.observer ?? null;
  const allocate = options.allocate ?? null;
  const results: unknown[] = [];
  let thrown: unknown;
  let pruned = false;
  const locks = new Map<string, LockState>();
  const decisions: number[] = [];
  const points: DecisionPoint[] = [];
  const events: TraceEvent[] = [];
  let violation: Violation | null = null;
  let step = 0;
  let preemptions = 0;
  let faultFired = false;
  let current = -1;

  const tasks: TaskState[] = instance.tasks.map((spec) => ({
    name: spec.name, gen: spec.run(), op: null, done: false, allocs: 0, held: new Map<string, number>(),
  }));

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
      } else {
        task.op = next.value;
      }
    } catch (e) {
      task.done = true;
      task.op = null;
      thrown = e;
      if (e instanceof ModelViolation) fail(e.kind, 'model', e.message, t);
      else fail('crash', 'engine', e instanceof Error ? `${e.name}: ${e.message}` : String(e), t);
    }
  };

  const enabled = (t: number): boolean => {
    const task = tasks[t]!;
    if (task.done || task.op === null) return false;
    const op = task.op;
    if (op.kind === 'wait') return op.until();
    if (op.kind !== 'lock' || op.try) return true;
    const l = locks.get(op.lock);
    if (!l) return true;
    return op.mode === 'read' ? l.writer < 0 : l.writer < 0 && l.readers === 0;
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

  for (let t = 0; t < tasks.length && violation === null; t++) resume(t, undefined);

  const ready: number[] = [];
  const pending: (Op | null)[] = [];
  while (violation === null) {
    ready.length = 0;
    for (let t = 0; t < tasks.length; t++) if (enabled(t)) ready.push(t);
    if (ready.length === 0) {
      const stuck = tasks.filter((x) => !x.done);
      if (stuck.length > 0) {
        fail('deadlock', 'engine', `deadlock: ${stuck.map((x) => `${x.name} waits at "${x.op?.label}"`).join('; ')}`);
      } else if (instance.finalCheck) {
        const message = instance.finalCheck();
        if (message !== null) fail('final-check', 'engine', message);
      }
      break;
    }
    if (step >= maxSteps) {
      fail('step-limit', 'engine', `no end after ${maxSteps} steps (a livelock?)`);
      break;
    }
    let t = ready[0]!;
    if (ready.length > 1) {
      t = decide({ kind: 'task', options: ready.slice(), current, name: 'schedule' });
    }
    if (current >= 0 && t !== current && ready.includes(current)) preemptions++;
    current = t;
    const task = tasks[t]!;
    const op = task.op!;
    if (observer !== null) {
      pending.length = 0;
      for (const x of tasks) pending.push(x.op);
      if (!observer.beforeStep(t, op, ready, pending)) {
        pruned = true;
        break;
      }
    }
    step++;
    let result: unknown;
    let faulted = false;
    let bad = false;
    switch (op.kind) {
      case 'lock': {
        let l = locks.get(op.lock);
        if (!l) {
          l = { writer: -1, readers: 0 };
          locks.set(op.lock, l);
        }
        const free = op.mode === 'read' ? l.writer < 0 : l.writer < 0 && l.readers === 0;
        if (!free) {
          result = false;
        } else {
          if (op.mode === 'read') l.readers++;
          else l.writer = t;
          task.held.set(op.lock, (task.held.get(op.lock) ?? 0) + 1);
          result = true;
        }
        break;
      }
      case 'unlock': {
        const l = locks.get(op.lock);
        const n = task.held.get(op.lock) ?? 0;
        const ok = l !== undefined && n > 0 && (op.mode === 'read' ? l.readers > 0 : l.writer === t);
        if (!ok) {
          bad = true;
          fail('bad-unlock', 'engine', `${task.name}: ${op.label}: ${op.lock} is not held in ${op.mode} mode`, t);
          break;
        }
        if (op.mode === 'read') l.readers--;
        else l.writer = -1;
        if (n === 1) task.held.delete(op.lock);
        else task.held.set(op.lock, n - 1);
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
          if (task.allocs === fault!.nth || (fault!.mode === 'persistent' && task.allocs > fault!.nth)) {
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
      case 'assert':
        if (!op.ok) {
          bad = true;
          fail(`assert:${op.name}`, 'check', `${task.name}: ${op.label}: ${op.message}`, t);
        }
        break;
      case 'wait':
      case 'access':
      case 'step':
        break;
    }
    if (record) {
      const obj = op.kind === 'lock' || op.kind === 'unlock' ? op.lock : op.kind === 'access' || op.kind === 'wait' ? op.obj
        : op.kind === 'alloc' ? op.site : op.kind === 'choice' ? op.name : undefined;
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
    resume(t, result);
    if (violation !== null && record) {
      events.push({ step: step + 1, task: task.name, kind: 'assert', label: (violation as Violation).kind, violation: true, result: (violation as Violation).message });
    }
  }
  return {
    decisions, points, events, violation, steps: step, preemptions, faultFired, pruned, results, thrown,
    stateKey: violation === null && !pruned && instance.stateKey ? instance.stateKey() : '',
  };
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
