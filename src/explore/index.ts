/**
 * mapletree/explore: deterministic interleaving search and fault injection over generator tasks.
 */
export * from './protocol.js';
export { runSync, SyncDeadlock, type SyncOptions } from './sync.js';
export { registerModel, getModel, listModels, type Model, type ModelInstance, type TaskSpec } from './model.js';
export {
  runExecution, ReplayDivergence,
  type Chooser, type DecisionPoint, type ExecutionOptions, type ExecutionResult, type FaultPlan, type TraceEvent, type Violation,
} from './execution.js';
export { explore, sweepFaults, type ExploreOptions, type ExploreResult, type StrategyName } from './explore.js';
export { PrefixChooser, RandomChooser, PctChooser, pctProbability, nextDfsPrefix } from './strategies.js';
export { DporSearch, dependent } from './dpor.js';
export { minimise, type Minimised } from './minimise.js';
export { makeTrace, traceToken, parseToken, fromToken, replay, TRACE_FORMAT, type Trace, type Replayable } from './trace.js';
export { laneTable, htmlReport, racingObjects } from './report.js';
export { Prng } from './prng.js';
export { CLASSICS } from './classics.js';
