/**
 * A worker thread of the portfolio: imports the modules that register its models, then runs its
 * entries one after another, each for its slice of the budget, posting every result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import './classics.js';
import { explore } from './explore.js';
import type { PortfolioJob, PortfolioMessage } from './portfolio.js';
import { SYSTEMATIC } from './strategies/strategy.js';

const job = workerData as PortfolioJob;
for (const url of job.modules) await import(url);
for (const entry of job.entries) {
  const result = explore({
    model: job.model, ...(job.variant !== undefined ? { variant: job.variant } : {}), strategy: entry.strategy, seed: entry.seed,
    ...(entry.depth !== undefined ? { depth: entry.depth } : {}), bound: job.bound, fault: job.fault, timeMs: job.sliceMs,
    executions: SYSTEMATIC.includes(entry.strategy) ? 10_000_000 : 100_000_000,
  });
  parentPort!.postMessage({ entry, result } satisfies PortfolioMessage);
}
