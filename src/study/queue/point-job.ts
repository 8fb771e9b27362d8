/**
 * One queued job: a failure point of one study cell, named by built-in names and numbers only
 * (configuration, walkers, failure point, bound, strategy, cap, and the parent as maps text). A
 * worker runs nothing else: a payload that names anything else, or was made by another model
 * version, is refused before any of it runs.
 */
import { KERNEL_NAMES } from '../../mm/config.js';
import { FORK_EXIT_MODEL } from '../model.js';
import { WALKER_NAMES, type ParentProcess, type WalkerName } from '../scenario.js';
import type { PointSpec } from '../study.js';

export const POINT_JOB_FORMAT = 'mapletree-point/1';

/** What decides a cell's results: the same for every point of a run. */
export interface QueuedSettings {
  readonly bound: number;
  readonly maxExecutions: number;
  readonly strategy: 'dfs' | 'dpor';
  readonly parent?: QueuedParent;
  /** A dfs point still searching after this many executions is split into prefix jobs (../split-point.ts). */
  readonly splitAbove?: number;
}

/** The parent as maps text with its probes (VMA specs do not travel). */
export interface QueuedParent {
  readonly maps: string;
  readonly uprobe?: { readonly path: string; readonly offset: number };
  readonly uffd?: { readonly start: number; readonly end: number } | null;
}

export interface PointJob {
  readonly format: typeof POINT_JOB_FORMAT;
  readonly run: string;
  readonly version: string;
  readonly model: typeof FORK_EXIT_MODEL;
  readonly configuration: string;
  readonly walkers: readonly WalkerName[];
  readonly point: PointSpec;
  readonly settings: QueuedSettings;
}

/** A job this worker will not run; the message says why. */
export class RefusedJobError extends Error {
  override name = 'RefusedJobError';
}

/** The point's field in a run's results: `configuration/walkers/a3` or `…/s0`. */
export function pointKey(configuration: string, walker: string, point: PointSpec): string {
  return `${configuration}/${walker}/${point.kind === 'alloc' ? `a${point.nth}` : `s${point.vma}`}`;
}

const MAX_MAPS_CHARS = 4_000_000;

export type Check = (ok: boolean, what: string) => void;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function onlyKeys(v: Record<string, unknown>, keys: readonly string[], where: string, check: Check): void {
  for (const k of Object.keys(v)) check(keys.includes(k), `${where} has an unknown field ${JSON.stringify(k)}`);
}

export const isInt = (v: unknown, min: number, max: number): v is number => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;

export function checkPoint(p: unknown, check: Check): void {
  check(isRecord(p), 'point is not an object');
  const point = p as Record<string, unknown>;
  if (point.kind === 'alloc') {
    onlyKeys(point, ['kind', 'nth'], 'point', check);
    check(isInt(point.nth, 1, 1_000_000), `point.nth ${JSON.stringify(point.nth)} is not an allocation number`);
  } else {
    check(point.kind === 'signal', `point.kind ${JSON.stringify(point.kind)} is neither alloc nor signal`);
    onlyKeys(point, ['kind', 'vma'], 'point', check);
    check(isInt(point.vma, 0, 1_000_000), `point.vma ${JSON.stringify(point.vma)} is not a VMA index`);
  }
}

export function checkSettings(s: unknown, check: Check): void {
  check(isRecord(s), 'settings is not an object');
  const settings = s as Record<string, unknown>;
  onlyKeys(settings, ['bound', 'maxExecutions', 'strategy', 'parent', 'splitAbove'], 'settings', check);
  check(settings.splitAbove === undefined || isInt(settings.splitAbove, 1, 1e12), `settings.splitAbove ${JSON.stringify(settings.splitAbove)} is not a positive count`);
  check(isInt(settings.bound, 0, 64), `settings.bound ${JSON.stringify(settings.bound)} is not a preemption bound`);
  check(isInt(settings.maxExecutions, 1, 1e12), `settings.maxExecutions ${JSON.stringify(settings.maxExecutions)} is not a positive count`);
  check(settings.strategy === 'dfs' || settings.strategy === 'dpor', `settings.strategy ${JSON.stringify(settings.strategy)} is neither dfs nor dpor`);
  if (settings.parent === undefined) return;
  check(isRecord(settings.parent), 'settings.parent is not an object');
  const parent = settings.parent as Record<string, unknown>;
  onlyKeys(parent, ['maps', 'uprobe', 'uffd'], 'settings.parent', check);
  check(typeof parent.maps === 'string' && parent.maps.length <= MAX_MAPS_CHARS, 'settings.parent.maps is not maps text');
  if (parent.uprobe !== undefined) {
    const u = parent.uprobe;
    check(isRecord(u) && typeof u.path === 'string' && isInt(u.offset, 0, Number.MAX_SAFE_INTEGER), 'settings.parent.uprobe is not { path, offset }');
    onlyKeys(u as Record<string, unknown>, ['path', 'offset'], 'settings.parent.uprobe', check);
  }
  if (parent.uffd !== undefined && parent.uffd !== null) {
    const u = parent.uffd;
    check(isRecord(u) && isInt(u.start, 0, Number.MAX_SAFE_INTEGER) && isInt(u.end, 0, Number.MAX_SAFE_INTEGER), 'settings.parent.uffd is not { start, end }');
    onlyKeys(u as Record<string, unknown>, ['start', 'end'], 'settings.parent.uffd', check);
  }
}

/** Throws RefusedJobError saying `what` unless `ok`. */
export const refuse: Check = (ok, what) => {
  if (!ok) throw new RefusedJobError(`refused job: ${what}`);
};

/** The fields every job has checked — its format, the model version, the run — and its own fields named. */
export function jobHeader(data: unknown, format: string, version: string, fields: readonly string[]): { job: Record<string, unknown>; check: Check } {
  const check = refuse;
  check(isRecord(data), 'the payload is not an object');
  const job = data as Record<string, unknown>;
  check(job.format === format, `format ${JSON.stringify(job.format)} is not ${format}`);
  check(job.version === version, `made by model version ${JSON.stringify(job.version)}, and this worker runs model version ${version}; start workers built from the submitter's version`);
  onlyKeys(job, ['format', 'run', 'version', ...fields], 'the job', check);
  check(typeof job.run === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(job.run), `run ${JSON.stringify(job.run)} is not a run id`);
  return { job, check };
}

/** A job's configuration and walkers are built-in ones. */
export function checkQueuedJob(job: Record<string, unknown>, check: Check): void {
  check(typeof job.configuration === 'string' && KERNEL_NAMES.includes(job.configuration), `configuration ${JSON.stringify(job.configuration)} is not a built-in configuration`);
  const walkers = job.walkers;
  check(Array.isArray(walkers) && walkers.length > 0 && walkers.every((w) => WALKER_NAMES.includes(w as WalkerName)) && new Set(walkers).size === walkers.length,
    `walkers ${JSON.stringify(walkers)} are not distinct built-in walkers`);
}

/**
 * The job as this worker (of model version `version`) will run it, or a RefusedJobError naming
 * the first thing wrong with it.
 */
export function acceptPointJob(data: unknown, version: string): PointJob {
  const { job, check } = jobHeader(data, POINT_JOB_FORMAT, version, ['model', 'configuration', 'walkers', 'point', 'settings']);
  check(job.model === FORK_EXIT_MODEL, `model ${JSON.stringify(job.model)} is not a built-in study model (${FORK_EXIT_MODEL})`);
  checkQueuedJob(job, check);
  checkPoint(job.point, check);
  checkSettings(job.settings, check);
  return job as unknown as PointJob;
}

/** The parent as the study takes it. */
export function parentOf(settings: QueuedSettings): ParentProcess | undefined {
  return settings.parent;
}
