/**
 * `mapletree explore` and `mapletree replay`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import pc from 'picocolors';
import { CLASSICS } from '../explore/classics.js';
import { explore, type ExploreResult, type StrategyName } from '../explore/explore.js';
import { getModel, listModels } from '../explore/model.js';
import { htmlReport, laneTable } from '../explore/report.js';
import { parseToken, replay, traceToken, type Trace } from '../explore/trace.js';

export interface ExploreCliOptions {
  model?: string;
  variant?: string;
  strategy: string;
  bound: string;
  executions?: string;
  seed: string;
  depth: string;
  json?: boolean;
  html?: string;
}

function int(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

export function runExplore(opts: ExploreCliOptions, log: (s: string) => void = console.log): number {
  const strategy = opts.strategy as StrategyName;
  if (!['dfs', 'random', 'pct'].includes(strategy)) throw new RangeError(`--strategy must be dfs, random or pct, got ${opts.strategy}`);
  const models = opts.model ? [getModel(opts.model)] : CLASSICS;
  const results: ExploreResult[] = [];
  for (const model of models) {
    const variants = opts.variant ? [opts.variant] : model.variants;
    for (const variant of variants) {
      results.push(explore({
        model, variant, strategy, bound: int(opts.bound, 'bound'), seed: int(opts.seed, 'seed'), depth: int(opts.depth, 'depth'),
        ...(opts.executions !== undefined ? { executions: int(opts.executions, 'executions') } : {}),
        ...(model.name === 'leak-on-error' ? { fault: { nth: 2, mode: 'once' as const } } : {}),
      }));
    }
  }
  if (opts.json) {
    log(JSON.stringify({
      results: results.map((r) => ({
        model: r.model, variant: r.variant, strategy: r.strategy, outcome: r.outcome, kind: r.trace?.violation?.kind,
        executions: r.executions, timeMs: Math.round(r.timeMs * 100) / 100, executionsPerSecond: Math.round(r.executionsPerSecond),
        distinctTerminalStates: r.distinctTerminalStates, exhaustiveBound: r.exhaustiveBound, firstBug: r.firstBug,
        ...(r.trace ? { token: traceToken(r.trace), trace: r.trace } : {}),
      })),
    }, null, 2));
  } else {
    log(pc.bold('mapletree explore') + pc.dim(`  (strategy ${strategy}, preemption bound ${opts.bound})`));
    log('');
    log(`${'model'.padEnd(16)}${'variant'.padEnd(18)}${'outcome'.padEnd(26)}${'executions'.padStart(11)}${'time'.padStart(10)}${'exec/s'.padStart(10)}`);
    for (const r of results) {
      const outcome = r.trace ? pc.red(`bug: ${r.trace.violation!.kind}`.padEnd(26)) : pc.green(
        (r.outcome === 'verified' ? `verified (bound ${r.exhaustiveBound})` : 'no bug found').padEnd(26));
      log(`${r.model.padEnd(16)}${r.variant.padEnd(18)}${outcome}${String(r.executions).padStart(11)}${(r.timeMs.toFixed(1) + 'ms').padStart(10)}${String(Math.round(r.executionsPerSecond)).padStart(10)}`);
    }
    for (const r of results) {
      if (!r.trace) continue;
      const t = r.trace;
      log('');
      log(pc.bold(`${r.model} (${r.variant}): ${t.violation!.message}`));
      log(pc.dim(`found after ${r.firstBug!.executions} executions; ${t.stats.steps} steps, ${t.stats.preemptions} preemptions (minimised from ${t.stats.minimisedFrom} steps)`));
      log(laneTable(t, 30));
      log(pc.dim(`replay: mapletree replay ${traceToken(t)}`));
    }
  }
  const firstBug = results.find((r) => r.trace);
  if (opts.html && firstBug?.trace) {
    writeFileSync(opts.html, htmlReport(firstBug.trace, traceToken(firstBug.trace)));
    if (!opts.json) log(pc.dim(`HTML report written to ${opts.html}`));
  }
  return 0;
}

export function runReplay(source: string, opts: { json?: boolean }, log: (s: string) => void = console.log): number {
  let body: Pick<Trace, 'model' | 'variant' | 'fault' | 'decisions'>;
  if (source.startsWith('mt1:')) {
    const t = parseToken(source);
    body = { model: t.m, variant: t.v, fault: t.f, decisions: t.d };
  } else {
    body = JSON.parse(readFileSync(source, 'utf8')) as Trace;
  }
  const run = replay(body);
  if (opts.json) {
    log(JSON.stringify({ model: body.model, variant: body.variant, violation: run.violation, steps: run.steps, events: run.events }, null, 2));
  } else {
    const trace = { format: 'mapletree-trace/1' as const, ...body, strategy: 'replay', seed: null, events: run.events, violation: run.violation, stats: { steps: run.steps, preemptions: run.preemptions } };
    log(laneTable(trace, 30));
    log(run.violation ? pc.red(`violation: ${run.violation.kind}: ${run.violation.message}`) : pc.green('no violation'));
  }
  return run.violation ? 1 : 0;
}

export function modelList(): string {
  return listModels().map((m) => `${m.name.padEnd(16)} ${m.variants.join(', ').padEnd(26)} ${m.description}`).join('\n');
}
