/** Making a strategy from its name and options, refusing what does not make sense. */
import { delayStrategy } from './delay.js';
import { dfsStrategy } from './dfs.js';
import { DporStrategy } from './dpor.js';
import { PctStrategy } from './pct.js';
import { RandomStrategy } from './random.js';
import { STRATEGY_NAMES, type Strategy, type StrategyName } from './strategy.js';

export interface StrategyOptions {
  readonly strategy?: string;
  /** dfs, dpor, delay: the largest bound (preemptions, or delays); Infinity for none. */
  readonly bound?: number;
  readonly seed?: number;
  /** pct: bug depth d. */
  readonly depth?: number;
}

export const DEFAULT_BOUND = 2;
export const DEFAULT_DEPTH = 2;

/** Throws RangeError unless `value` is a non-negative integer (or Infinity, when allowed). */
export function checkCount(name: string, value: number, { infinite = false, min = 0 } = {}): void {
  const ok = typeof value === 'number' && (Number.isInteger(value) || (infinite && value === Infinity)) && value >= min;
  if (!ok) throw new RangeError(`${name} must be ${min > 0 ? 'a positive' : 'a non-negative'} integer${infinite ? ' or Infinity' : ''}, got ${String(value)}`);
}

export function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

export function createStrategy(options: StrategyOptions): Strategy {
  const name = options.strategy ?? 'dfs';
  if (!isStrategyName(name)) throw new RangeError(`unknown strategy ${JSON.stringify(name)}; known: ${STRATEGY_NAMES.join(', ')}`);
  const bound = options.bound ?? DEFAULT_BOUND;
  checkCount('bound', bound, { infinite: true });
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${String(seed)}`);
  const depth = options.depth ?? DEFAULT_DEPTH;
  checkCount('depth', depth, { min: 1 });
  switch (name) {
    case 'dfs': return dfsStrategy(bound);
    case 'delay': return delayStrategy(bound);
    case 'dpor': return new DporStrategy(bound);
    case 'random': return new RandomStrategy(seed);
    case 'pct': return new PctStrategy(seed, depth);
  }
}
