/** random: every decision uniform over its options, from a seeded PRNG (reproducible by seed). */
import type { DecisionPoint, ExecutionResult } from '../execution.js';
import { checkSeed } from '../arguments.js';
import { Prng } from '../prng.js';
import type { Strategy } from './strategy.js';

export class RandomStrategy implements Strategy {
  readonly name = 'random' as const;
  readonly observer = null;
  readonly exhaustiveBound = null;
  readonly exhausted = false;
  readonly #prng: Prng;

  constructor(readonly seed: number) {
    checkSeed('RandomStrategy', 'seed', seed);
    this.#prng = new Prng(seed);
  }

  start(): boolean {
    return true;
  }

  choose(point: DecisionPoint): number {
    return point.options[this.#prng.below(point.options.length)]!;
  }

  finish(_run: ExecutionResult): void {
    // Each execution is independent of the last.
  }
}
