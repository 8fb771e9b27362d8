/**
 * The portfolio's members (Coyote's default is a tuned portfolio): the exhaustive DPOR search,
 * delay and deviation bounding beside seeded random walks and PCT at depths 2 and 3. Workers take
 * them in turn.
 */
import type { StrategyName } from './strategy.js';

export interface PortfolioEntry {
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly depth?: number;
}

export function defaultEntries(): PortfolioEntry[] {
  return [
    { strategy: 'dpor', seed: 1 },
    { strategy: 'random', seed: 1 },
    { strategy: 'pct', seed: 1, depth: 2 },
    { strategy: 'delay', seed: 1 },
    { strategy: 'pct', seed: 2, depth: 3 },
    { strategy: 'deviation', seed: 1 },
    { strategy: 'random', seed: 2 },
    { strategy: 'pct', seed: 3, depth: 2 },
  ];
}
