/**
 * Portfolio search (Coyote's default): one time budget split across strategies and seeds — the
 * exhaustive DPOR search beside seeded random walks and PCT at depths 2 and 3 — run on
 * worker_threads. The first bug ends every worker; so does an exhaustive search that completes,
 * since then nothing is left to find within the bound.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { FaultPlan } from './execution.js';
import type { ExploreResult, StrategyName } from './explore.js';

export interface PortfolioEntry {
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly depth?: number;
}

export interface PortfolioOptions {
  readonly model: string;
  readonly variant?: string;
  /** The whole budget, split evenly across each worker's entries. */
  readonly timeMs: number;
  readonly workers?: number;
  /** The exhaustive entry's preemption bound. */
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

/** The default mix: the exhaustive search first, then random and PCT with fresh seeds. */
export function defaultEntries(): PortfolioEntry[] {
  return [
    { strategy: 'dpor', seed: 1 },
    { strategy: 'random', seed: 1 },
    { strategy: 'pct', seed: 1, depth: 2 },
    { strategy: 'pct', seed: 2, depth: 3 },
    { strategy: 'random', seed: 2 },
    { strategy: 'pct', seed: 3, depth: 2 },
  ];
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
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), entries.length));
  const jobs: PortfolioEntry[][] = Array.from({ length: workers }, () => []);
  entries.forEach((e, i) => jobs[i % workers]!.push(e));
  const t0 = performance.now();
  const results: Array<{ entry: PortfolioEntry; result: ExploreResult }> = [];
  let decided: { entry: PortfolioEntry; result: ExploreResult } | null = null;
  const threads: Worker[] = [];
  await new Promise<void>((resolve, reject) => {
    let running = 0;
    const finish = (): void => {
      for (const t of threads) void t.terminate();
      resolve();
    };
    for (const job of jobs) {
      const data: PortfolioJob = {
        model: options.model, ...(options.variant !== undefined ? { variant: options.variant } : {}), entries: job,
        sliceMs: options.timeMs / job.length, bound: options.bound ?? 2, fault: options.fault ?? null, modules: options.modules ?? [],
      };
      const worker = new Worker(new URL('./portfolio-worker.js', import.meta.url), { workerData: data });
      threads.push(worker);
      running++;
      worker.on('message', (m: PortfolioMessage) => {
        results.push(m);
        options.onResult?.(m.entry, m.result);
        const exhaustive = (m.result.strategy === 'dfs' || m.result.strategy === 'dpor') && m.result.outcome === 'verified';
        if (decided === null && (m.result.outcome === 'bug' || exhaustive)) {
          decided = m;
          finish();
        }
      });
      worker.on('error', reject);
      worker.on('exit', () => {
        if (--running === 0) resolve();
      });
    }
  });
  const d = decided as { entry: PortfolioEntry; result: ExploreResult } | null;
  return {
    outcome: d === null ? 'no-bug-found' : d.result.outcome === 'bug' ? 'bug' : 'verified',
    decidedBy: d?.entry ?? null, results,
    executions: results.reduce((n, r) => n + r.result.executions, 0),
    timeMs: performance.now() - t0, workers, bug: d !== null && d.result.outcome === 'bug' ? d.result : null,
  };
}
