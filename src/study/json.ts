/**
 * The study as one JSON object for programs (`mapletree study --json`): every cell, and for a bug
 * its replay token and whole trace; the walker pairs run, each with how it compares with its
 * members alone.
 */
import { traceToken } from '../explore/trace.js';
import { optionsArg, stringArg } from '../mm/args.js';
import { resultArg, workersArg } from './args.js';
import type { StudyCell, StudyResult } from './study.js';

/** One cell as the JSON gives it: for a bug its replay token and whole trace. */
function cellJson(c: StudyCell): object {
  return {
    configuration: c.configuration, walker: c.walker, outcome: c.outcome,
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    ...(c.kind !== undefined ? { kind: c.kind, message: c.message, failurePoint: c.failurePoint } : {}),
    executions: c.executions, timeMs: Math.round(c.timeMs * 10) / 10,
    ...(c.trace ? {
      executionsToFirstBug: c.executionsToFirstBug, timeToFirstBugMs: Math.round(c.timeToFirstBugMs! * 10) / 10,
      traceLength: c.traceLength, token: traceToken(c.trace), trace: c.trace,
    } : {}),
    failurePoints: c.failurePoints, bound: c.bound, exhaustive: c.exhaustive,
    // Searched on the parent compressed by class: the failure point is in the parent's numbering,
    // the trace (and its token) of the compressed parent's model.
    ...(c.compressed ? { compressed: c.compressed } : {}),
  };
}

export function studyJson(result: StudyResult, run: { readonly strategy: string; readonly workers: number | 'queue' }): object {
  resultArg('studyJson', 'result', result);
  if (run === undefined) throw new TypeError('studyJson: run must be an object { strategy, workers }, got undefined');
  const o = optionsArg('studyJson', 'run', run, ['strategy', 'workers']);
  stringArg('studyJson', 'run.strategy', o['strategy']);
  workersArg('studyJson', 'run.workers', o['workers'], true);
  const { bound, results } = result;
  return {
    study: 'dup_mmap failure recovery × walkers', bound, strategy: run.strategy, parentVmas: result.parentVmas, workers: run.workers,
    executions: result.executions, timeMs: Math.round(result.timeMs),
    results: results.map(cellJson),
    // Walkers together: each pair's own cell, and how it compares with its members alone.
    ...(result.combinations !== undefined ? {
      combinations: result.combinations.map((c) => ({
        ...cellJson(c.cell), members: c.members.map((m) => m.walker), differs: c.differs, notCompared: c.notCompared,
      })),
    } : {}),
  };
}
