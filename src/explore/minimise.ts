/**
 * Minimising a counterexample: keep the same violation with fewer preemptions and fewer steps.
 * First cut the decision list short (the rest runs non-preemptively), then try replacing each
 * remaining decision by the non-preemptive default (delta-debugging the switch points one by one).
 */
import { runExecution, type ExecutionResult, type FaultPlan } from './execution.js';
import type { ModelInstance } from './model.js';
import { PrefixChooser } from './strategies.js';

export interface Minimised {
  readonly run: ExecutionResult;
  readonly before: { readonly steps: number; readonly preemptions: number; readonly decisions: number };
  readonly tries: number;
}

function better(a: ExecutionResult, b: ExecutionResult): boolean {
  return a.preemptions < b.preemptions || (a.preemptions === b.preemptions && a.steps < b.steps);
}

export function minimise(build: () => ModelInstance, found: ExecutionResult, fault: FaultPlan | null): Minimised {
  const kind = found.violation?.kind;
  if (kind === undefined) throw new RangeError('minimise needs an execution with a violation');
  let tries = 0;
  // Re-run the found schedule with events recorded (the search itself runs without them).
  let best = runExecution(build(), new PrefixChooser(found.decisions), { fault, record: true });
  if (best.violation?.kind !== kind) throw new Error(`minimise: the found schedule no longer fails with ${kind}`);
  const attempt = (prefix: number[]): ExecutionResult | null => {
    tries++;
    try {
      const run = runExecution(build(), new PrefixChooser(prefix), { fault, record: true });
      return run.violation?.kind === kind ? run : null;
    } catch {
      return null;
    }
  };
  // Shortest prefix that still fails.
  for (let len = 0; len < best.decisions.length; len++) {
    const run = attempt(best.decisions.slice(0, len));
    if (run && better(run, best)) {
      best = run;
      break;
    }
  }
  // Drop switch points one at a time while that keeps the failure.
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
  return { run: best, before: { steps: found.steps, preemptions: found.preemptions, decisions: found.decisions.length }, tries };
}
