/**
 * Counterexample traces: the JSON form people and tools read, the one-line token that replays one,
 * and exact replay with a divergence check at every decision.
 */
import { Buffer } from 'node:buffer';
import { runExecution, ReplayDivergence, type Chooser, type DecisionPoint, type ExecutionResult, type FaultPlan, type TraceEvent, type Violation } from './execution.js';
import { getModel } from './model.js';

export const TRACE_FORMAT = 'mapletree-trace/1';

export interface Trace {
  readonly format: typeof TRACE_FORMAT;
  readonly model: string;
  readonly variant: string;
  readonly strategy: string;
  readonly seed: number | null;
  readonly fault: FaultPlan | null;
  readonly decisions: readonly number[];
  readonly events: readonly TraceEvent[];
  readonly violation: Violation | null;
  readonly stats: { readonly steps: number; readonly preemptions: number; readonly minimisedFrom?: number };
}

export function makeTrace(model: string, variant: string, strategy: string, seed: number | null, fault: FaultPlan | null, run: ExecutionResult, minimisedFrom?: number): Trace {
  return {
    format: TRACE_FORMAT, model, variant, strategy, seed, fault,
    decisions: run.decisions, events: run.events, violation: run.violation,
    stats: { steps: run.steps, preemptions: run.preemptions, ...(minimisedFrom !== undefined ? { minimisedFrom } : {}) },
  };
}

interface TokenBody {
  m: string;
  v: string;
  f: FaultPlan | null;
  d: readonly number[];
}

/** `mt1:` + base64url(JSON of model, variant, fault plan, decisions): all a replay needs. */
export function traceToken(trace: Pick<Trace, 'model' | 'variant' | 'fault' | 'decisions'>): string {
  const body: TokenBody = { m: trace.model, v: trace.variant, f: trace.fault, d: trace.decisions };
  return `mt1:${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
}

export function parseToken(token: string): TokenBody {
  if (!token.startsWith('mt1:')) throw new RangeError('a replay token starts with "mt1:"');
  let body: TokenBody;
  try {
    body = JSON.parse(Buffer.from(token.slice(4), 'base64url').toString('utf8')) as TokenBody;
  } catch {
    throw new RangeError('the replay token is damaged (not base64url JSON)');
  }
  if (typeof body.m !== 'string' || typeof body.v !== 'string' || !Array.isArray(body.d)) {
    throw new RangeError('the replay token lacks its model, variant or decisions');
  }
  return body;
}

/** Follows a decision list exactly; asking past its end is a divergence. */
class ExactChooser implements Chooser {
  constructor(private readonly decisions: readonly number[]) {}

  choose(point: DecisionPoint, index: number): number {
    if (index >= this.decisions.length) {
      throw new ReplayDivergence(`the trace ends after ${this.decisions.length} decisions, but the model asks for another (${point.kind} ${point.name})`);
    }
    return this.decisions[index]!;
  }
}

/** Re-runs a trace (or token) exactly; throws ReplayDivergence if the model no longer matches it. */
export function replay(source: Pick<Trace, 'model' | 'variant' | 'fault' | 'decisions'>): ExecutionResult {
  const model = getModel(source.model);
  if (!model.variants.includes(source.variant)) throw new RangeError(`model ${source.model} has no variant ${source.variant}`);
  const run = runExecution(model.build(source.variant), new ExactChooser(source.decisions), { fault: source.fault, record: true });
  if (run.decisions.length !== source.decisions.length) {
    throw new ReplayDivergence(`the model made ${run.decisions.length} decisions, the trace has ${source.decisions.length}`);
  }
  return run;
}
