/**
 * Dynamic partial-order reduction (Flanagan & Godefroid, POPL 2005) with sleep sets (Godefroid),
 * inside the preemption-bounded DFS.
 *
 * Each execution is a path of steps; for every step we keep the tasks that were enabled, their
 * pending operations, and the backtrack, done and sleep sets of that state. After an execution,
 * every race (two dependent steps of different tasks that nothing else orders) is reversed: the
 * state before the first step gets, in its backtrack set, a task that starts the steps that do
 * not depend on it (Source-DPOR's initials; all enabled tasks when none of them is enabled there).
 * With a preemption bound the same task is also added at every earlier state of the first task's
 * run: the conservative points of bounded POR (Coons, Musuvathi and McKinley, OOPSLA 2013; Loom's
 * `Path::backtrack`), because the bound can forbid the switch at the race but allow an earlier
 * one. Sleep sets stop re-running a task whose step commutes with everything run since it was
 * explored; an execution in which every enabled task is asleep is abandoned and counted as pruned. Sleep sets assume the sibling branch that put a task
 * to sleep explored every order equivalent to the pruned one, which a preemption bound can forbid
 * (T0: r x; w x and T1: r x; w y under bound 0: after T1 runs first, T0 sleeps, yet "T0 then T1" was
 * the only order of its branch the bound allowed). So they prune only in a search without a
 * bound; a bounded search keeps the backtracking and the conservative points alone.
 *
 * The dependency relation: operations on the same lock are dependent (read/read included, to stay
 * conservative); accesses and waits on the same object are dependent when one writes; allocations,
 * choices, asserts and step points are task-local. Model code must declare, with an access op,
 * every piece of shared state it touches; a wait's predicate must read only state named by `obj`.
 */
import type { Chooser, DecisionPoint, ExecutionResult, StepObserver } from '../execution.js';
import type { Op } from '../protocol.js';
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

/** True when the order of `a` and `b` (run by different tasks) can matter. */
export function dependent(a: Op, b: Op): boolean {
  if (a.kind === 'lock' || a.kind === 'unlock') {
    return (b.kind === 'lock' || b.kind === 'unlock') && a.lock === b.lock;
  }
  if (a.kind === 'access' || a.kind === 'wait') {
    if (b.kind !== 'access' && b.kind !== 'wait') return false;
    return a.obj === b.obj && ((a.kind === 'access' && a.write) || (b.kind === 'access' && b.write));
  }
  return false;
}

/** Dependent operations that could both be enabled at once: for locks, two acquires. */
function mayRace(a: Op, b: Op): boolean {
  if (a.kind === 'unlock' || b.kind === 'unlock') return false;
  return true;
}

const NO_SLEEP: Set<number> = new Set();

function isPreemption(prev: number, ready: readonly number[], task: number): boolean {
  return prev >= 0 && task !== prev && ready.includes(prev);
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
  #depth = 0;
  #pendingChoice: Node | null = null;
  /** The sleep set `choose` computed for the step about to run, if it was asked. */
  #chosenSleep: Set<number> | null = null;
  /** How many executions ended blocked by sleep sets or by the bound. */
  pruned = 0;

  readonly #sleepSets: boolean;

  constructor(bound: number) {
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
  beforeStep(task: number, _op: Op, ready: readonly number[], pending: readonly (Op | null)[]): boolean {
    const depth = this.#depth++;
    if (depth < this.#replay) {
      this.#pendingChoice = this.#path[depth]!;
      return true;
    }
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
      ready: ready.slice(), pending: pending.slice(), prev, preemptionsBefore, sleep,
      backtrack: new Set([task]), done: new Set(), task, choiceArity: 0, choiceValue: 0,
    };
    this.#path[depth] = node;
    this.#path.length = depth + 1;
    this.#pendingChoice = node;
    return true;
  }

  /** Call after each execution: adds backtrack points from its races and picks the next branch. */
  next(): boolean {
    this.#addRaces();
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
    this.#depth = 0;
    this.#chosenSleep = null;
    return true;
  }

  /** Starts the first execution. */
  start(): void {
    this.#path.length = 0;
    this.#replay = 0;
    this.#depth = 0;
    this.#chosenSleep = null;
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

  /**
   * Races of the current path become backtrack points. A race is a pair of dependent steps i < j
   * of different tasks with no happens-before path from i to j other than their own dependency.
   * Reversing it means running, at the state before i, one of the "initials" of the steps after i
   * that do not depend on i, followed by j (Source-DPOR's notdep(i).j, Abdulla et al., POPL 2014):
   * if none of them is in the backtrack set there yet, one is added (j's task when it qualifies).
   */
  #addRaces(): void {
    const path = this.#path;
    const n = path.length;
    if (n === 0) return;
    const tasks = path[0]!.pending.length;
    const op = (k: number): Op => path[k]!.pending[path[k]!.task]!;
    // Vector clocks: clocks[k][t] is how many steps of task t happen before or at step k.
    const clocks: Int32Array[] = [];
    const seq = new Int32Array(n);
    const count = new Int32Array(tasks);
    const last = new Int32Array(tasks).fill(-1);
    for (let j = 0; j < n; j++) {
      const q = path[j]!.task;
      seq[j] = ++count[q]!;
      const clock = last[q]! >= 0 ? clocks[last[q]!]!.slice() : new Int32Array(tasks);
      clock[q] = seq[j]!;
      for (let i = j - 1; i >= 0; i--) {
        if (path[i]!.task === q || !dependent(op(i), op(j))) continue;
        const ci = clocks[i]!;
        for (let t = 0; t < tasks; t++) if (ci[t]! > clock[t]!) clock[t] = ci[t]!;
      }
      clocks.push(clock);
      last[q] = j;
    }
    const reach = new Int32Array(tasks);
    for (let j = 0; j < n; j++) {
      const q = path[j]!.task;
      const opJ = op(j);
      // What j is ordered after without its own edges: q's past, then each later dependent step.
      reach.fill(0);
      for (let k = j - 1; k >= 0; k--) {
        if (path[k]!.task === q) {
          reach.set(clocks[k]!);
          break;
        }
      }
      for (let i = j - 1; i >= 0; i--) {
        const p = path[i]!.task;
        if (p === q) continue;
        const opI = op(i);
        if (!dependent(opI, opJ)) continue;
        const race = mayRace(opI, opJ);
        if (race && reach[p]! < seq[i]!) this.#reverse(i, j, clocks, seq);
        // A release is not a path between two acquires of its lock: the acquires race.
        if (race || opJ.kind !== 'lock') {
          const ci = clocks[i]!;
          for (let t = 0; t < tasks; t++) if (ci[t]! > reach[t]!) reach[t] = ci[t]!;
        }
      }
    }
  }

  /** Makes sure the state before step i will also try an initial of notdep(i).j. */
  #reverse(i: number, j: number, clocks: readonly Int32Array[], seq: Int32Array): void {
    const path = this.#path;
    const p = path[i]!.task;
    const q = path[j]!.task;
    const tasks = path[0]!.pending.length;
    // The first step in v of each task (its seq), to test "some earlier step of v happens before".
    const first = new Int32Array(tasks).fill(0x7fffffff);
    const initials: number[] = [];
    const consider = (k: number): void => {
      const t = path[k]!.task;
      const ck = clocks[k]!;
      let initial = first[t] === 0x7fffffff;
      for (let u = 0; u < tasks && initial; u++) if (u !== t && first[u]! <= ck[u]!) initial = false;
      if (initial) initials.push(t);
      if (first[t] === 0x7fffffff) first[t] = seq[k]!;
    };
    for (let k = i + 1; k < j; k++) if (clocks[k]![p]! < seq[i]!) consider(k);
    consider(j);
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
