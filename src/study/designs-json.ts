/**
 * The designs study as JSON (`mapletree study --designs --json`, under a `designs` key): every cell
 * with its replay token, and the reserve's figures (needs as a histogram: nodes → failure points).
 */
import { traceToken } from '../explore/trace.js';
import type { DesignsResult } from './designs.js';
import type { StudyCell } from './study.js';

function histogram(values: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function cellJson(c: StudyCell): object {
  return {
    configuration: c.configuration, walker: c.walker, outcome: c.outcome,
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    ...(c.kind !== undefined ? { kind: c.kind, message: c.message, failurePoint: c.failurePoint } : {}),
    executions: c.executions, failurePoints: c.failurePoints, exhaustive: c.exhaustive,
    ...(c.trace ? { traceLength: c.traceLength, token: traceToken(c.trace) } : {}),
  };
}

export function designsJson(result: DesignsResult): object {
  const { reserve } = result;
  return {
    bound: result.bound, executions: result.executions, timeMs: Math.round(result.timeMs),
    fallbacks: result.fallbacks.map(cellJson),
    cells: result.cells.map(cellJson),
    twoForks: result.twoForks,
    reserve: {
      nodes: reserve.nodes, verdict: reserve.verdict, byHeight: reserve.byHeight, linear: reserve.linear, exceedsAtHeight: reserve.exceedsAtHeight,
      parents: reserve.figures.map((f) => ({
        parent: f.parent, vmas: f.vmas, height: f.height, max: f.max, argMax: f.argMax, rcuMax: f.rcuMax, rcuArgMax: f.rcuArgMax,
        allocating: f.allocating, rcuAllocating: f.rcuAllocating, needs: histogram(f.needs), rcuNeeds: histogram(f.rcuNeeds),
      })),
    },
  };
}
