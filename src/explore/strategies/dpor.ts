/**
 * Dynamic partial-order reduction (Flanagan & Godefroid, POPL 2005): without a bound, optimal DPOR
 * with sleep sets and wakeup trees (Abdulla, Aronis, Jonsson & Sagonas, POPL 2014); with a
 * preemption bound, Source-DPOR's backtrack sets inside the bounded DFS.
 *
 * Each execution is a path of steps; for every step we keep the tasks that were enabled, their
 * pending operations, and the backtrack, done and sleep sets of that state. Races are found while
 * the execution runs, with vector clocks: every task carries a clock, and every lock, condition
 * variable and shared object remembers, per task, its last access. A step is checked only against
 * those last accesses (the earlier ones happen before them), so the work per step is proportional
 * to the number of tasks, not to the length of the execution. A race — a conflicting access of
 * another task that does not happen before this step — is reversed by adding this step's task to
 * the backtrack set of the state before the other access (all the tasks enabled there when it is
 * not one of them). With a preemption bound the same is done at every earlier state of the other
 * task's run: the conservative points of bounded POR (Coons, Musuvathi & McKinley, OOPSLA 2013;
 * Loom's `Path::backtrack`), because the bound can forbid the switch at the race but allow an
 * earlier one. Sleep sets stop re-running a task whose step commutes with everything run since it
 * was explored; an execution in which every enabled task is asleep is abandoned and counted as
 * pruned. Without a bound, a race is reversed by inserting the whole sequence notdep(i).j into the
 * wakeup tree of the state before i — unless a task asleep or done there already covers it — and
 * the executions that follow a tree's branch run its events in order, so none ends blocked by the
 * sleep sets (except where a reversal cannot run: a task blocked at i). Sleep sets assume the sibling branch that put a task to sleep explored every order
 * equivalent to the pruned one, which a preemption bound can forbid (T0: r x; w x and T1: r x; w y
 * under bound 0: after T1 runs first, T0 sleeps, yet "T0 then T1" was the only order of its branch
 * the bound allowed). So they prune only in a search without a bound.
 *
 * The dependency relation: operations on the same lock are dependent (read/read included, to stay
 * conservative); a cond-wait releases its mutex and, with signal and broadcast, touches its
 * condition variable; accesses and waits on the same object are dependent when one writes;
 * allocations, choices, asserts and step points are task-local. Spawn and join are not accesses
 * but happens-before edges (a spawn before the child's steps, a task's end before its join), and so
 * is a signal before the wakeup it causes. Two acquires of one lock race even though the release
 * between them orders them. A waitUntil that was disabled before the access it races with cannot
 * be moved before it, so that race is not reversed. Model code must declare, with an access op,
 * every piece of shared state it touches; a wait's predicate must read only state named by `obj`.
 */
import type { Chooser, DecisionPoint, ExecutionResult, StepObserver } from '../execution.js';
import type { Op } from '../protocol.js';
import { checkIndices } from '../arguments.js';
import { checkBound, checkSubtree, type Subtree } from './bounded.js';
import type { Strategy } from './strategy.js';

/** A state of the current execution (the objects are reused from execution to execution). */
interface Node {
  /** Enabled tasks in this state, and every task's pending operation. */
  ready: readonly number[];
  pending: readonly (Op | null)[];
  /** The task that ran before this state (-1 at the start), and preemptions used to get here. */
  prev: number;
  preemptionsBefore: number;
  /** Preemptions used once `task` has run here. */
  preemptionsAfter: number;
  /** Tasks asleep on entry: explored from an ancestor with a step independent of all run since. */
  sleep: Set<number>;
  /** Bounded search: tasks to run from this state. Both: those run (small: arrays, not sets). */
  backtrack: number[];
  done: number[];
  /** Unbounded search: the wakeup tree's branches from this state not begun yet, in order. */
  wakeup: Wakeup[];
  /** The wakeup tree's branches of the task running now (one per choice value it recorded). */
  branch: readonly Wakeup[];
  task: number;
  /** A multi-valued choice made by this step: its arity (0 if none) and the value taken. */
  choiceArity: number;
  choiceValue: number;
}

/**
 * A wakeup tree's node (optimal DPOR, Abdulla, Aronis, Jonsson & Sagonas, POPL 2014): one event —
 * a task's next step, its operation and the choice value it took (-1: none, or any) — and the
 * events to run after it, in order.
 */
interface Wakeup {
  readonly task: number;
  readonly op: Op;
  value: number;
  readonly children: Wakeup[];
}

/** An event of the execution being run that a race's reversal replays: its step index, task, operation and choice value. */
interface Event {
  readonly step: number;
  readonly task: number;
  readonly op: Op;
  readonly value: number;
}

const NO_WAKEUP: readonly Wakeup[] = [];
/** The done set of a state before its first branch ends, and a wakeup tree until a race adds to it: never written. */
const NO_TASKS: number[] = [];
const NO_BRANCHES: Wakeup[] = [];

/** The events of `v` as a wakeup tree's branch: each the only child of the one before. */
function chain(v: readonly Event[]): Wakeup {
  let next: Wakeup | null = null;
  for (let k = v.length - 1; k >= 0; k--) {
    const e = v[k]!;
    next = { task: e.task, op: e.op, value: e.value, children: next === null ? [] : [next] };
  }
  return next!;
}

const LOCK = 0;
const OBJ = 1;
const COND = 2;

/** Whether `op` touches object `id` of namespace `ns` in a way that conflicts with an access that writes when `w`. */
function meets(op: Op, ns: number, id: string, w: boolean): boolean {
  switch (op.kind) {
    case 'lock': case 'unlock': return ns === LOCK && id === op.lock;
    case 'access': return ns === OBJ && id === op.obj && (w || op.write);
    case 'wait': return ns === OBJ && id === op.obj && w;
    case 'cond-wait': return (ns === LOCK && id === op.mutex) || (ns === COND && id === op.cond);
    case 'signal': case 'broadcast': return ns === COND && id === op.cond;
    default: return false;
  }
}

/**
 * True when the order of `a` and `b` (run by different tasks) can matter: they touch one lock or
 * condition variable (every use of one is a write), or one object and one of them writes it.
 */
export function dependent(a: Op, b: Op): boolean {
  switch (a.kind) {
    case 'lock': case 'unlock': return meets(b, LOCK, a.lock, true);
    case 'access': return meets(b, OBJ, a.obj, a.write);
    case 'wait': return meets(b, OBJ, a.obj, false);
    case 'cond-wait': return meets(b, LOCK, a.mutex, true) || meets(b, COND, a.cond, true);
    case 'signal': case 'broadcast': return meets(b, COND, a.cond, true);
    default: return false;
  }
}

const NO_SLEEP: Set<number> = new Set();

const NO_OPS: readonly (Op | null)[] = [];

function isPreemption(prev: number, ready: readonly number[], task: number): boolean {
  return prev >= 0 && task !== prev && ready.includes(prev);
}

/**
 * A vector clock: per task, the number of its steps that happen before. Dense — a task with none
 * is 0, never a hole — so V8 keeps every clock a packed array of small integers (a holey one is
 * slower to read, and a copy of one would fill the holes with undefined).
 */
type Clock = number[];

function joinInto(into: Clock, from: Clock): void {
  // Both dense: when t reaches into's end, t is its length and the push puts from[t] at t.
  for (let t = 0; t < from.length; t++) {
    const v = from[t]!;
    if (t >= into.length) into.push(v);
    else if (v > into[t]!) into[t] = v;
  }
}

/**
 * A shared object's last accesses, as step indices (-1 or a hole: none): [0] its last write,
 * [1 + t] task t's last read. A flat array, so that the undo log can restore any entry.
 */
type ObjectState = number[];

/**
 * A lock or condition variable: [0] its last operation in write mode (whose clock is the join of
 * the clocks of all its operations before it: each joins the one before, and a write-mode acquire
 * every task's last acquire and release), [1 + 2t] task t's last acquire (or cond op), [2 + 2t]
 * its last release.
 */
type SyncState = number[];

const LAST = 0;
const readBy = (t: number): number => 1 + t;
const acquireBy = (t: number): number => 1 + 2 * t;
const releaseBy = (t: number): number => 2 + 2 * t;

/** Copies `from` into `into` (both clocks of this search, so no array is made). */
function copyInto(into: Clock, from: Clock): void {
  for (let t = 0; t < from.length; t++) into[t] = from[t]!;
  if (into.length !== from.length) into.length = from.length;
}

/**
 * The DPOR search state across executions. Use it as both the Chooser and the StepObserver of
 * each execution, then call `next()` to prepare the following one; `next()` returns false when
 * the reduced space within the bound is exhausted. With a `prefix`, every execution begins with
 * those decisions and the search covers what follows them.
 */
export class DporSearch implements Chooser, StepObserver {
  readonly #bound: number;
  /** The states of the current execution; only the first #pathLength are live (never shrunk, to reuse its storage). */
  readonly #path: Node[] = [];
  #pathLength = 0;
  /** Steps of the current execution that replay the path (before the branch point). */
  #replay = 0;
  /** The first step whose races are new (the branch point; earlier ones were checked before). */
  #fresh = 0;
  #depth = 0;
  #pendingChoice: Node | null = null;
  /** The sleep set `choose` computed for the step about to run, if it was asked. */
  #chosenSleep: Set<number> | null = null;
  /** How many executions ended blocked by sleep sets or by the bound. */
  pruned = 0;
  readonly #sleepSets: boolean;
  /** Decisions every execution begins with (a split search's prefix job, ../split.ts). */
  readonly #prefix: readonly number[];
  /**
   * The steps below which the prefix decides: the first #taskFloor steps' tasks and the first
   * #choiceFloor steps' choices are never branched on, and a race with one of those steps is not
   * reversed (the split's frontier holds every other prefix). Unknown (Infinity) until the first
   * execution has taken the prefix's last decision.
   */
  #taskFloor: number;
  #choiceFloor: number;

  // Happens-before tracking of the current execution. Each task's clock is its last step's; while
  // #replaying (before the branch point) the clocks wait, and are taken from those steps at the first new one.
  readonly #clocks: Clock[] = [];
  readonly #carry: (Clock | null)[] = [];
  #replaying = false;
  /** Per task, the index of each of its steps in order. */
  readonly #stepsOf: number[][] = [];
  /** How many of each task's #stepsOf entries belong to the current execution (the arrays are reused). */
  readonly #stepCount: number[] = [];
  readonly #stepTask: number[] = [];
  readonly #stepSeq: number[] = [];
  readonly #stepClock: Clock[] = [];
  /** Each step's operation (for the wakeup trees of the unbounded search). */
  readonly #stepOp: Op[] = [];
  /**
   * The last-access tables. They live as long as the search: every change a step makes is logged
   * (the array, the index, the value before), and the next execution undoes the changes of the
   * steps after its branch point, so the steps it replays cost nothing here (no lookup, no copy).
   */
  readonly #objects = new Map<string, ObjectState>();
  readonly #locks = new Map<string, SyncState>();
  readonly #conds = new Map<string, SyncState>();
  readonly #undoArray: number[][] = [];
  readonly #undoIndex: number[] = [];
  readonly #undoValue: number[] = [];
  #undoLength = 0;
  /** The undo log's length before each step's changes. */
  readonly #undoMark: number[] = [];
  /**
   * Per task, the two objects it accessed last, by id: a task mostly touches a few objects over and
   * over, and comparing two short strings costs less than hashing an id the model has just built.
   */
  readonly #recentIds: (string | undefined)[] = [];
  readonly #recentObjects: (ObjectState | undefined)[] = [];
  /** The same for locks: the two each task took or released last. */
  readonly #recentLockIds: (string | undefined)[] = [];
  readonly #recentLocks: (SyncState | undefined)[] = [];
  /** The races the step being tracked closes (reused from step to step). */
  readonly #racing: number[] = [];
  readonly #racingBlocked: boolean[] = [];
  #races = 0;
  /** The clock of the step being tracked before it joined the clocks of what it touches (set when it closes races). */
  #beforeJoins: Clock = [];
  /** The step being tracked. */
  #tracking = -1;
  /** #initials' answer (reused: each is read before the next is asked). */
  readonly #initialsOut: number[] = [];

  constructor(bound: number, prefix: readonly number[] = []) {
    checkBound('DporSearch', 'bound', bound);
    checkIndices('DporSearch', 'prefix', prefix);
    this.#bound = bound;
    this.#sleepSets = !Number.isFinite(bound);
    this.#prefix = prefix;
    this.#taskFloor = this.#choiceFloor = prefix.length === 0 ? 0 : Infinity;
  }

  /** Chooser: task decisions come from the node of the current step; choices from its value. */
  choose(point: DecisionPoint, index: number): number {
    if (index < this.#prefix.length) return this.#fromPrefix(point, index);
    if (point.kind === 'choice') {
      const node = this.#pendingChoice!;
      if (node.choiceArity === 0) {
        node.choiceArity = point.options.length;
        node.choiceValue = 0;
      }
      return node.choiceValue;
    }
    if (this.#depth < this.#replay) return this.#path[this.#depth]!.task;
    // beforeStep of this same step reuses the sleep set computed here.
    const sleep = this.#chosenSleep = this.#sleepAt(this.#depth);
    // Unbounded: follow the wakeup tree this state inherits, its first branch that can run.
    for (const w of this.#incomingAt(this.#depth)) if (point.options.includes(w.task) && !sleep.has(w.task)) return w.task;
    return this.#pick(point.options, point.current, sleep, this.#preemptionsAt(this.#depth)) ?? point.options[0]!;
  }

  /**
   * A decision of the prefix. Its last one sets the floors: a task decision is taken before its
   * step's node exists (the node is #depth; its choice, if any, is free), a choice inside it.
   */
  #fromPrefix(point: DecisionPoint, index: number): number {
    const value = this.#prefix[index]!;
    const last = index === this.#prefix.length - 1;
    if (point.kind === 'choice') {
      const node = this.#pendingChoice!;
      node.choiceArity = point.options.length;
      node.choiceValue = value;
      if (last) this.#taskFloor = this.#choiceFloor = this.#depth;
    } else if (last) {
      this.#taskFloor = this.#depth + 1;
      this.#choiceFloor = this.#depth;
    }
    return value;
  }

  /** StepObserver: only the sleep sets (the unbounded search) read the pending operations. */
  get readsPending(): boolean {
    return this.#sleepSets;
  }

  /** StepObserver: records (or re-checks) the node of this step; false when every option sleeps. */
  beforeStep(task: number, op: Op, ready: readonly number[], pending: readonly (Op | null)[]): boolean {
    const depth = this.#depth++;
    if (depth < this.#replay) {
      this.#pendingChoice = this.#path[depth]!;
    } else {
      const sleep = this.#chosenSleep ?? this.#sleepAt(depth);
      this.#chosenSleep = null;
      const preemptionsBefore = this.#preemptionsAt(depth);
      const prev = depth === 0 ? -1 : this.#path[depth - 1]!.task;
      const preemptionsAfter = preemptionsBefore + (isPreemption(prev, ready, task) ? 1 : 0);
      if (preemptionsAfter > this.#bound || (this.#sleepSets && sleep.has(task))) {
        // Everything left here is asleep or beyond the bound: nothing new below this state.
        this.#pathLength = depth;
        return false;
      }
      // The wakeup tree this state inherits: the branches of the task run now are followed, the rest wait.
      const incoming = this.#incomingAt(depth);
      // The scheduler never changes a ready set it passed; pending operations serve the sleep sets only.
      const pendingCopy = this.#sleepSets ? pending.slice() : NO_OPS;
      const wakeup = incoming.length > 0 ? incoming.filter((w) => w.task !== task) : NO_BRANCHES;
      const branch = incoming.length === 0 ? NO_WAKEUP : incoming.filter((w) => w.task === task);
      // A fresh step is always the next one on the path (the branch point truncated it); the
      // state object there, if any, belonged to an abandoned branch and is reused.
      let node = this.#path[depth];
      if (node === undefined) {
        node = {
          ready, pending: pendingCopy, prev, preemptionsBefore, preemptionsAfter, sleep, backtrack: [task], done: NO_TASKS, wakeup, branch,
          task, choiceArity: 0, choiceValue: 0,
        };
        this.#path[depth] = node;
      } else {
        node.ready = ready;
        node.pending = pendingCopy;
        node.prev = prev;
        node.preemptionsBefore = preemptionsBefore;
        node.preemptionsAfter = preemptionsAfter;
        node.sleep = sleep;
        if (node.backtrack.length === 1) node.backtrack[0] = task;
        else node.backtrack = [task];
        node.done = NO_TASKS;
        node.wakeup = wakeup;
        node.branch = branch;
        node.task = task;
        node.choiceArity = 0;
        node.choiceValue = 0;
      }
      this.#pathLength = depth + 1;
      this.#pendingChoice = node;
    }
    this.#track(depth, task, op);
    return true;
  }

  /** StepObserver: the last step of `from` happens before the next step of `to`. */
  orders(from: number, to: number): void {
    const c = this.#replaying ? this.#stepClock[this.#lastStepBefore(from, this.#depth)] : this.#clocks[from];
    if (c === undefined) return;
    const carry = this.#carry[to];
    if (carry) joinInto(carry, c);
    else this.#carry[to] = c.slice();
  }

  /** Call after each execution: picks the next branch (races were recorded as the steps ran). */
  next(): boolean {
    for (let d = this.#pathLength - 1; d >= this.#choiceFloor; d--) {
      const node = this.#path[d]!;
      if (node.choiceArity > 1 && node.choiceValue < node.choiceArity - 1) {
        node.choiceValue++;
        return this.#branchAt(d);
      }
      if (d < this.#taskFloor) continue;
      // Most states have nothing left (and are dropped with the branch): look before recording what ran.
      if (this.#sleepSets ? node.wakeup.length === 0 : node.backtrack.length === node.done.length + 1) continue;
      if (node.done === NO_TASKS) node.done = [node.task];
      else node.done.push(node.task);
      if (this.#sleepSets) {
        if (this.#nextWakeup(node)) return this.#branchAt(d);
        continue;
      }
      // Every task the races put here is within the bound (#addWithin): the previous task first.
      let q = -1;
      for (const t of node.backtrack) {
        if (node.done.includes(t)) continue;
        if (q < 0 || t === node.prev) q = t;
      }
      if (q >= 0) {
        node.task = q;
        node.preemptionsAfter = node.preemptionsBefore + (isPreemption(node.prev, node.ready, q) ? 1 : 0);
        node.choiceArity = 0;
        node.choiceValue = 0;
        return this.#branchAt(d);
      }
    }
    this.#pathLength = 0;
    return false;
  }

  /**
   * Unbounded: the next branch of a state's wakeup tree that can run there (its task enabled, not
   * asleep, not run), with every branch of that task; the others before it are dropped.
   */
  #nextWakeup(node: Node): boolean {
    const wakeup = node.wakeup;
    while (wakeup.length > 0) {
      const t = wakeup[0]!.task;
      const runnable = node.ready.includes(t) && !node.sleep.has(t) && !node.done.includes(t);
      const branch: Wakeup[] = [];
      for (let k = 0; k < wakeup.length;) {
        if (wakeup[k]!.task === t) branch.push(wakeup.splice(k, 1)[0]!);
        else k++;
      }
      if (!runnable) continue;
      node.task = t;
      node.preemptionsAfter = node.preemptionsBefore + (isPreemption(node.prev, node.ready, t) ? 1 : 0);
      node.branch = branch;
      node.choiceArity = 0;
      node.choiceValue = 0;
      return true;
    }
    return false;
  }

  /**
   * The wakeup tree the state at depth `d` inherits from its parent's step: the children of the
   * parent's branch events that took the value the parent's choice took (an event recorded with
   * any value goes with the first value tried).
   */
  #incomingAt(d: number): readonly Wakeup[] {
    if (d === 0 || !this.#sleepSets) return NO_WAKEUP;
    const parent = this.#path[d - 1]!;
    const branch = parent.branch;
    if (branch.length === 0) return NO_WAKEUP;
    const value = parent.choiceArity > 1 ? parent.choiceValue : -1;
    if (branch.length === 1 && (branch[0]!.value === value || (branch[0]!.value === -1 && value <= 0))) return branch[0]!.children;
    const out: Wakeup[] = [];
    for (const b of branch) if (b.value === value || (b.value === -1 && value <= 0) || value === -1) out.push(...b.children);
    return out;
  }

  /** Resets the per-execution cursor. */
  #branchAt(d: number): boolean {
    this.#pathLength = d + 1;
    this.#replay = d + 1;
    this.#fresh = d;
    this.#resetExecution();
    return true;
  }

  /** Starts the first execution. */
  start(): void {
    this.#pathLength = 0;
    this.#replay = 0;
    this.#fresh = 0;
    this.#resetExecution();
  }

  #resetExecution(): void {
    this.#depth = 0;
    this.#chosenSleep = null;
    // The tables as they were after the steps before the branch point, which this execution replays.
    const mark = this.#fresh === 0 ? 0 : this.#undoMark[this.#fresh]!;
    for (let k = this.#undoLength - 1; k >= mark; k--) this.#undoArray[k]![this.#undoIndex[k]!] = this.#undoValue[k]!;
    this.#undoLength = mark;
    this.#carry.fill(null);
    this.#replaying = this.#fresh > 0;
    if (!this.#replaying) for (const c of this.#clocks) if (c !== undefined) c.length = 0;
    // #stepTask, #stepSeq and #stepClock are overwritten step by step.
  }

  /** Sets `array[index]`, logging the value it had (a hole: -1, none). */
  #set(array: number[], index: number, value: number): void {
    const k = this.#undoLength++;
    this.#undoArray[k] = array;
    this.#undoIndex[k] = index;
    this.#undoValue[k] = array[index] ?? -1;
    array[index] = value;
  }

  /** The last step of task `t` before step `depth` (-1: none), while replaying. */
  #lastStepBefore(t: number, depth: number): number {
    const steps = this.#stepsOf[t];
    if (steps === undefined) return -1;
    let lo = 0;
    let hi = this.#stepCount[t] ?? 0;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (steps[mid]! < depth) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? steps[lo - 1]! : -1;
  }

  /** Non-preemptive first: the previous task if it may run, else the first option within bound. */
  #pick(options: readonly number[], prev: number, sleep: Set<number>, preemptions: number, ready: readonly number[] = options): number | null {
    if (options.includes(prev) && !sleep.has(prev)) return prev;
    for (const t of options) {
      if (sleep.has(t)) continue;
      if (preemptions + (isPreemption(prev, ready, t) ? 1 : 0) <= this.#bound) return t;
    }
    return null;
  }

  #preemptionsAt(d: number): number {
    if (d === 0) return 0;
    return this.#path[d - 1]!.preemptionsAfter;
  }

  /** The sleep set on entry to the state at depth `d`, from its parent's. */
  #sleepAt(d: number): Set<number> {
    if (d === 0 || !this.#sleepSets) return NO_SLEEP;
    const parent = this.#path[d - 1]!;
    const ran = parent.pending[parent.task]!;
    // Most states sleep no task: the shared empty set, never written, unless one stays asleep.
    let out: Set<number> | null = null;
    const keep = (p: number): void => {
      if (p === parent.task) return;
      const op = parent.pending[p];
      if (op && !dependent(op, ran)) (out ??= new Set()).add(p);
    };
    parent.sleep.forEach(keep);
    parent.done.forEach(keep);
    return out ?? NO_SLEEP;
  }

  #sync(table: Map<string, SyncState>, id: string): SyncState {
    let s = table.get(id);
    if (!s) table.set(id, (s = [-1]));
    return s;
  }

  /** The last accesses of object `id`, which `task` is about to touch. */
  #object(task: number, id: string): ObjectState {
    const k = 2 * task;
    const ids = this.#recentIds;
    const objects = this.#recentObjects;
    if (ids[k] === id) return objects[k]!;
    let o = ids[k + 1] === id ? objects[k + 1] : this.#objects.get(id);
    if (o === undefined) this.#objects.set(id, (o = [-1]));
    ids[k + 1] = ids[k];
    objects[k + 1] = objects[k];
    ids[k] = id;
    objects[k] = o;
    return o;
  }

  /** The state of lock `id`, which `task` is about to take or release (#object's cache, for locks). */
  #lock(task: number, id: string): SyncState {
    const k = 2 * task;
    const ids = this.#recentLockIds;
    const locks = this.#recentLocks;
    if (ids[k] === id) return locks[k]!;
    const s = ids[k + 1] === id ? locks[k + 1]! : this.#sync(this.#locks, id);
    ids[k + 1] = ids[k];
    locks[k + 1] = locks[k];
    ids[k] = id;
    locks[k] = s;
    return s;
  }

  /** Race check of an earlier step i against step j of `task` (whose clock is `clock`, before j's edges are joined). */
  #race(i: number | undefined, task: number, clock: Clock, blocking: boolean): void {
    if (i === undefined || i < 0) return;
    const p = this.#stepTask[i]!;
    if (p === task || (clock[p] ?? 0) >= this.#stepSeq[i]!) return;
    const r = this.#races++;
    this.#racing[r] = i;
    const n = this.#stepCount[task]!;
    this.#racingBlocked[r] = blocking && (n >= 2 ? this.#stepsOf[task]![n - 2]! : -1) < i;
  }

  /** Race checks of step j of `task` against each task's last acquire (`offset` 1) or release (2) in `s`. */
  #raceAll(s: SyncState, offset: number, task: number, clock: Clock): void {
    for (let u = offset; u < s.length; u += 2) this.#race(s[u], task, clock, false);
  }

  /**
   * Advances the clock of `task` over step `j` and reverses the races it closes: conflicting last
   * accesses of other tasks that do not happen before it. Work: tasks × objects the step touches.
   */
  #track(j: number, task: number, op: Op): void {
    if (j < this.#fresh) {
      // Replayed: its clock, races and table changes are the previous execution's. An edge into
      // it (a spawn, a join, a wakeup) is in its clock already.
      if (this.#carry[task] !== null) this.#carry[task] = null;
      return;
    }
    if (this.#replaying) {
      // The first new step: each task's clock is that of its last step before it.
      this.#replaying = false;
      const tasks = Math.max(this.#clocks.length, this.#stepCount.length);
      for (let t = 0; t < tasks; t++) {
        let c = this.#clocks[t];
        if (c === undefined) this.#clocks[t] = c = [];
        const n = this.#stepCount[t] ?? 0;
        if (n > 0) copyInto(c, this.#stepClock[this.#stepsOf[t]![n - 1]!]!);
        else c.length = 0;
      }
    }
    this.#undoMark[j] = this.#undoLength;
    let clock = this.#clocks[task];
    if (!clock) this.#clocks[task] = clock = [];
    const carry = this.#carry[task];
    if (carry) {
      joinInto(clock, carry);
      this.#carry[task] = null;
    }
    const seq = (clock[task] ?? 0) + 1;
    while (clock.length < task) clock.push(0);
    clock[task] = seq;
    this.#stepTask[j] = task;
    this.#stepSeq[j] = seq;
    // Only the unbounded search reads it back (its wakeup trees). Kept otherwise, an op keeps its
    // execution's world alive through the closures it may hold (a waitUntil's predicate).
    if (this.#sleepSets) this.#stepOp[j] = op;
    this.#tracking = j;
    let own = this.#stepsOf[task];
    if (!own) this.#stepsOf[task] = own = [];
    const counts = this.#stepCount;
    const n = counts[task] ?? (counts[task] = 0);
    own[n] = j;
    this.#set(counts, task, n + 1);
    this.#races = 0;
    /** A lock or condition variable this step orders with, whose last operation's clock is joined after the race checks. */
    let sync: SyncState | null = null;
    let sync2: SyncState | null = null;
    /** A lock taken or released in read mode, and a lock taken in write mode. */
    let readOf: SyncState | null = null;
    let writeAcquire: SyncState | null = null;
    /** An access's last write, and the object whose reads after it a write joins. */
    let lastWrite = -1;
    let reads: ObjectState | null = null;
    switch (op.kind) {
      case 'access':
      case 'wait': {
        const o = this.#object(task, op.obj);
        lastWrite = o[LAST]!;
        this.#race(lastWrite, task, clock, op.kind === 'wait');
        if (op.kind === 'access' && op.write) {
          reads = o;
          for (let u = 1; u < o.length; u++) if (o[u]! > lastWrite) this.#race(o[u], task, clock, false);
          this.#set(o, LAST, j);
        } else {
          this.#set(o, readBy(task), j);
        }
        break;
      }
      case 'lock':
      case 'unlock': {
        const l = this.#lock(task, op.lock);
        if (op.kind === 'lock') {
          this.#raceAll(l, 1, task, clock);
          if (op.try) this.#raceAll(l, 2, task, clock);
          this.#set(l, acquireBy(task), j);
        } else {
          this.#set(l, releaseBy(task), j);
        }
        // Readers share a lock: a read-mode step is ordered after the last write-mode one only,
        // never after another reader (that edge would hide the races inside two read sections
        // that overlap). A write-mode acquire comes after every task's operations on the lock.
        if (op.mode === 'read') readOf = l;
        else {
          if (op.kind === 'lock') writeAcquire = l;
          sync = l;
        }
        break;
      }
      case 'cond-wait': {
        sync = this.#sync(this.#locks, op.mutex);
        this.#set(sync, releaseBy(task), j);
        sync2 = this.#sync(this.#conds, op.cond);
        this.#raceAll(sync2, 1, task, clock);
        this.#set(sync2, acquireBy(task), j);
        break;
      }
      case 'signal':
      case 'broadcast': {
        sync = this.#sync(this.#conds, op.cond);
        this.#raceAll(sync, 1, task, clock);
        this.#set(sync, acquireBy(task), j);
        break;
      }
      default:
        break;
    }
    // The race's reversal needs what happens before j other than through what it conflicts with.
    if (this.#races > 0 && this.#sleepSets) this.#beforeJoins = clock.slice();
    if (reads !== null) for (let u = 1; u < reads.length; u++) if (reads[u]! > lastWrite) this.#joinStep(clock, reads[u]!, task);
    if (lastWrite >= 0) this.#joinStep(clock, lastWrite, task);
    if (readOf !== null && readOf[LAST]! >= 0) this.#joinStep(clock, readOf[LAST]!, task);
    if (writeAcquire !== null) for (let u = 1; u < writeAcquire.length; u++) if (writeAcquire[u]! >= 0) this.#joinStep(clock, writeAcquire[u]!, task);
    if (sync !== null) this.#joinLast(clock, sync, j);
    if (sync2 !== null) this.#joinLast(clock, sync2, j);
    // The step's clock, in the array of the step that ran here before, if any (nothing keeps one).
    let snapshot = this.#stepClock[j];
    if (snapshot === undefined) this.#stepClock[j] = snapshot = clock.slice();
    else copyInto(snapshot, clock);
    const racing = this.#racing;
    for (let r = 0; r < this.#races; r++) this.#reverse(racing[r]!, j, snapshot, this.#racingBlocked[r]!);
  }

  /** Joins the clock of the last operation on `s` into `clock`, and makes step j its last operation. */
  #joinLast(clock: Clock, s: SyncState, j: number): void {
    const last = s[LAST]!;
    if (last >= 0) this.#joinStep(clock, last, this.#stepTask[j]!);
    this.#set(s, LAST, j);
  }

  /** Joins step i's clock into the clock of `task`, unless i is the task's own (its clock holds it already). */
  #joinStep(clock: Clock, i: number, task: number): void {
    if (this.#stepTask[i] !== task) joinInto(clock, this.#stepClock[i]!);
  }

  /** The index of the first step of task u after step i, or -1. */
  #firstStepAfter(u: number, i: number): number {
    const steps = this.#stepsOf[u];
    const n = this.#stepCount[u] ?? 0;
    if (!steps || n === 0 || steps[n - 1]! <= i) return -1;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (steps[mid]! > i) hi = mid;
      else lo = mid + 1;
    }
    return steps[lo]!;
  }

  /**
   * The tasks enabled before step i that can start notdep(i).j — the steps after i that do not
   * happen after it, then j (Source-DPOR's initials, Abdulla et al., POPL 2014): a task whose first
   * step after i is in that sequence with nothing of it before. Work: enabled tasks × tasks.
   */
  #initials(i: number, j: number, clockJ: Clock): number[] {
    const p = this.#stepTask[i]!;
    const si = this.#stepSeq[i]!;
    const out = this.#initialsOut;
    out.length = 0;
    for (const u of this.#path[i]!.ready) {
      if (u === p) continue;
      const u1 = this.#firstStepAfter(u, i);
      if (u1 < 0 || u1 > j) continue;
      const c = u1 === j ? clockJ : this.#stepClock[u1]!;
      if (u1 !== j && (c[p] ?? 0) >= si) continue;
      let initial = true;
      for (let w = 0; w < c.length && initial; w++) {
        if (w === u || w === p) continue;
        const cw = c[w] ?? 0;
        if (cw === 0) continue;
        const k = this.#stepsOf[w]![cw - 1]!;
        if (k > i && (this.#stepClock[k]![p] ?? 0) < si) initial = false;
      }
      if (initial) out.push(u);
    }
    return out;
  }

  /**
   * Reverses the race of step i with the later step j: the state before i gets an initial of
   * notdep(i).j in its backtrack set (under a bound every enabled one, and the same at each earlier
   * state of i's task's run). `blocked`: j is a waitUntil whose task has not moved since before i,
   * so if nothing that could start the reversal is enabled there, the order was forced.
   */
  #reverse(i: number, j: number, clockJ: Clock, blocked: boolean): void {
    if (i < this.#taskFloor) return;
    if (this.#sleepSets) {
      this.#wakeUp(i, j, blocked);
      return;
    }
    const path = this.#path;
    const p = path[i]!.task;
    const initials = this.#initials(i, j, clockJ);
    if (initials.length === 0 && blocked) return;
    this.#backtrackOne(i, initials);
    // Bounded POR's conservative points: every earlier state of p's run that contains i, back
    // to where it began (or to the prefix's end, above which a split's frontier has every
    // switch). Switching there may cost no more preemptions than switching at i (q may run
    // until it blocks on a lock p holds, and p then continues for free).
    for (let k = i - 1; k >= this.#taskFloor && path[k]!.task === p; k--) this.#backtrackOne(k, initials);
  }

  /**
   * Unbounded: reverses the race of step i with step j by inserting v = notdep(i).j — the steps
   * after i that do not happen after it, then j — into the wakeup tree of the state before i,
   * unless a task asleep or done there is a weak initial of v (its branch covers v already).
   * When no task enabled there starts v (a task blocked at i runs first in v), each enabled task
   * is inserted alone, as the bounded search backtracks every one.
   */
  #wakeUp(i: number, j: number, blocked: boolean): void {
    const node = this.#path[i]!;
    const p = this.#stepTask[i]!;
    const si = this.#stepSeq[i]!;
    const v: Event[] = [];
    for (let k = i + 1; k < j; k++) {
      if ((this.#stepClock[k]![p] ?? 0) >= si) continue;
      const at = this.#path[k]!;
      v.push({ step: k, task: this.#stepTask[k]!, op: this.#stepOp[k]!, value: at.choiceArity > 1 ? at.choiceValue : -1 });
    }
    v.push({ step: j, task: this.#stepTask[j]!, op: this.#stepOp[j]!, value: -1 });
    // The initials of v enabled before i: tasks whose first event in v has nothing of v before it.
    const initials: number[] = [];
    const seen: number[] = [];
    for (let k = 0; k < v.length; k++) {
      const t = v[k]!.task;
      if (seen.includes(t)) continue;
      seen.push(t);
      if (node.ready.includes(t) && this.#initialIn(v, k)) initials.push(t);
    }
    if (initials.length > 0) {
      this.#insertUncovered(node, v, initials);
    } else if (!blocked) {
      for (const t of node.ready) {
        if (t !== node.task) this.#insertUncovered(node, [{ step: -1, task: t, op: node.pending[t]!, value: -1 }], [t]);
      }
    }
  }

  /**
   * Inserts v (whose initials enabled at `node` are `initials`) unless a task asleep or done there
   * is a weak initial of it: an initial, or a task v does not run whose step commutes with all of v.
   * So is the task running from there (its branch is the wakeup tree's first, being explored).
   */
  #insertUncovered(node: Node, v: readonly Event[], initials: readonly number[]): void {
    for (const t of initials) if (node.sleep.has(t) || node.done.includes(t)) return;
    const covered = (t: number): boolean => {
      if (v.some((e) => e.task === t)) return false;
      const op = node.pending[t];
      return op !== null && op !== undefined && v.every((e) => !dependent(op, e.op));
    };
    if (covered(node.task)) return;
    for (const t of node.sleep) if (covered(t)) return;
    for (const t of node.done) if (covered(t)) return;
    this.#insert(node, v);
  }

  /** Whether the k-th event of `v` has no event before it in `v` that happens before it. */
  #initialIn(v: readonly Event[], k: number): boolean {
    const e = v[k]!;
    if (e.step < 0) return true;
    // The racing step's own clock went through the step it races with (a lock's release to its
    // next acquire): inside v it follows only what it conflicts with and what came before its
    // edges were joined. Every other step of v happens after nothing outside v and the prefix.
    const last = e.step === this.#tracking;
    const clock = last ? this.#beforeJoins : this.#stepClock[e.step]!;
    for (let m = 0; m < k; m++) {
      const f = v[m]!;
      if (f.step >= 0 && (clock[f.task] ?? 0) >= this.#stepSeq[f.step]!) return false;
      if (last && dependent(f.op, e.op)) return false;
    }
    return true;
  }

  /**
   * Optimal DPOR's insertion of v into the wakeup tree of a state: walks down the branches whose event is a weak initial of
   * what is left of v — an initial of it (removed from it), or independent of all of it — to a
   * leaf (v is covered: nothing to add) or to a node where no branch fits, where the rest of v
   * becomes its last branch.
   */
  #insert(node: Node, sequence: readonly Event[]): void {
    if (node.wakeup === NO_BRANCHES) node.wakeup = [];
    let list = node.wakeup;
    let v = sequence;
    for (;;) {
      if (v.length === 0) return;
      let found: Wakeup | null = null;
      for (const c of list) {
        const k = v.findIndex((e) => e.task === c.task);
        if (k >= 0) {
          const e = v[k]!;
          if (!this.#initialIn(v, k) || (c.value !== -1 && e.value !== -1 && c.value !== e.value)) continue;
          if (c.value === -1) c.value = e.value;
          v = v.filter((_, m) => m !== k);
          found = c;
          break;
        }
        if (v.every((e) => !dependent(c.op, e.op))) {
          found = c;
          break;
        }
      }
      if (found === null) {
        list.push(chain(v));
        return;
      }
      if (found.children.length === 0) return;
      list = found.children;
    }
  }

  /** Bounded: the initials of the race enabled at state `at` go in its backtrack set (every enabled task if none is). */
  #backtrackOne(at: number, initials: readonly number[]): void {
    const node = this.#path[at]!;
    let enabled = false;
    for (const t of initials) {
      if (!node.ready.includes(t)) continue;
      enabled = true;
      // The bound may forbid one initial's branch and allow another's: keep them all.
      this.#addWithin(node, t);
    }
    if (!enabled) for (const t of node.ready) this.#addWithin(node, t);
  }

  /** Adds `t` to the backtrack set of `node` unless it is there or running it there exceeds the bound (then it never runs). */
  #addWithin(node: Node, t: number): void {
    if (node.backtrack.includes(t)) return;
    if (node.preemptionsBefore + (isPreemption(node.prev, node.ready, t) ? 1 : 0) <= this.#bound) node.backtrack.push(t);
  }
}

/**
 * dpor as a strategy: iterative bounding over DporSearch, bounds 0..bound; `bound: Infinity` is one
 * unbounded search (optimal DPOR), which verifies the model when it is exhausted. A subtree (one
 * job of a split search) is the DPOR search of what follows its prefix, at bounds fromBound..bound.
 */
export class DporStrategy implements Strategy, StepObserver {
  readonly name = 'dpor' as const;
  readonly seed = null;
  exhaustiveBound: number | null = null;
  exhausted = false;
  #bound: number;
  #search: DporSearch;
  #started = false;
  readonly #prefix: readonly number[];

  constructor(private readonly maxBound: number, subtree?: Subtree) {
    checkBound('DporStrategy', 'maxBound', maxBound);
    if (subtree !== undefined) checkSubtree('DporStrategy', subtree, maxBound);
    this.#bound = Number.isFinite(maxBound) ? subtree?.fromBound ?? 0 : Infinity;
    this.#prefix = subtree?.prefix ?? [];
    this.#search = new DporSearch(this.#bound, this.#prefix);
  }

  get observer(): StepObserver {
    return this;
  }

  /** Only the unbounded search's sleep sets read the pending operations. */
  get readsPending(): boolean {
    return !Number.isFinite(this.maxBound);
  }

  beforeStep(task: number, op: Op, ready: readonly number[], pending: readonly (Op | null)[]): boolean {
    return this.#search.beforeStep(task, op, ready, pending);
  }

  orders(from: number, to: number): void {
    this.#search.orders(from, to);
  }

  start(): boolean {
    if (this.exhausted) return false;
    if (!this.#started) {
      this.#started = true;
      this.#search.start();
      return true;
    }
    if (this.#search.next()) return true;
    this.exhaustiveBound = this.#bound;
    if (this.#bound >= this.maxBound) {
      this.exhausted = true;
      return false;
    }
    this.#bound++;
    this.#search = new DporSearch(this.#bound, this.#prefix);
    this.#search.start();
    return true;
  }

  choose(point: DecisionPoint, index: number): number {
    return this.#search.choose(point, index);
  }

  finish(_run: ExecutionResult): void {
    // DporSearch learnt the execution step by step; next() (in start) reads its races.
  }
}
