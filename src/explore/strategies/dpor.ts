/**
 * Dynamic partial-order reduction (Flanagan & Godefroid, POPL 2005) with sleep sets (Godefroid),
 * inside the preemption-bounded DFS.
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
 * pruned. Sleep sets assume the sibling branch that put a task to sleep explored every order
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
import { checkBound } from './bounded.js';
import type { Strategy } from './strategy.js';

interface Node {
  /** Enabled tasks in this state, and every task's pending operation. */
  readonly ready: readonly number[];
  readonly pending: readonly (Op | null)[];
  /** The task that ran before this state (-1 at the start), and preemptions used to get here. */
  readonly prev: number;
  readonly preemptionsBefore: number;
  /** Tasks asleep on entry: explored from an ancestor with a step independent of all run since. */
  readonly sleep: Set<number>;
  readonly backtrack: Set<number>;
  readonly done: Set<number>;
  task: number;
  /** A multi-valued choice made by this step: its arity (0 if none) and the value taken. */
  choiceArity: number;
  choiceValue: number;
}

/** The objects an operation touches, for the dependency relation: [namespaced id, writes]. */
function footprint(op: Op): ReadonlyArray<readonly [string, boolean]> {
  switch (op.kind) {
    case 'lock': case 'unlock': return [[`lock:${op.lock}`, true]];
    case 'access': return [[`obj:${op.obj}`, op.write]];
    case 'wait': return [[`obj:${op.obj}`, false]];
    case 'cond-wait': return [[`lock:${op.mutex}`, true], [`cond:${op.cond}`, true]];
    case 'signal': case 'broadcast': return [[`cond:${op.cond}`, true]];
    default: return [];
  }
}

/** True when the order of `a` and `b` (run by different tasks) can matter. */
export function dependent(a: Op, b: Op): boolean {
  for (const [x, wx] of footprint(a)) {
    for (const [y, wy] of footprint(b)) if (x === y && (wx || wy)) return true;
  }
  return false;
}

const NO_SLEEP: Set<number> = new Set();
const NO_OPS: readonly (Op | null)[] = [];

function isPreemption(prev: number, ready: readonly number[], task: number): boolean {
  return prev >= 0 && task !== prev && ready.includes(prev);
}

type Clock = number[];

function joinInto(into: Clock, from: Clock): void {
  for (let t = 0; t < from.length; t++) if (from[t]! > (into[t] ?? 0)) into[t] = from[t]!;
}

/** A shared object: its last write, and each task's last read (step indices, -1: none). */
interface ObjectState {
  lastWrite: number;
  readonly reads: number[];
}

/** A lock or condition variable: each task's last acquire (or cond op) and release, and the join of all their clocks. */
interface SyncState {
  readonly acquires: number[];
  readonly releases: number[];
  readonly clock: Clock;
}

/**
 * The DPOR search state across executions. Use it as both the Chooser and the StepObserver of
 * each execution, then call `next()` to prepare the following one; `next()` returns false when
 * the reduced space within the bound is exhausted.
 */
export class DporSearch implements Chooser, StepObserver {
  readonly #bound: number;
  #path: Node[] = [];
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

  // Happens-before tracking of the current execution.
  #clocks: Clock[] = [];
  #carry: (Clock | null)[] = [];
  #lastStep: number[] = [];
  /** Per task, the index of each of its steps in order. */
  #stepsOf: number[][] = [];
  #stepTask: number[] = [];
  #stepSeq: number[] = [];
  #stepClock: Clock[] = [];
  #objects = new Map<string, ObjectState>();
  #syncs = new Map<string, SyncState>();

  constructor(bound: number) {
    checkBound('DporSearch', 'bound', bound);
    this.#bound = bound;
    this.#sleepSets = !Number.isFinite(bound);
  }

  /** Chooser: task decisions come from the node of the current step; choices from its value. */
  choose(point: DecisionPoint): number {
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
    this.#chosenSleep = this.#sleepAt(this.#depth);
    return this.#pick(point.options, point.current, this.#chosenSleep, this.#preemptionsAt(this.#depth)) ?? point.options[0]!;
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
      if (sleep.has(task) || preemptionsBefore + (isPreemption(prev, ready, task) ? 1 : 0) > this.#bound) {
        // Everything left here is asleep or beyond the bound: nothing new below this state.
        this.#path.length = depth;
        return false;
      }
      const node: Node = {
        // Pending operations serve the sleep sets only.
        ready: ready.slice(), pending: this.#sleepSets ? pending.slice() : NO_OPS, prev, preemptionsBefore, sleep,
        backtrack: new Set([task]), done: new Set(), task, choiceArity: 0, choiceValue: 0,
      };
      this.#path[depth] = node;
      this.#path.length = depth + 1;
      this.#pendingChoice = node;
    }
    this.#track(depth, task, op);
    return true;
  }

  /** StepObserver: the last step of `from` happens before the next step of `to`. */
  orders(from: number, to: number): void {
    const c = this.#clocks[from];
    if (c === undefined) return;
    const carry = this.#carry[to];
    if (carry) joinInto(carry, c);
    else this.#carry[to] = c.slice();
  }

  /** Call after each execution: picks the next branch (races were recorded as the steps ran). */
  next(): boolean {
    for (let d = this.#path.length - 1; d >= 0; d--) {
      const node = this.#path[d]!;
      if (node.choiceArity > 1 && node.choiceValue < node.choiceArity - 1) {
        node.choiceValue++;
        return this.#branchAt(d);
      }
      node.done.add(node.task);
      const options = [...node.backtrack].filter((t) => !node.done.has(t) && !node.sleep.has(t));
      const q = this.#pick(options, node.prev, node.sleep, node.preemptionsBefore, node.ready);
      if (q !== null) {
        node.task = q;
        node.choiceArity = 0;
        node.choiceValue = 0;
        return this.#branchAt(d);
      }
    }
    this.#path.length = 0;
    return false;
  }

  /** Resets the per-execution cursor. */
  #branchAt(d: number): boolean {
    this.#path.length = d + 1;
    this.#replay = d + 1;
    this.#fresh = d;
    this.#resetExecution();
    return true;
  }

  /** Starts the first execution. */
  start(): void {
    this.#path.length = 0;
    this.#replay = 0;
    this.#fresh = 0;
    this.#resetExecution();
  }

  #resetExecution(): void {
    this.#depth = 0;
    this.#chosenSleep = null;
    this.#clocks = [];
    this.#carry = [];
    this.#lastStep = [];
    this.#stepsOf = [];
    this.#stepTask.length = 0;
    this.#stepSeq.length = 0;
    this.#stepClock.length = 0;
    this.#objects.clear();
    this.#syncs.clear();
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
    const parent = this.#path[d - 1]!;
    return parent.preemptionsBefore + (isPreemption(parent.prev, parent.ready, parent.task) ? 1 : 0);
  }

  /** The sleep set on entry to the state at depth `d`, from its parent's. */
  #sleepAt(d: number): Set<number> {
    if (d === 0 || !this.#sleepSets) return NO_SLEEP;
    const parent = this.#path[d - 1]!;
    const ran = parent.pending[parent.task]!;
    const out = new Set<number>();
    for (const set of [parent.sleep, parent.done]) {
      for (const p of set) {
        if (p === parent.task) continue;
        const op = parent.pending[p];
        if (op && !dependent(op, ran)) out.add(p);
      }
    }
    return out;
  }

  #sync(id: string): SyncState {
    let s = this.#syncs.get(id);
    if (!s) this.#syncs.set(id, (s = { acquires: [], releases: [], clock: [] }));
    return s;
  }

  /**
   * Advances the clock of `task` over step `j` and reverses the races it closes: conflicting last
   * accesses of other tasks that do not happen before it.
   */
  #track(j: number, task: number, op: Op): void {
    let clock = this.#clocks[task];
    if (!clock) this.#clocks[task] = clock = [];
    const carry = this.#carry[task];
    if (carry) {
      joinInto(clock, carry);
      this.#carry[task] = null;
    }
    const seq = (clock[task] ?? 0) + 1;
    clock[task] = seq;
    const check = j >= this.#fresh;
    const prevOwn = this.#lastStep[task] ?? -1;
    this.#stepTask[j] = task;
    this.#stepSeq[j] = seq;
    this.#lastStep[task] = j;
    let own = this.#stepsOf[task];
    if (!own) this.#stepsOf[task] = own = [];
    own.push(j);
    const racing: number[] = [];
    const blockedAt: boolean[] = [];
    /** Race check of an earlier step i against this one, before any of j's edges are joined. */
    const race = (i: number, blocking: boolean): void => {
      if (i < 0 || !check) return;
      const p = this.#stepTask[i]!;
      if (p === task || (clock[p] ?? 0) >= this.#stepSeq[i]!) return;
      racing.push(i);
      blockedAt.push(blocking && prevOwn < i);
    };
    const joins: Clock[] = [];
    switch (op.kind) {
      case 'access':
      case 'wait': {
        const id = `obj:${op.obj}`;
        let o = this.#objects.get(id);
        if (!o) this.#objects.set(id, (o = { lastWrite: -1, reads: [] }));
        const write = op.kind === 'access' && op.write;
        race(o.lastWrite, op.kind === 'wait');
        if (o.lastWrite >= 0) joins.push(this.#stepClock[o.lastWrite]!);
        if (write) {
          for (const r of o.reads) {
            if (r > o.lastWrite) {
              race(r, false);
              joins.push(this.#stepClock[r]!);
            }
          }
          o.lastWrite = j;
        } else {
          o.reads[task] = j;
        }
        break;
      }
      case 'lock':
      case 'unlock': {
        const l = this.#sync(`lock:${op.lock}`);
        if (op.kind === 'lock') {
          for (const a of l.acquires) if (a !== undefined) race(a, false);
          if (op.try) for (const r of l.releases) if (r !== undefined) race(r, false);
          l.acquires[task] = j;
        } else {
          l.releases[task] = j;
        }
        joins.push(l.clock);
        break;
      }
      case 'cond-wait': {
        const m = this.#sync(`lock:${op.mutex}`);
        m.releases[task] = j;
        joins.push(m.clock);
        const c = this.#sync(`cond:${op.cond}`);
        for (const a of c.acquires) if (a !== undefined) race(a, false);
        c.acquires[task] = j;
        joins.push(c.clock);
        break;
      }
      case 'signal':
      case 'broadcast': {
        const c = this.#sync(`cond:${op.cond}`);
        for (const a of c.acquires) if (a !== undefined) race(a, false);
        c.acquires[task] = j;
        joins.push(c.clock);
        break;
      }
      default:
        break;
    }
    for (const c of joins) joinInto(clock, c);
    const snapshot = clock.slice();
    this.#stepClock[j] = snapshot;
    switch (op.kind) {
      case 'lock': case 'unlock': joinInto(this.#sync(`lock:${op.lock}`).clock, snapshot); break;
      case 'cond-wait':
        joinInto(this.#sync(`lock:${op.mutex}`).clock, snapshot);
        joinInto(this.#sync(`cond:${op.cond}`).clock, snapshot);
        break;
      case 'signal': case 'broadcast': joinInto(this.#sync(`cond:${op.cond}`).clock, snapshot); break;
      default: break;
    }
    for (let r = 0; r < racing.length; r++) this.#reverse(racing[r]!, j, snapshot, blockedAt[r]!);
  }

  /** The index of the first step of task u after step i, or -1. */
  #firstStepAfter(u: number, i: number): number {
    const steps = this.#stepsOf[u];
    if (!steps || steps.length === 0 || steps[steps.length - 1]! <= i) return -1;
    let lo = 0;
    let hi = steps.length - 1;
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
    const out: number[] = [];
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
    const path = this.#path;
    const p = path[i]!.task;
    const q = this.#stepTask[j]!;
    const initials = this.#initials(i, j, clockJ);
    if (initials.length === 0 && blocked) return;
    this.#backtrackOne(i, initials, q);
    if (Number.isFinite(this.#bound)) {
      // Bounded POR's conservative points: every earlier state of p's run that contains i, back
      // to where it began. Switching there may cost no more preemptions than switching at i
      // (q may run until it blocks on a lock p holds, and p then continues for free).
      for (let k = i - 1; k >= 0 && path[k]!.task === p; k--) this.#backtrackOne(k, initials, q);
    }
  }

  #backtrackOne(at: number, initials: readonly number[], q: number): void {
    const node = this.#path[at]!;
    const enabled = initials.filter((t) => node.ready.includes(t));
    if (enabled.length === 0) {
      for (const t of node.ready) node.backtrack.add(t);
      return;
    }
    if (Number.isFinite(this.#bound)) {
      // The bound may forbid one initial's branch and allow another's: keep them all.
      for (const t of enabled) node.backtrack.add(t);
      return;
    }
    if (enabled.some((t) => node.backtrack.has(t))) return;
    node.backtrack.add(enabled.includes(q) ? q : enabled[0]!);
  }
}

/**
 * dpor as a strategy: iterative bounding over DporSearch, bounds 0..bound; `bound: Infinity` is one
 * unbounded search with sleep sets, which verifies the model when it is exhausted.
 */
export class DporStrategy implements Strategy, StepObserver {
  readonly name = 'dpor' as const;
  readonly seed = null;
  exhaustiveBound: number | null = null;
  exhausted = false;
  #bound: number;
  #search: DporSearch;
  #started = false;

  constructor(private readonly maxBound: number) {
    checkBound('DporStrategy', 'maxBound', maxBound);
    this.#bound = Number.isFinite(maxBound) ? 0 : Infinity;
    this.#search = new DporSearch(this.#bound);
  }

  get observer(): StepObserver {
    return this;
  }

  beforeStep(task: number, op: Op, ready: readonly number[], pending: readonly (Op | null)[]): boolean {
    return this.#search.beforeStep(task, op, ready, pending);
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
    this.#search = new DporSearch(this.#bound);
    this.#search.start();
    return true;
  }

  choose(point: DecisionPoint): number {
    return this.#search.choose(point);
  }

  finish(_run: ExecutionResult): void {
    // DporSearch learnt the execution step by step; next() (in start) reads its races.
  }
}
