/**
 * A worker thread of `mapletree study`: runs the cells it is given and posts each result (and
 * progress) back to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pointSearcher } from './split-point.js';
import { studyCellBy, type StudyCell } from './study.js';
import { cellFraction, pointAt, type CellOptions } from './run-cells.js';
import type { WalkerName } from './scenario.js';

export interface WorkerJob {
  readonly cells: ReadonlyArray<readonly [string, WalkerName | string]>;
  readonly options: CellOptions;
  /** The run's split rule (RunCellsOptions.splitAbove). */
  readonly splitAbove?: number;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly executions: number; readonly at: string; readonly fraction: number }
  | { readonly type: 'cell'; readonly cell: StudyCell };

const job = workerData as WorkerJob;
const searchPoint = pointSearcher(job.splitAbove);
for (const [configuration, walker] of job.cells) {
  const cell = studyCellBy(configuration, walker, {
    ...job.options,
    onProgress: (p) => parentPort!.postMessage({ type: 'progress', executions: p.executions, at: pointAt(configuration, walker, p), fraction: cellFraction(p) } satisfies WorkerMessage),
  }, searchPoint);
  parentPort!.postMessage({ type: 'cell', cell } satisfies WorkerMessage);
}
