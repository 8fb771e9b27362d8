/**
 * Catching nondeterministic models (Shuttle's UncontrolledNondeterminismCheckScheduler): the same
 * decisions must give the same steps, results, terminal state and verdict. A model that reads a
 * clock, Math.random or state left over from an earlier execution fails this.
 */
import { runExecution, type ExecutionOptions, type ExecutionResult, type TraceEvent } from './execution.js';
import type { ModelInstance } from './model.js';
import { ModelError } from './protocol.js';
import { ReplayChooser } from './strategies/replay.js';

function eventText(e: TraceEvent | undefined): string {
  return e === undefined ? 'nothing' : `${e.task} ${e.kind} "${e.label}"${e.result !== undefined ? ` -> ${e.result}` : ''}`;
}

/** What differs between two runs of the same decisions (their events too when both recorded them), or null. */
export function difference(a: ExecutionResult, b: ExecutionResult): string | null {
  if (a.events.length > 0 && b.events.length > 0) {
    const n = Math.max(a.events.length, b.events.length);
    for (let i = 0; i < n; i++) {
      const x = a.events[i];
      const y = b.events[i];
      if (eventText(x) !== eventText(y)) return `step ${i + 1}: ${eventText(x)}, then ${eventText(y)}`;
    }
  }
  if (a.decisions.length !== b.decisions.length || a.decisions.some((d, i) => d !== b.decisions[i])) return 'the decisions asked for differ';
  if (a.steps !== b.steps) return `${a.steps} steps, then ${b.steps}`;
  const va = a.violation ? `${a.violation.kind}: ${a.violation.message}` : 'no violation';
  const vb = b.violation ? `${b.violation.kind}: ${b.violation.message}` : 'no violation';
  if (va !== vb) return `${va}, then ${vb}`;
  if (a.stateKey !== b.stateKey) return `terminal state ${JSON.stringify(a.stateKey)}, then ${JSON.stringify(b.stateKey)}`;
  return null;
}

/**
 * Re-runs `run`'s decisions `times` times (with the options it ran with, minus any observer);
 * throws ModelError at the first run that differs. A re-run the options' deadline interrupts
 * confirms nothing and refutes nothing: the check ends there.
 */
export function confirmDeterministic(build: () => ModelInstance, run: ExecutionResult, options: ExecutionOptions, times = 1): void {
  const plain = { ...options, observer: null };
  for (let k = 0; k < times; k++) {
    let again: ExecutionResult;
    try {
      again = runExecution(build(), new ReplayChooser(run.decisions), plain);
    } catch (e) {
      throw new ModelError(`the model is not deterministic: the same decisions no longer fit it (${e instanceof Error ? e.message : String(e)})`);
    }
    if (again.interrupted) return;
    const diff = difference(run, again);
    if (diff !== null) throw new ModelError(`the model is not deterministic: the same decisions gave ${diff}`);
  }
}
