/**
 * Portfolio search (Coyote's default): one time budget split across strategies and seeds (the
 * members in ./strategies/portfolio.ts) run on the worker pool. The first bug ends every worker;
 * so does a systematic search that completes, since then nothing is left to find within the bound.
 */
import { performance } from 'node:perf_hooks';
import type { FaultPlan } from './execution.js';
import type { ExploreResult } from './explore.js';
import { deal, defaultWorkers, runPool } from './pool.js';
import { defaultEntries, type PortfolioEntry } from './strategies/portfolio.js';
import { SYSTEMATIC } from './strategies/strategy.js';

export { defaultEntries, type PortfolioEntry } from './strategies/portfolio.js';

export interface PortfolioOptions {
  readonly model: string;
  readonly variant?: string;
  /** The whole budget, split evenly across each worker's entries. */
  readonly timeMs: number;
  readonly workers?: number;
  /** The systematic entries' bound. */
  readonly bound?: number;
  readonly fault?: FaultPlan | null;
  /** Module URLs each worker imports first, to register the models they define. */
  readonly modules?: readonly string[];
  readonly entries?: readonly PortfolioEntry[];
  readonly onResult?: (entry: PortfolioEntry, result: ExploreResult) => void;
}

export interface PortfolioResult {
  readonly outcome: 'bug' | 'verified' | 'no-bug-found';
  /** The entry that found the bug or completed the exhaustive search. */
  readonly decidedBy: PortfolioEntry | null;
  readonly results: ReadonlyArray<{ readonly entry: PortfolioEntry; readonly result: ExploreResult }>;
  readonly executions: number;
  readonly timeMs: number;
  readonly workers: number;
  readonly bug: ExploreResult | null;
}

export interface PortfolioJob {
  readonly model: string;
  readonly variant?: string;
  readonly entries: readonly PortfolioEntry[];
  readonly sliceMs: number;
  readonly bound: number;
  readonly fault: FaultPlan | null;
  readonly modules: readonly string[];
}

export type PortfolioMessage = { readonly entry: PortfolioEntry; readonly result: ExploreResult };

export async function portfolio(options: PortfolioOptions): Promise<PortfolioResult> {
  if (!(options.timeMs > 0)) throw new RangeError(`timeMs must be positive, got ${options.timeMs}`);
  const entries = options.entries ?? defaultEntries();
  const jobs: PortfolioJob[] = deal(entries, options.workers ?? defaultWorkers()).map((job) => ({
    model: options.model, ...(options.variant !== undefined ? { variant: options.variant } : {}), entries: job,
    sliceMs: options.timeMs / job.length, bound: options.bound ?? 2, fault: options.fault ?? null, modules: options.modules ?? [],
  }));
  const t0 = performance.now();
  const results: PortfolioMessage[] = [];
  let decided: PortfolioMessage | null = null;
  await runPool<PortfolioJob, PortfolioMessage>(new URL('./portfolio-worker.js', import.meta.url), jobs, (m, _worker, pool) => {
    results.push(m);
    options.onResult?.(m.entry, m.result);
    const exhaustive = SYSTEMATIC.includes(m.result.strategy) && m.result.outcome === 'verified';
    if (decided === null && (m.result.outcome === 'bug' || exhaustive)) {
      decided = m;
      pool.stop();
    }
  });
  const d = decided as PortfolioMessage | null;
  return {
    outcome: d === null ? 'no-bug-found' : d.result.outcome === 'bug' ? 'bug' : 'verified',
    decidedBy: d?.entry ?? null, results,
    executions: results.reduce((n, r) => n + r.result.executions, 0),
    timeMs: performance.now() - t0, workers: jobs.length, bug: d !== null && d.result.outcome === 'bug' ? d.result : null,
  };
}
