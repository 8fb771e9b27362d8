/** Making a strategy from its name and options, refusing what does not make sense. */
import { delayStrategy } from './delay.js';
import { deviationStrategy } from './deviation.js';
import { dfsStrategy } from './dfs.js';
import { DporStrategy } from './dpor.js';
import { PctStrategy } from './pct.js';
import { RandomStrategy } from './random.js';
import { checkStrategyOptions } from '../options.js';
import type { Strategy, StrategyName } from './strategy.js';

export interface StrategyOptions {
  readonly strategy?: string;
  /** dfs, dpor, delay, deviation: the largest bound (preemptions, delays or deviations); Infinity for none. */
  readonly bound?: number;
  readonly seed?: number;
  /** pct: bug depth d. */
  readonly depth?: number;
}

export const DEFAULT_BOUND = 2;
export const DEFAULT_DEPTH = 2;

export function createStrategy(options: StrategyOptions): Strategy {
  checkStrategyOptions(options);
  const name = (options.strategy ?? 'dfs') as StrategyName;
  const bound = options.bound ?? DEFAULT_BOUND;
  const seed = options.seed ?? 1;
  const depth = options.depth ?? DEFAULT_DEPTH;
  switch (name) {
    case 'dfs': return dfsStrategy(bound);
    case 'delay': return delayStrategy(bound);
    case 'deviation': return deviationStrategy(bound);
    case 'dpor': return new DporStrategy(bound);
    case 'random': return new RandomStrategy(seed);
    case 'pct': return new PctStrategy(seed, depth);
  }
}
