/**
 * What every search strategy is to the runner (Shuttle's Scheduler, Coyote's strategy): a Chooser
 * for the decisions of one execution, told when an execution starts and ends. The runner
 * (../search.ts) never knows which strategy it drives.
 */
import type { Chooser, ExecutionResult, StepObserver } from '../execution.js';

export type StrategyName = 'dfs' | 'dpor' | 'delay' | 'deviation' | 'random' | 'pct';

export const STRATEGY_NAMES: readonly StrategyName[] = ['dfs', 'dpor', 'delay', 'deviation', 'random', 'pct'];

/** Strategies that enumerate a space and can prove a model within their bound. */
export const SYSTEMATIC: readonly StrategyName[] = ['dfs', 'dpor', 'delay', 'deviation'];

export interface Strategy extends Chooser {
  readonly name: StrategyName;
  /** Sees every step before it runs (DPOR builds its state tree from them); null when choosing is enough. */
  readonly observer: StepObserver | null;
  /** Prepares the next execution; false when nothing is left to run. */
  start(): boolean;
  /** Learns from the execution that just ended. */
  finish(run: ExecutionResult): void;
  /** The largest bound searched completely so far (null: none yet, or not systematic). */
  readonly exhaustiveBound: number | null;
  /** True once every execution within the requested bound has been run (the model is verified). */
  readonly exhausted: boolean;
  /** The seed its traces record (null for systematic strategies, whose decisions say it all). */
  readonly seed: number | null;
  /** pct: the per-run probability bound of finding a bug of its depth. */
  readonly probabilityBound?: number;
  /** Strategies that can be checkpointed: their position between executions, as JSON data. */
  checkpoint?(): unknown;
  /** Carries on from a position `checkpoint` returned (RangeError when it is not one). */
  resume?(state: unknown): void;
}
