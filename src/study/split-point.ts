/**
 * A long failure point split into prefix jobs (../explore/split.ts): its search as a frontier of
 * decision prefixes, each searched on its own, and the point's result put back together in the
 * frontier's order — the walkers that got hold of the child included, counted over the segments
 * the assembly uses up to the first bug, then the minimiser's executions. A dfs point gives exactly
 * studyPoint's result; a dpor point reaches the same verdict, walkers and bug kinds with its own
 * executions and first bug (each prefix's subtree has a DPOR search of its own), which is why the
 * split is one of a run's settings, applied alike wherever the run's points are searched.
 */
import { performance } from 'node:perf_hooks';
import {
  assembleSplit, searchFrontier, searchPrefix, searchSubtree, splitResult, type FrontierPrefix, type Segment,
} from '../explore/split.js';
import { takeReaches } from './model.js';
import type { WalkerName } from './scenario.js';
import { pointError, pointResult, pointSearch, studyPoint, type CellSettings, type PointResult, type PointSearcher, type PointSpec } from './study.js';

/** Prefix jobs a split point is given (about; the frontier is the shallowest with at least this many). */
export const SPLIT_JOBS = 32;

/** One bound of one prefix's subtree, with the walker tasks that got hold of the child in it. */
export type PointSegment = Segment & { readonly reached: readonly string[] };

/** A prefix job's result: its segments, or the model's error. */
export interface PrefixResult {
  readonly segments: readonly PointSegment[];
  readonly error?: string;
}

/** A point too long for one job: the frontier its prefix jobs search. */
export interface PointSplit {
  readonly split: readonly FrontierPrefix[];
}

/**
 * The point searched up to `splitAbove` executions: its result when that was enough (then it is
 * exactly the unsplit result: the search ended, or found its bug, before the cap), else the
 * frontier of about `jobs` prefixes to search it by.
 */
export function studyPointOrSplit(configuration: string, walkers: readonly WalkerName[], point: PointSpec, options: CellSettings, splitAbove: number, jobs = SPLIT_JOBS): PointResult | PointSplit {
  const cap = options.maxExecutions ?? 200_000;
  if (splitAbove >= cap) return studyPoint(configuration, walkers, point, options);
  const probe = studyPoint(configuration, walkers, point, { ...options, maxExecutions: splitAbove });
  if (probe.error !== undefined || probe.bug !== undefined || probe.exhaustive) return probe;
  try {
    return { split: searchFrontier(pointSearch(configuration, walkers, point, options).search, jobs) };
  } catch (e) {
    return pointError(point, probe.timeMs, e);
  }
}

/** One prefix job of a split point: its segments, each with the reaches seen while it ran. */
export function studyPrefix(configuration: string, walkers: readonly WalkerName[], point: PointSpec, options: CellSettings, prefix: FrontierPrefix): PrefixResult {
  try {
    const { model, variant, search } = pointSearch(configuration, walkers, point, options);
    takeReaches(model, variant);
    const segments: PointSegment[] = [];
    searchPrefix(search, prefix, (s) => segments.push({ ...s, reached: [...takeReaches(model, variant)].sort() }));
    return { segments };
  } catch (e) {
    return { segments: [], error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The point's result from its prefix jobs' (`resultOf(i)` for prefix i): a job's error is the
 * point's; the segment a cap falls inside is searched again here, and the counterexample minimised
 * here, as studyPoint does.
 */
export function assemblePoint(configuration: string, walkers: readonly WalkerName[], point: PointSpec, options: CellSettings,
  frontier: readonly FrontierPrefix[], resultOf: (prefix: number) => PrefixResult): PointResult {
  const t0 = performance.now();
  const failed = frontier.map((_, i) => resultOf(i).error).find((e) => e !== undefined);
  if (failed !== undefined) return pointError(point, 0, new Error(failed));
  try {
    const { model, variant, label, search } = pointSearch(configuration, walkers, point, options);
    const reached = new Set<string>();
    takeReaches(model, variant);
    const assembled = assembleSplit(search, frontier, (i) => resultOf(i).segments,
      (i, bound, cap) => searchSubtree(search, frontier[i]!, bound, cap));
    for (const { segment } of assembled.used) for (const who of (segment as Partial<PointSegment>).reached ?? []) reached.add(who);
    const r = splitResult(search, assembled, performance.now());
    // A recut segment's reaches and the minimiser's, as studyPoint counts them.
    for (const who of takeReaches(model, variant)) reached.add(who);
    // The work, not the wall time of the jobs: the segments' time and this assembly's.
    const timeMs = assembled.timeMs + (performance.now() - t0);
    return pointResult(point, label, search.bound, { ...r, timeMs }, [...reached].sort(), timeMs);
  } catch (e) {
    return pointError(point, performance.now() - t0, e);
  }
}

/**
 * A point searched as a run with `splitAbove` searches it anywhere: past that many executions, split
 * into the prefix jobs a queue's workers would share, here run one after another (what the local
 * pool does, so a local run and a queued one with the same settings give the same cells).
 */
export function studyPointSplitting(configuration: string, walkers: readonly WalkerName[], point: PointSpec, options: CellSettings, splitAbove: number): PointResult {
  const first = studyPointOrSplit(configuration, walkers, point, options, splitAbove);
  if (!('split' in first)) return first;
  const frontier = first.split;
  const results = frontier.map((prefix) => studyPrefix(configuration, walkers, point, options, prefix));
  return assemblePoint(configuration, walkers, point, options, frontier, (i) => results[i]!);
}

/** How a run searches its points: whole, or (with `splitAbove`) split past that many executions. */
export function pointSearcher(splitAbove: number | undefined): PointSearcher {
  if (splitAbove === undefined) return studyPoint;
  return (configuration, walkers, point, options) => studyPointSplitting(configuration, walkers, point, options, splitAbove);
}
