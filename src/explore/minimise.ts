/**
 * Minimising a counterexample while keeping its violation kind, within the caller's time budget:
 * 1. cut the decision list short (the rest runs non-preemptively), then replace each preemption by
 *    the non-preemptive default, following the recorded decisions only while they stay possible;
 * 2. a small bounded DFS (the dfs strategy under a budget) for the same kind with fewer preemptions;
 * 3. drop optional tasks the violation does not need;
 * 4. lower n in a fail-the-n-th-allocation fault plan.
 * The result says how big the counterexample was before and after.
 */
import { performance } from 'node:perf_hooks';
import { runExecution, type Chooser, type DecisionPoint, type ExecutionResult, type FaultPlan } from './execution.js';
import type { ModelInstance } from './model.js';
import { ModelError } from './protocol.js';
import { difference } from './determinism.js';
import { checkMinimiseArguments } from './options.js';
import { runSearch } from './search.js';
import { dfsStrategy } from './strategies/dfs.js';
import { defaultOf } from './strategies/schedule.js';

export interface MinimiseSize {
  readonly steps: number;
  readonly preemptions: number;
  readonly decisions: number;
  readonly tasks: number;
  readonly nth: number | null;
}

export interface Minimised {
  readonly run: ExecutionResult;
  /** The fault plan of the minimised run (n may be lower than the one searched). */
  readonly fault: FaultPlan | null;
  /** The tasks kept, by name, when some were dropped; null when all are needed. */
  readonly tasks: readonly string[] | null;
  readonly before: MinimiseSize;
  readonly after: MinimiseSize;
  readonly tries: number;
}

/**
 * What a fail-nth sweep already knows: the fault plans like the one minimised (the same task, site
 * and mode) with n below `nth` were each searched to `bound` preemptions, with every task, and no
 * violation of any kind was found. A dfs sweep's word is exact; a dpor sweep's rests on what its
 * verdicts rest on, that bounded DPOR covers every execution within the bound up to equivalence.
 */
export interface CleanBelow {
  readonly nth: number;
  readonly bound: number;
}

export interface MinimiseOptions {
  /** Stop improving once performance.now() passes this; the best so far is returned. */
  readonly deadline?: number;
  /** The step limit the search ran with (a livelock's counterexample depends on it). */
  readonly maxSteps?: number;
  /** Lowering n, a plan the sweep searched clean is not searched again: nothing would be found. */
  readonly cleanBelow?: CleanBelow;
}

/** At most this many candidate executions in all, whatever the time budget. */
const MAX_TRIES = 20_000;

/** Executions allowed for each "is there a smaller counterexample?" search. */
const SEARCH_BUDGET = 2000;

function better(a: ExecutionResult, b: ExecutionResult): boolean {
  return a.preemptions < b.preemptions || (a.preemptions === b.preemptions && a.steps < b.steps);
}

/** The instance with only the named tasks (all when `keep` is null). */
export function withTasks(instance: ModelInstance, keep: readonly string[] | null): ModelInstance {
  if (keep === null) return instance;
  for (const name of keep) {
    if (!instance.tasks.some((t) => t.name === name)) throw new RangeError(`the model has no task named ${JSON.stringify(name)}`);
  }
  return { ...instance, tasks: instance.tasks.filter((t) => keep.includes(t.name)) };
}

/**
 * Follows a candidate decision list while each decision is still one of the options; from the
 * first that is not (an earlier change left that task blocked or done), the non-preemptive default.
 */
class LenientChooser implements Chooser {
  #following = true;
  constructor(private readonly decisions: readonly number[]) {}

  choose(point: DecisionPoint, index: number): number {
    if (this.#following && index < this.decisions.length && point.options.includes(this.decisions[index]!)) return this.decisions[index]!;
    this.#following = false;
    return defaultOf(point);
  }
}

export function minimise(build: () => ModelInstance, found: ExecutionResult, fault: FaultPlan | null, options: MinimiseOptions = {}): Minimised {
  checkMinimiseArguments(build, found, fault, options);
  const kind = found.violation!.kind;
  const deadline = options.deadline ?? Infinity;
  let tries = 0;
  let keep: string[] | null = null;
  let plan = fault;
  const make = (): ModelInstance => withTasks(build(), keep);
  const specs = build().tasks;
  const allTasks = specs.map((t) => t.name);
  const size = (run: ExecutionResult): MinimiseSize => ({
    steps: run.steps, preemptions: run.preemptions, decisions: run.decisions.length, tasks: keep?.length ?? allTasks.length, nth: plan?.nth ?? null,
  });
  const before = size(found);
  const maxSteps = options.maxSteps;
  const cleanBelow = options.cleanBelow ?? null;
  // The found schedule again, as the minimiser's own runs see it and with its events (past the
  // deadline too): the counterexample, unless a smaller one turns up. The one kept is recorded so,
  // deadline or not; improve only while there is time left for that (a livelock's 100,000 steps
  // take tens of milliseconds), twice what recording this one took, for a busy machine's jitter.
  const t0 = performance.now();
  let best = runExecution(make(), new LenientChooser(found.decisions), { fault: plan, record: true, ...(maxSteps !== undefined ? { maxSteps } : {}) });
  if (best.violation?.kind !== kind) throw new ModelError(`the model is not deterministic: the schedule that failed with ${kind} no longer does`);
  let recorded = best;
  const improveUntil = deadline - 2 * (performance.now() - t0);
  const outOfTime = (): boolean => tries >= MAX_TRIES || performance.now() >= improveUntil;
  // Candidates run without events; the one kept is re-run with them at the end.
  // Candidates stop at improveUntil (an interrupted one does not fail); the kept run never does.
  const rerun = (decisions: readonly number[], record = false): ExecutionResult => runExecution(make(), new LenientChooser(decisions), {
    fault: plan, record, deadline: record ? Infinity : improveUntil, ...(maxSteps !== undefined ? { maxSteps } : {}),
  });
  const attempt = (decisions: number[]): ExecutionResult | null => {
    tries++;
    const run = rerun(decisions);
    return run.violation?.kind === kind ? run : null;
  };
  /** The dfs strategy on the current (smaller) model, bounds 0..bound, for the same violation kind. */
  const search = (bound: number): ExecutionResult | null => {
    if (outOfTime()) return null;
    const r = runSearch(make, dfsStrategy(bound), {
      fault: plan, executions: SEARCH_BUDGET, deadline: improveUntil, accept: (run) => run.violation?.kind === kind, ...(maxSteps !== undefined ? { maxSteps } : {}),
    });
    tries += r.executions + r.pruned;
    if (r.found === null) return null;
    // Re-run as the minimiser runs (leniently): one the deadline interrupts has no violation.
    const run = rerun(r.found.decisions);
    return run.violation?.kind === kind ? run : null;
  };
  const shrinkSchedule = (): void => {
    // The shortest prefix that still fails, trying lengths 0, 1, 2, 4, … (each try is one run).
    for (let len = 0; len < best.decisions.length && !outOfTime(); len = len === 0 ? 1 : len * 2) {
      const run = attempt(best.decisions.slice(0, len));
      if (run && better(run, best)) {
        best = run;
        break;
      }
    }
    let improved = true;
    while (improved && !outOfTime()) {
      improved = false;
      for (let i = 0; i < best.decisions.length && !outOfTime(); i++) {
        const point = best.points[i]!;
        if (point.kind !== 'task' || !point.options.includes(point.current) || best.decisions[i] === point.current) continue;
        const prefix = best.decisions.slice();
        prefix[i] = point.current;
        const run = attempt(prefix);
        if (run && better(run, best)) {
          best = run;
          improved = true;
          break;
        }
      }
    }
    // Fewer preemptions than the schedule's own neighbours need: a small bounded search.
    if (best.preemptions > 0) {
      const run = search(best.preemptions - 1);
      if (run && better(run, best)) best = run;
    }
  };
  shrinkSchedule();
  // Drop optional tasks, last first, while the smaller model still fails the same way.
  for (let i = allTasks.length - 1; i >= 0 && !outOfTime(); i--) {
    if (specs[i]!.optional !== true) continue;
    const current: string[] = keep ?? allTasks;
    if (current.length <= 1) break;
    const saved: string[] | null = keep;
    keep = current.filter((name) => name !== allTasks[i]);
    const run = search(best.preemptions);
    if (run) best = run;
    else keep = saved;
  }
  // Lower n: the earliest allocation whose failure still leads to the violation.
  if (plan !== null) {
    const original = plan;
    for (let nth = 1; nth < original.nth && !outOfTime(); nth++) {
      // Searched already, with every task and at least this search's bound: it found nothing.
      if (keep === null && cleanBelow !== null && nth < cleanBelow.nth && best.preemptions <= cleanBelow.bound) continue;
      plan = { ...original, nth };
      const run = search(best.preemptions);
      if (run) {
        best = run;
        break;
      }
      plan = original;
    }
  }
  if (keep !== null || plan !== fault) shrinkSchedule();
  if (best !== recorded) {
    // A smaller run, once more with its events: also a check that the model is deterministic.
    recorded = rerun(best.decisions, true);
    const diff = difference(best, recorded);
    if (diff !== null) throw new ModelError(`the model is not deterministic: the same decisions gave ${diff}`);
  }
  return { run: recorded, fault: plan, tasks: keep, before, after: size(recorded), tries };
}
