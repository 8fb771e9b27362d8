/**
 * A thread of `mapletree worker`: searches the failure points it is sent, one at a time, so the
 * worker's main thread stays free to renew its jobs' locks while a search runs for minutes.
 */
import { parentPort } from 'node:worker_threads';
import { studyPoint, type PointResult } from '../study.js';
import { parentOf, type PointJob } from './point-job.js';
import '../model.js';

export interface PointRequest {
  readonly id: number;
  readonly job: PointJob;
}

export interface PointReply {
  readonly id: number;
  readonly result: PointResult;
}

parentPort!.on('message', ({ id, job }: PointRequest) => {
  const parent = parentOf(job.settings);
  const result = studyPoint(job.configuration, job.walkers, job.point, {
    bound: job.settings.bound, maxExecutions: job.settings.maxExecutions, strategy: job.settings.strategy, ...(parent ? { parent } : {}),
  });
  parentPort!.postMessage({ id, result } satisfies PointReply);
});
