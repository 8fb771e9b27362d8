/**
 * The one place the explorer's options are checked — explore(), sweepFaults(), createStrategy(),
 * runSearch(), minimise(), runExecution() and runSync() — with the arguments that come with them.
 * Each named option has one check, run before anything is built. An option a function does not
 * know is refused (a misspelt `bounds` would otherwise be ignored and the default used), except by
 * createStrategy(), which reads its four from whatever object it is handed.
 */
import {
  checkBoolean, checkCount, checkFaultPlan, checkFunction, checkInstance, checkModel, checkObject, checkRun, checkSeed, checkString, isFaultPlan,
  isInstance, shown,
} from './arguments.js';
import type { ExploreOptions, SweepOptions } from './explore.js';
import type { ExecutionOptions } from './execution.js';
import type { MinimiseOptions } from './minimise.js';
import type { SearchOptions } from './search.js';
import type { SyncOptions } from './sync.js';
import type { StrategyOptions } from './strategies/index.js';
import { STRATEGY_NAMES } from './strategies/strategy.js';

type Check = (where: string, name: string, value: unknown) => void;

const count = (min: 0 | 1, infinite = false): Check => (where, name, value) => checkCount(where, name, value, { min, infinite });

function oneOf(known: readonly string[]): Check {
  return (where, name, value) => {
    checkString(where, name, value);
    if (!known.includes(value)) throw new RangeError(`${where}: ${name} must be one of ${known.join(', ')}, got ${shown(value)}`);
  };
}

const STRATEGY_CHECKS: Readonly<Record<keyof StrategyOptions, Check>> = {
  strategy: oneOf(STRATEGY_NAMES),
  bound: count(0, true),
  seed: checkSeed,
  depth: count(1),
};

/** MinimiseOptions.cleanBelow: { nth ≥ 1, bound ≥ 0 (Infinity: no bound) }. */
const cleanBelow: Check = (where, name, value) => {
  checkObject(where, name, value, '{ nth, bound }');
  for (const key of Object.keys(value)) if (key !== 'nth' && key !== 'bound') throw new RangeError(`${where}: ${name} has an unknown field ${JSON.stringify(key)}; known: nth, bound`);
  checkCount(where, `${name}.nth`, value['nth'], { min: 1 });
  checkCount(where, `${name}.bound`, value['bound'], { min: 0, infinite: true });
};

const EXPLORE_CHECKS: Readonly<Record<keyof ExploreOptions, Check>> = {
  ...STRATEGY_CHECKS,
  model: (where, name, value) => {
    if (typeof value !== 'string') checkModel(where, name, value);
  },
  variant: checkString,
  executions: count(1, true),
  timeMs: (where, name, value) => {
    if (typeof value !== 'number') throw new TypeError(`${where}: ${name} must be a positive number of milliseconds, got ${shown(value)}`);
    if (!(value > 0)) throw new RangeError(`${where}: ${name} must be a positive number of milliseconds, got ${shown(value)}`);
  },
  fault: checkFaultPlan,
  stopAtFirst: checkBoolean,
  maxSteps: count(1),
  onProgress: checkFunction,
  checkpoint: (where, name, value) => {
    checkString(where, name, value);
    if (value === '') throw new RangeError(`${where}: ${name} must name a file, got ""`);
  },
  checkpointEvery: count(1),
  checkDeterminism: checkBoolean,
  cleanBelow,
};

const SWEEP_CHECKS: Readonly<Record<keyof SweepOptions, Check>> = {
  ...EXPLORE_CHECKS,
  task: checkString,
  site: checkString,
  mode: oneOf(['once', 'persistent']),
  maxNth: count(1),
};

/** A time as performance.now() gives it (Infinity: none); NaN is not one. */
const time: Check = (where, name, value) => {
  if (typeof value !== 'number') throw new TypeError(`${where}: ${name} must be a time (performance.now()), got ${shown(value)}`);
  if (Number.isNaN(value)) throw new RangeError(`${where}: ${name} must be a time (performance.now()), got NaN`);
};

const SEARCH_CHECKS: Readonly<Record<keyof SearchOptions, Check>> = {
  fault: checkFaultPlan,
  executions: count(0, true),
  deadline: time,
  stopAtFirst: checkBoolean,
  accept: checkFunction,
  maxSteps: count(1, true),
  onProgress: checkFunction,
  checkDeterminism: checkBoolean,
  onCheckpoint: checkFunction,
  checkpointEvery: count(1),
};

const MINIMISE_CHECKS: Readonly<Record<keyof MinimiseOptions, Check>> = {
  deadline: time,
  maxSteps: count(1, true),
  cleanBelow,
};

const nullable = (check: Check): Check => (where, name, value) => {
  if (value !== null) check(where, name, value);
};

const EXECUTION_CHECKS: Readonly<Record<keyof ExecutionOptions, Check>> = {
  observer: nullable((where, name, value) => {
    checkObject(where, name, value, 'a step observer { beforeStep }');
    checkFunction(where, `${name}.beforeStep`, value['beforeStep']);
  }),
  fault: checkFaultPlan,
  allocate: nullable(checkFunction),
  maxSteps: count(1, true),
  record: checkBoolean,
  deadline: time,
};

const SYNC_CHECKS: Readonly<Record<keyof SyncOptions, Check>> = {
  allocate: checkFunction,
  choose: checkFunction,
};

/** `options.<key>`, made once per key: runExecution checks its options on every execution. */
const optionNames = new Map<string, string>();
function optionName(key: string): string {
  let name = optionNames.get(key);
  if (name === undefined) optionNames.set(key, (name = `options.${key}`));
  return name;
}

function checkNamed(where: string, options: unknown, checks: Readonly<Record<string, Check>>, strict = true): asserts options is Record<string, unknown> {
  checkObject(where, 'options', options, 'an object of named options');
  for (const key of Object.keys(options)) {
    const check = checks[key];
    if (check === undefined) {
      if (strict) throw new RangeError(`${where}: unknown option ${JSON.stringify(key)}; known: ${Object.keys(checks).join(', ')}`);
      continue;
    }
    const value = options[key];
    if (value !== undefined) check(where, optionName(key), value);
  }
}

function requireModel(where: string, options: Record<string, unknown>): void {
  if (options['model'] === undefined) throw new TypeError(`${where}: options.model must be a model name or a Model, got undefined`);
}

export function checkExploreOptions(options: unknown): asserts options is ExploreOptions {
  checkNamed('explore', options, EXPLORE_CHECKS);
  requireModel('explore', options);
}

export function checkSweepOptions(options: unknown): asserts options is SweepOptions {
  checkNamed('sweepFaults', options, SWEEP_CHECKS);
  requireModel('sweepFaults', options);
}

export function checkStrategyOptions(options: unknown): asserts options is StrategyOptions {
  checkNamed('createStrategy', options, STRATEGY_CHECKS, false);
}

/** A strategy as the runner drives it. */
function checkStrategy(where: string, name: string, value: unknown): void {
  checkObject(where, name, value, 'a Strategy (createStrategy() makes one)');
  for (const method of ['start', 'choose', 'finish']) checkFunction(where, `${name}.${method}`, value[method]);
}

export function checkSearchArguments(build: unknown, strategy: unknown, options: unknown): void {
  checkFunction('runSearch', 'build', build);
  checkStrategy('runSearch', 'strategy', strategy);
  if (options !== undefined) checkNamed('runSearch', options, SEARCH_CHECKS);
}

export function checkMinimiseArguments(build: unknown, found: unknown, fault: unknown, options: unknown): void {
  checkFunction('minimise', 'build', build);
  checkRun('minimise', 'found', found);
  if (found.violation === null) throw new RangeError('minimise: found must be an execution with a violation, got one without');
  checkFaultPlan('minimise', 'fault', fault);
  if (options !== undefined) checkNamed('minimise', options, MINIMISE_CHECKS);
}

const EXECUTION_KEYS: ReadonlySet<string> = new Set(Object.keys(EXECUTION_CHECKS));

/** The common case without building a message: well-formed execution options. */
function isExecutionOptions(options: object): boolean {
  if (Array.isArray(options)) return false;
  const { observer, fault, allocate, maxSteps, record, deadline } = options as Partial<Record<keyof ExecutionOptions, unknown>>;
  if (observer !== undefined && observer !== null && (typeof observer !== 'object' || typeof (observer as { beforeStep?: unknown }).beforeStep !== 'function')) return false;
  if (fault !== undefined && fault !== null && !isFaultPlan(fault)) return false;
  if (allocate !== undefined && allocate !== null && typeof allocate !== 'function') return false;
  if (maxSteps !== undefined && !(typeof maxSteps === 'number' && maxSteps >= 1 && (Number.isSafeInteger(maxSteps) || maxSteps === Infinity))) return false;
  if ((record !== undefined && typeof record !== 'boolean') || (deadline !== undefined && (typeof deadline !== 'number' || Number.isNaN(deadline)))) return false;
  for (const key in options) if (!EXECUTION_KEYS.has(key)) return false;
  return true;
}

/**
 * runExecution's arguments: an instance, a chooser and the execution options. O(tasks); every
 * execution of a search pays it, so the well-formed case is tested without building messages.
 */
export function checkExecutionArguments(instance: unknown, chooser: unknown, options: unknown): void {
  const chooses = typeof chooser === 'object' && chooser !== null && typeof (chooser as { choose?: unknown }).choose === 'function';
  if (chooses && isInstance(instance) && (options === undefined || (typeof options === 'object' && options !== null && isExecutionOptions(options)))) return;
  checkInstance('runExecution', 'instance', instance);
  checkObject('runExecution', 'chooser', chooser, 'a chooser { choose(point, index) }');
  checkFunction('runExecution', 'chooser.choose', chooser['choose']);
  if (options !== undefined) checkNamed('runExecution', options, EXECUTION_CHECKS);
}

export function checkSyncOptions(options: unknown): void {
  if (options !== undefined) checkNamed('runSync', options, SYNC_CHECKS);
}
