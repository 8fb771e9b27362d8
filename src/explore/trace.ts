/**
 * Counterexample traces: the JSON form people and tools read, the one-line token that replays one,
 * and exact replay with a divergence check at every decision.
 */
import { Buffer } from 'node:buffer';
import { DEFAULT_MAX_STEPS, runExecution, ReplayDivergence, type ExecutionResult, type FaultPlan, type TraceEvent, type Violation } from './execution.js';
import { withTasks, type Minimised, type MinimiseSize } from './minimise.js';
import { checkArray, checkCount, checkFaultPlan, checkIndices, checkObject, checkRun, checkSeed, checkString, shown } from './arguments.js';
import { getModel, modelHasVariant } from './model.js';
import { ReplayChooser } from './strategies/replay.js';

export const TRACE_FORMAT = 'mapletree-trace/1';

export interface Trace {
  readonly format: typeof TRACE_FORMAT;
  readonly model: string;
  readonly variant: string;
  readonly strategy: string;
  readonly seed: number | null;
  readonly fault: FaultPlan | null;
  /** The tasks the counterexample needs, by name, when minimisation dropped others. */
  readonly tasks?: readonly string[];
  /** The step limit, when not the default (a step-limit violation replays only under the same one). */
  readonly maxSteps?: number;
  readonly decisions: readonly number[];
  readonly events: readonly TraceEvent[];
  readonly violation: Violation | null;
  readonly stats: {
    readonly steps: number;
    readonly preemptions: number;
    readonly minimisedFrom?: number;
    /** Sizes before and after minimisation. */
    readonly minimised?: { readonly before: MinimiseSize; readonly after: MinimiseSize };
  };
}

export function makeTrace(model: string, variant: string, strategy: string, seed: number | null, fault: FaultPlan | null, run: ExecutionResult,
  minimised?: Pick<Minimised, 'before' | 'after' | 'tasks'>, maxSteps = DEFAULT_MAX_STEPS): Trace {
  checkString('makeTrace', 'model', model);
  checkString('makeTrace', 'variant', variant);
  checkString('makeTrace', 'strategy', strategy);
  if (seed !== null) checkSeed('makeTrace', 'seed', seed);
  checkFaultPlan('makeTrace', 'fault', fault);
  checkRun('makeTrace', 'run', run);
  if (minimised !== undefined) checkObject('makeTrace', 'minimised', minimised, 'the minimiser\'s sizes { before, after, tasks }');
  checkCount('makeTrace', 'maxSteps', maxSteps, { min: 1 });
  return {
    format: TRACE_FORMAT, model, variant, strategy, seed, fault,
    ...(minimised?.tasks ? { tasks: minimised.tasks } : {}),
    ...(maxSteps !== DEFAULT_MAX_STEPS ? { maxSteps } : {}),
    decisions: run.decisions, events: run.events, violation: run.violation,
    stats: {
      steps: run.steps, preemptions: run.preemptions,
      ...(minimised ? { minimisedFrom: minimised.before.steps, minimised: { before: minimised.before, after: minimised.after } } : {}),
    },
  };
}

export interface TokenBody {
  m: string;
  v: string;
  f: FaultPlan | null;
  t?: readonly string[];
  /** The step limit, when not the default. */
  s?: number;
  d: readonly number[];
}

/** What a replay needs; a full Trace also carries the events it expects. */
export type Replayable = Pick<Trace, 'model' | 'variant' | 'fault' | 'decisions' | 'tasks' | 'maxSteps'> & {
  readonly events?: readonly TraceEvent[];
  /** The violation the trace ends in; a replay that ends otherwise diverged. */
  readonly violation?: Violation | null;
};

/** What a replay needs, checked: names, a fault plan, decisions, and the optional task list and step limit. O(decisions). */
export function checkReplayable(where: string, name: string, value: unknown): asserts value is Replayable {
  checkObject(where, name, value, 'a trace or the replayable part of a token { model, variant, fault, decisions }');
  checkString(where, `${name}.model`, value['model']);
  checkString(where, `${name}.variant`, value['variant']);
  checkFaultPlan(where, `${name}.fault`, value['fault']);
  checkIndices(where, `${name}.decisions`, value['decisions']);
  const tasks = value['tasks'];
  if (tasks !== undefined) {
    checkArray(where, `${name}.tasks`, tasks);
    tasks.forEach((t, i) => checkString(where, `${name}.tasks[${i}]`, t));
  }
  if (value['maxSteps'] !== undefined) checkCount(where, `${name}.maxSteps`, value['maxSteps'], { min: 1 });
  if (value['events'] !== undefined) checkArray(where, `${name}.events`, value['events']);
}

/** A trace as the reports read it: a replayable trace with its events and violation. */
export function checkTrace(where: string, name: string, value: unknown): asserts value is Trace {
  checkReplayable(where, name, value);
  const t = value as unknown as Record<string, unknown>;
  checkArray(where, `${name}.events`, t['events']);
  if (t['violation'] !== null) checkObject(where, `${name}.violation`, t['violation'], 'null or a violation');
  checkObject(where, `${name}.stats`, t['stats'], 'the trace\'s stats { steps, preemptions }');
}

/** The replayable part of a token. */
export function fromToken(token: string): Replayable {
  const t = parseBody('fromToken', token);
  return { model: t.m, variant: t.v, fault: t.f, decisions: t.d, ...(t.t ? { tasks: t.t } : {}), ...(t.s !== undefined ? { maxSteps: t.s } : {}) };
}

/** `mt1:` + base64url(JSON of model, variant, fault plan, kept tasks, decisions): all a replay needs. */
export function traceToken(trace: Replayable): string {
  checkReplayable('traceToken', 'trace', trace);
  const body: TokenBody = {
    m: trace.model, v: trace.variant, f: trace.fault, ...(trace.tasks ? { t: trace.tasks } : {}),
    ...(trace.maxSteps !== undefined ? { s: trace.maxSteps } : {}), d: trace.decisions,
  };
  return `mt1:${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
}

export function parseToken(token: string): TokenBody {
  return parseBody('parseToken', token);
}

function parseBody(where: string, token: unknown): TokenBody {
  checkString(where, 'token', token);
  if (!token.startsWith('mt1:')) throw new RangeError(`${where}: a replay token starts with "mt1:", got ${shown(token)}`);
  let body: TokenBody;
  try {
    body = JSON.parse(Buffer.from(token.slice(4), 'base64url').toString('utf8')) as TokenBody;
  } catch {
    throw new RangeError(`${where}: the replay token is damaged (not base64url JSON)`);
  }
  if (typeof body !== 'object' || body === null || typeof body.m !== 'string' || typeof body.v !== 'string' || !Array.isArray(body.d)) {
    throw new RangeError(`${where}: the replay token lacks its model, variant or decisions`);
  }
  if (!body.d.every((x) => Number.isInteger(x) && x >= 0)) throw new RangeError(`${where}: the replay token's decisions are not all non-negative integers`);
  if (body.t !== undefined && !(Array.isArray(body.t) && body.t.every((x) => typeof x === 'string'))) {
    throw new RangeError(`${where}: the replay token's task list is not a list of names`);
  }
  if (body.s !== undefined && !(Number.isInteger(body.s) && body.s >= 1)) throw new RangeError(`${where}: the replay token's step limit ${JSON.stringify(body.s)} is not a positive integer`);
  checkFaultPlan(where, 'the replay token\'s fault', body.f);
  return body;
}

/**
 * Re-runs a trace (or token) exactly; throws ReplayDivergence if the model no longer matches it:
 * a decision that is not among the options, a different number of decisions, or — when the
 * trace carries its events — a step whose task, operation or label differs from the recorded one.
 */
export function replay(source: Replayable): ExecutionResult {
  checkReplayable('replay', 'source', source);
  const model = getModel(source.model);
  if (!modelHasVariant(model, source.variant)) throw new RangeError(`model ${source.model} has no variant ${source.variant}`);
  const instance = withTasks(model.build(source.variant), source.tasks ?? null);
  const run = runExecution(instance, new ReplayChooser(source.decisions), {
    fault: source.fault, record: true, ...(source.maxSteps !== undefined ? { maxSteps: source.maxSteps } : {}),
  });
  if (run.decisions.length !== source.decisions.length) {
    throw new ReplayDivergence(`the model made ${run.decisions.length} decisions, the trace has ${source.decisions.length}`);
  }
  const expected = source.events;
  if (expected && expected.length > 0) {
    const n = Math.min(expected.length, run.events.length);
    for (let i = 0; i < n; i++) {
      const a = expected[i]!;
      const b = run.events[i]!;
      if (a.task !== b.task || a.kind !== b.kind || a.label !== b.label) {
        throw new ReplayDivergence(`step ${a.step}: the trace has ${a.task} ${a.kind} "${a.label}", the model ran ${b.task} ${b.kind} "${b.label}"`);
      }
      if (a.result !== b.result) {
        throw new ReplayDivergence(`step ${a.step}: ${a.task} ${a.kind} "${a.label}" gave ${JSON.stringify(a.result)} in the trace, ${JSON.stringify(b.result)} now`);
      }
    }
    if (expected.length !== run.events.length) {
      throw new ReplayDivergence(`the trace has ${expected.length} events, the replay ran ${run.events.length}`);
    }
  }
  if (source.violation !== undefined && (source.violation?.kind ?? null) !== (run.violation?.kind ?? null)) {
    throw new ReplayDivergence(`the trace ends in ${source.violation?.kind ?? 'no violation'}, the replay in ${run.violation?.kind ?? 'no violation'}`);
  }
  return run;
}
