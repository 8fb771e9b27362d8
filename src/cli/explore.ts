/**
 * `mapletree explore` and `mapletree replay`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SingleBar } from 'cli-progress';
import pc from 'picocolors';
import { int, seconds } from './args.js';
import { CLASSICS } from '../explore/classics.js';
import { explore, type ExploreResult } from '../explore/explore.js';
import type { FaultPlan } from '../explore/execution.js';
import { getModel, listModels, type Model } from '../explore/model.js';
import { portfolio } from '../explore/portfolio.js';
import { htmlReport, laneTable } from '../explore/report.js';
import { fromToken, replay, traceToken, type Replayable, type Trace } from '../explore/trace.js';

export interface ExploreCliOptions {
  model?: string;
  variant?: string;
  strategy?: string;
  bound: string;
  executions?: string;
  time?: string;
  seed: string;
  depth: string;
  workers?: string;
  json?: boolean;
  html?: string;
  progress?: boolean;
}

const STRATEGIES = ['dfs', 'dpor', 'random', 'pct', 'portfolio'] as const;

/** The built-in classics' fault plans: leak-on-error needs its second allocation to fail. */
function faultFor(model: Model): FaultPlan | null {
  return model.name === 'leak-on-error' ? { nth: 2, mode: 'once' } : null;
}

/** A progress bar on stderr, shown only after the first second and only on a terminal. */
function progressBar(enabled: boolean, total: number): { tick: (done: number, executions: number) => void; stop: () => void } {
  if (!enabled || process.stderr.isTTY !== true) return { tick: () => undefined, stop: () => undefined };
  const t0 = performance.now();
  let bar: SingleBar | null = null;
  return {
    tick: (done, executions) => {
      if (bar === null) {
        if (performance.now() - t0 < 1000) return;
        bar = new SingleBar({ format: ' {bar} {value}/{total} searches · {executions} executions', hideCursor: true }, undefined);
        bar.start(total, done, { executions });
      }
      bar.update(done, { executions });
    },
    stop: () => bar?.stop(),
  };
}

function resultJson(r: ExploreResult): Record<string, unknown> {
  return {
    model: r.model, variant: r.variant, strategy: r.strategy, outcome: r.outcome, kind: r.trace?.violation?.kind,
    executions: r.executions, pruned: r.pruned, steps: r.steps, timeMs: Math.round(r.timeMs * 100) / 100,
    executionsPerSecond: Math.round(r.executionsPerSecond), stepsPerSecond: Math.round(r.stepsPerSecond),
    distinctTerminalStates: r.distinctTerminalStates, exhaustiveBound: r.exhaustiveBound, firstBug: r.firstBug,
    ...(r.pctBound !== undefined ? { pctBound: r.pctBound } : {}),
    ...(r.trace ? { token: traceToken(r.trace), trace: r.trace } : {}),
  };
}

export async function runExplore(opts: ExploreCliOptions, log: (s: string) => void = console.log): Promise<number> {
  const strategy = (opts.strategy ?? 'dfs') as (typeof STRATEGIES)[number];
  if (!STRATEGIES.includes(strategy)) throw new RangeError(`--strategy must be one of ${STRATEGIES.join(', ')}, got ${opts.strategy}`);
  const models = opts.model === undefined || opts.model === 'classics' ? CLASSICS : [getModel(opts.model)];
  const bound = int(opts.bound, 'bound');
  const timeMs = opts.time !== undefined ? seconds(opts.time, 'time') : undefined;
  const searches: Array<[Model, string]> = [];
  for (const model of models) for (const variant of opts.variant ? [opts.variant] : model.variants) searches.push([model, variant]);
  const bar = progressBar(opts.progress !== false && !opts.json, searches.length);
  const results: ExploreResult[] = [];
  let executions = 0;
  for (const [model, variant] of searches) {
    if (strategy === 'portfolio') {
      const p = await portfolio({
        model: model.name, variant, timeMs: timeMs ?? 10_000, bound, fault: faultFor(model),
        modules: [new URL('../study/model.js', import.meta.url).href],
        ...(opts.workers !== undefined ? { workers: Math.max(1, int(opts.workers, 'workers')) } : {}),
      });
      const decided = p.results.find((r) => r.entry === p.decidedBy)?.result ?? p.results[0]!.result;
      results.push({ ...decided, executions: p.executions, timeMs: p.timeMs, executionsPerSecond: p.executions / (p.timeMs / 1000) });
    } else {
      results.push(explore({
        model, variant, strategy, bound, seed: int(opts.seed, 'seed'), depth: int(opts.depth, 'depth'), fault: faultFor(model),
        ...(opts.executions !== undefined ? { executions: int(opts.executions, 'executions') } : {}),
        ...(timeMs !== undefined ? { timeMs } : {}),
        onProgress: (n) => bar.tick(results.length, executions + n),
      }));
    }
    executions += results[results.length - 1]!.executions;
    bar.tick(results.length, executions);
  }
  bar.stop();
  if (opts.json) {
    log(JSON.stringify({ results: results.map(resultJson) }, null, 2));
  } else {
    log(pc.bold('mapletree explore') + pc.dim(`  (strategy ${strategy}, preemption bound ${bound})`));
    log('');
    log(`${'model'.padEnd(16)}${'variant'.padEnd(18)}${'outcome'.padEnd(26)}${'executions'.padStart(11)}${'pruned'.padStart(8)}${'time'.padStart(10)}${'exec/s'.padStart(10)}${'steps/s'.padStart(10)}`);
    for (const r of results) {
      const outcome = r.trace ? pc.red(`bug: ${r.trace.violation!.kind}`.padEnd(26)) : pc.green(
        (r.outcome === 'verified' ? `verified (bound ${r.exhaustiveBound})` : 'no bug found').padEnd(26));
      log(`${r.model.padEnd(16)}${r.variant.padEnd(18)}${outcome}${String(r.executions).padStart(11)}${String(r.pruned).padStart(8)}` +
        `${(r.timeMs.toFixed(1) + 'ms').padStart(10)}${String(Math.round(r.executionsPerSecond)).padStart(10)}${String(Math.round(r.stepsPerSecond)).padStart(10)}`);
    }
    for (const r of results) {
      if (r.pctBound !== undefined) {
        log(pc.dim(`${r.model} (${r.variant}): PCT guarantees each run finds a depth-${opts.depth} bug with probability at least ${r.pctBound.toExponential(2)}`));
      }
    }
    for (const r of results) {
      if (!r.trace) continue;
      const t = r.trace;
      log('');
      log(pc.bold(`${r.model} (${r.variant}): ${t.violation!.message}`));
      log(pc.dim(`found by ${r.strategy} after ${r.firstBug!.executions} executions (${r.firstBug!.timeMs.toFixed(1)} ms); ${t.stats.steps} steps, ` +
        `${t.stats.preemptions} preemptions (minimised from ${t.stats.minimisedFrom} steps)`));
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
  const body: Replayable = source.startsWith('mt1:') ? fromToken(source) : JSON.parse(readFileSync(source, 'utf8')) as Trace;
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
