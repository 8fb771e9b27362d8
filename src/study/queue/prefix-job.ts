/**
 * One queued prefix job of a split search (../../explore/split.ts): the subtree below one decision
 * prefix of a search that is either a study failure point (split because it is long) or a whole
 * `mapletree explore` search of a built-in model. Like a point job it names built-in models and
 * numbers only, and is refused — before any of it runs — when it names anything else or was made by
 * another model version.
 */
import type { FaultPlan } from '../../explore/execution.js';
import { listModels, modelHasVariant } from '../../explore/model.js';
import { SPLIT_STRATEGIES, type FrontierPrefix, type SplitStrategy } from '../../explore/split.js';
import { checkPoint, checkQueuedJob, checkSettings, isInt, isRecord, jobHeader, onlyKeys, type Check, type QueuedSettings } from './point-job.js';
import '../../explore/classics.js';
import { FORK_EXIT_MODEL } from '../model.js';
import type { WalkerName } from '../scenario.js';
import type { PointSpec } from '../study.js';

export const PREFIX_JOB_FORMAT = 'mapletree-prefix/1';

/** A search of a built-in model (the default parent's fork-exit model, or a classic). */
export interface ModelSearch {
  readonly kind: 'model';
  readonly model: string;
  readonly variant: string;
  readonly strategy: SplitStrategy;
  readonly bound: number;
  readonly executions: number;
  readonly fault: FaultPlan | null;
}

/** The search of one study failure point, as its point job named it. */
export interface PointSearchSpec {
  readonly kind: 'point';
  readonly configuration: string;
  readonly walkers: readonly WalkerName[];
  readonly point: PointSpec;
  readonly settings: QueuedSettings;
}

export interface PrefixJob {
  readonly format: typeof PREFIX_JOB_FORMAT;
  readonly run: string;
  readonly version: string;
  /** The run's results field the job's result goes in. */
  readonly field: string;
  readonly search: ModelSearch | PointSearchSpec;
  readonly prefix: FrontierPrefix;
}

const MAX_PREFIX = 10_000;

function checkFault(f: unknown, check: Check): void {
  if (f === null) return;
  check(isRecord(f), 'search.fault is neither null nor a fault plan');
  const fault = f as Record<string, unknown>;
  onlyKeys(fault, ['nth', 'mode', 'task', 'site'], 'search.fault', check);
  check(isInt(fault.nth, 1, 1_000_000), `search.fault.nth ${JSON.stringify(fault.nth)} is not an allocation number`);
  check(fault.mode === 'once' || fault.mode === 'persistent', `search.fault.mode ${JSON.stringify(fault.mode)} is neither once nor persistent`);
  for (const k of ['task', 'site'] as const) check(fault[k] === undefined || (typeof fault[k] === 'string' && fault[k].length <= 200), `search.fault.${k} is not a name`);
}

function checkSearch(s: unknown, check: Check): void {
  check(isRecord(s), 'search is not an object');
  const search = s as Record<string, unknown>;
  if (search.kind === 'point') {
    onlyKeys(search, ['kind', 'configuration', 'walkers', 'point', 'settings'], 'search', check);
    checkQueuedJob(search, check);
    checkPoint(search.point, check);
    checkSettings(search.settings, check);
    return;
  }
  check(search.kind === 'model', `search.kind ${JSON.stringify(search.kind)} is neither model nor point`);
  onlyKeys(search, ['kind', 'model', 'variant', 'strategy', 'bound', 'executions', 'fault'], 'search', check);
  const model = listModels().find((m) => m.name === search.model);
  // A fork-exit model of another parent has a digest name: only the default parent's travels this way.
  check(model !== undefined && (!model.name.startsWith(FORK_EXIT_MODEL) || model.name === FORK_EXIT_MODEL),
    `search.model ${JSON.stringify(search.model)} is not a built-in model of this worker`);
  check(typeof search.variant === 'string' && modelHasVariant(model!, search.variant), `search.variant ${JSON.stringify(search.variant)} is not a variant of ${String(search.model)}`);
  check(SPLIT_STRATEGIES.includes(search.strategy as SplitStrategy), `search.strategy ${JSON.stringify(search.strategy)} is not dfs, dpor or delay`);
  check(isInt(search.bound, 0, 64), `search.bound ${JSON.stringify(search.bound)} is not a preemption bound`);
  check(isInt(search.executions, 1, 1e12), `search.executions ${JSON.stringify(search.executions)} is not a positive count`);
  checkFault(search.fault, check);
}

/** The job as this worker (of model version `version`) will run it, or a RefusedJobError naming what is wrong. */
export function acceptPrefixJob(data: unknown, version: string): PrefixJob {
  const { job, check } = jobHeader(data, PREFIX_JOB_FORMAT, version, ['field', 'search', 'prefix']);
  check(typeof job.field === 'string' && job.field.length > 0 && job.field.length <= 300, `field ${JSON.stringify(job.field)} is not a results field`);
  checkSearch(job.search, check);
  check(isRecord(job.prefix), 'prefix is not an object');
  const prefix = job.prefix as Record<string, unknown>;
  onlyKeys(prefix, ['decisions', 'cost'], 'prefix', check);
  check(Array.isArray(prefix.decisions) && prefix.decisions.length <= MAX_PREFIX && prefix.decisions.every((d) => isInt(d, 0, 1_000_000)),
    'prefix.decisions is not a list of decisions');
  const bound = (job.search as { settings?: { bound: number }; bound?: number }).settings?.bound ?? (job.search as { bound: number }).bound;
  check(isInt(prefix.cost, 0, bound), `prefix.cost ${JSON.stringify(prefix.cost)} is not within the bound ${bound}`);
  return job as unknown as PrefixJob;
}
