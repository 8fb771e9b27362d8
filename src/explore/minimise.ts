/**
 * Minimising a counterexample while keeping its violation kind, in four passes:
 * 1. cut the decision list short (the rest runs non-preemptively);
 * 2. delta-debug the switch points: replace each preemption by the non-preemptive default;
 * 3. drop optional tasks the violation does not need (a short bounded search of the smaller model);
 * 4. lower n in a fail-the-n-th-allocation fault plan.
 * The result says how big the counterexample was before and after.
 */
import { runExecution, type ExecutionResult, type FaultPlan } from './execution.js';
import type { ModelInstance } from './model.js';
import { nextDfsPrefix, PrefixChooser } from './strategies.js';

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

/** Executions allowed for each "can the smaller model still fail?" search. */
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

export function minimise(build: () => ModelInstance, found: ExecutionResult, fault: FaultPlan | null): Minimised {
  const kind = found.violation?.kind;
  if (kind === undefined) throw new RangeError('minimise needs an execution with a violation');
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
  // Re-run the found schedule with events recorded (the search itself runs without them).
  let best = runExecution(make(), new PrefixChooser(found.decisions), { fault: plan, record: true });
  if (best.violation?.kind !== kind) throw new Error(`minimise: the found schedule no longer fails with ${kind}`);
  const attempt = (prefix: number[]): ExecutionResult | null => {
    tries++;
    try {
      const run = runExecution(make(), new PrefixChooser(prefix), { fault: plan, record: true });
      return run.violation?.kind === kind ? run : null;
    } catch {
      return null;
    }
  };
  /** A bounded DFS of the current (smaller) model for the same violation kind. */
  const search = (bound: number): ExecutionResult | null => {
    let prefix: number[] | null = [];
    for (let n = 0; prefix !== null && n < SEARCH_BUDGET; n++) {
      tries++;
      const run = runExecution(make(), new PrefixChooser(prefix), { fault: plan, record: false });
      if (run.violation?.kind === kind) return runExecution(make(), new PrefixChooser(run.decisions), { fault: plan, record: true });
      prefix = nextDfsPrefix(run.decisions, run.points, bound);
    }
    return null;
  };
  const shrinkSchedule = (): void => {
    for (let len = 0; len < best.decisions.length; len++) {
      const run = attempt(best.decisions.slice(0, len));
      if (run && better(run, best)) {
        best = run;
        break;
      }
    }
    let improved = true;
    while (improved) {
      improved = false;
      for (let i = 0; i < best.decisions.length; i++) {
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
  };
  shrinkSchedule();
  // Drop optional tasks, last first, while the smaller model still fails the same way.
  for (let i = allTasks.length - 1; i >= 0; i--) {
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
    for (let nth = 1; nth < original.nth; nth++) {
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
  return { run: best, fault: plan, tasks: keep, before, after: size(best), tries };
}
