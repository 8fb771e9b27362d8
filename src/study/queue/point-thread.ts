/**
 * A thread of `mapletree worker`: searches the jobs it is sent, one at a time, so the worker's
 * main thread stays free to renew its jobs' locks while a search runs for minutes. A point job
 * that runs past its settings' splitAbove comes back as a frontier of prefix jobs instead.
 */
import { parentPort } from 'node:worker_threads';
import { searchPrefix } from '../../explore/split.js';
import { studyPointOrSplit, studyPrefix, type PointSplit, type PrefixResult } from '../split-point.js';
import { studyPoint, type PointResult } from '../study.js';
import { parentOf, type PointJob, type QueuedSettings } from './point-job.js';
import type { ModelSearch, PrefixJob } from './prefix-job.js';
import '../../explore/classics.js';
import '../model.js';

export interface PointRequest {
  readonly id: number;
  readonly job: PointJob | PrefixJob;
}

export interface PointReply {
  readonly id: number;
  readonly result: PointResult | PointSplit | PrefixResult;
}

function cellSettings(settings: QueuedSettings) {
  const parent = parentOf(settings);
  return { bound: settings.bound, maxExecutions: settings.maxExecutions, strategy: settings.strategy, ...(parent ? { parent } : {}) };
}

function modelPrefix(search: ModelSearch, job: PrefixJob): PrefixResult {
  try {
    return { segments: searchPrefix(search, job.prefix).map((s) => ({ ...s, reached: [] })) };
  } catch (e) {
    return { segments: [], error: e instanceof Error ? e.message : String(e) };
  }
}

function run(job: PointJob | PrefixJob): PointReply['result'] {
  if (job.format === 'mapletree-prefix/1') {
    const s = job.search;
    if (s.kind === 'model') return modelPrefix(s, job);
    return studyPrefix(s.configuration, s.walkers, s.point, cellSettings(s.settings), job.prefix);
  }
  const options = cellSettings(job.settings);
  const splitAbove = job.settings.splitAbove;
  if (splitAbove === undefined) return studyPoint(job.configuration, job.walkers, job.point, options);
  return studyPointOrSplit(job.configuration, job.walkers, job.point, options, splitAbove);
}

parentPort!.on('message', ({ id, job }: PointRequest) => {
  parentPort!.postMessage({ id, result: run(job) } satisfies PointReply);
});
