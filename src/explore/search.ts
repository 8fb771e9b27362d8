/**
 * The runner: executions of a model under one strategy until a violation is found, the strategy
 * has nothing left, or the budget (executions, time) runs out. It knows nothing of the strategy
 * beyond its interface; explore() and the minimiser both drive their searches through it.
 */
import { performance } from 'node:perf_hooks';
import { runExecution, type ExecutionResult, type FaultPlan } from './execution.js';
import { confirmDeterministic } from './determinism.js';
import { checkSearchArguments } from './options.js';
import type { ModelInstance } from './model.js';
import type { Strategy } from './strategies/strategy.js';

export interface SearchOptions {
  readonly fault?: FaultPlan | null;
  /** At most this many executions, pruned ones included. */
  readonly executions?: number;
  /** Stop once performance.now() passes this. */
  readonly deadline?: number;
  /** Stop at the first violation (default) or keep counting. */
  readonly stopAtFirst?: boolean;
  /** Which violations count as found (default: any). */
  readonly accept?: (run: ExecutionResult) => boolean;
  readonly maxSteps?: number;
  readonly onProgress?: (executions: number) => void;
  /** Re-run every execution with its own decisions and throw ModelError if anything differs. */
  readonly checkDeterminism?: boolean;
  /** Called between executions every `checkpointEvery` of them (to save the strategy's position). */
  readonly onCheckpoint?: (executions: number) => void;
  readonly checkpointEvery?: number;
}

export interface SearchOutcome {
  /** Executions run to their end (pruned ones apart). */
  readonly executions: number;
  /** Executions the strategy abandoned (sleep-set-blocked DPOR branches). */
  readonly pruned: number;
  readonly steps: number;
  readonly faultFired: boolean;
  /** Terminal states of the executions without a violation. */
  readonly states: ReadonlySet<string>;
  readonly found: ExecutionResult | null;
  readonly firstBug: { readonly executions: number; readonly timeMs: number } | null;
  /** The budget ran out before the strategy was done. */
  readonly outOfBudget: boolean;
}

export function runSearch(build: () => ModelInstance, strategy: Strategy, options: SearchOptions = {}): SearchOutcome {
  checkSearchArguments(build, strategy, options);
  const t0 = performance.now();
  const cap = options.executions ?? Infinity;
  const deadline = options.deadline ?? Infinity;
  const stopAtFirst = options.stopAtFirst ?? true;
  const accept = options.accept ?? null;
  const onProgress = options.onProgress ?? null;
  const checkDeterminism = options.checkDeterminism ?? false;
  const onCheckpoint = options.onCheckpoint ?? null;
  const checkpointEvery = options.checkpointEvery ?? 10_000;
  const execution = {
    fault: options.fault ?? null, record: false, observer: strategy.observer, deadline,
    ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
  };
  let executions = 0;
  let pruned = 0;
  let steps = 0;
  let faultFired = false;
  let found: ExecutionResult | null = null;
  let firstBug: { executions: number; timeMs: number } | null = null;
  let outOfBudget = false;
  const states = new Set<string>();
  for (;;) {
    if (executions + pruned >= cap || (deadline !== Infinity && performance.now() >= deadline)) {
      outOfBudget = true;
      break;
    }
    if (!strategy.start()) break;
    const run = runExecution(build(), strategy, execution);
    if (run.interrupted) {
      steps += run.steps;
      outOfBudget = true;
      break;
    }
    strategy.finish(run);
    steps += run.steps;
    if (checkDeterminism && !run.pruned) confirmDeterministic(build, run, { ...execution, deadline: Infinity });
    if (run.pruned) {
      pruned++;
      continue;
    }
    executions++;
    if (onCheckpoint !== null && executions % checkpointEvery === 0) onCheckpoint(executions);
    if (run.faultFired) faultFired = true;
    if (onProgress !== null && (executions & 1023) === 0) onProgress(executions);
    if (run.violation === null) {
      states.add(run.stateKey);
    } else if (found === null && (accept === null || accept(run))) {
      found = run;
      firstBug = { executions, timeMs: performance.now() - t0 };
      if (stopAtFirst) break;
    }
  }
  return { executions, pruned, steps, faultFired, states, found, firstBug, outOfBudget };
}
