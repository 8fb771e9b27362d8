/**
 * mapletree/explore: deterministic interleaving search and fault injection over generator tasks.
 */
export * from './protocol.js';
export { runSync, SyncDeadlock, type SyncOptions } from './sync.js';
export { registerModel, getModel, listModels, type Model, type ModelInstance, type TaskSpec } from './model.js';
export {
  runExecution, ReplayDivergence,
  type Allocator, type Chooser, type DecisionPoint, type ExecutionOptions, type ExecutionResult, type FaultPlan, type StepObserver,
  type TraceEvent, type Violation,
} from './execution.js';
export { explore, sweepFaults, type ExploreOptions, type ExploreResult, type SweepOptions } from './explore.js';
export { runSearch, type SearchOptions, type SearchOutcome } from './search.js';
export { STRATEGY_NAMES, SYSTEMATIC, type Strategy, type StrategyName } from './strategies/strategy.js';
export { createStrategy, type StrategyOptions } from './strategies/index.js';
export { BoundedSearch, nextPrefix, type Ordering, type Subtree } from './strategies/bounded.js';
export { defaultOption, isPreemption, PrefixChooser } from './strategies/schedule.js';
export { dfsStrategy, nextDfsPrefix, preemptionOrdering } from './strategies/dfs.js';
export { delayStrategy, delayOrdering } from './strategies/delay.js';
export { deviationStrategy, deviationOrdering } from './strategies/deviation.js';
export { DporSearch, DporStrategy } from './strategies/dpor.js';
export { dependent } from './strategies/dependent.js';
export { RandomStrategy } from './strategies/random.js';
export { PctStrategy, pctProbability } from './strategies/pct.js';
export { ReplayChooser } from './strategies/replay.js';
export { defaultEntries, type PortfolioEntry } from './strategies/portfolio.js';
export { minimise, type CleanBelow, type Minimised, type MinimiseOptions, type MinimiseSize } from './minimise.js';
export { makeTrace, traceToken, parseToken, fromToken, replay, TRACE_FORMAT, type Trace, type Replayable, type TokenBody } from './trace.js';
export { laneTable, htmlReport, racingObjects } from './report.js';
export { escapeHtml } from './html.js';
export { defaultWorkers, deal, runPool, type PoolControl } from './pool.js';
export { Prng } from './prng.js';
export { CLASSICS } from './classics.js';
