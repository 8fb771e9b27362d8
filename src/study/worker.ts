/**
 * A worker thread of `mapletree study`: runs each cell it is handed (runCells, through the warm
 * pool) and posts its progress and then the cell back to the main thread.
 */
import { serveTasks } from '../explore/warm-pool.js';
import { pointSearcher } from './split-point.js';
import { studyCellBy, type StudyCell } from './study.js';
import { cellFraction, pointAt, type CellOptions } from './run-cells.js';
import type { WalkerName } from './scenario.js';

export interface WorkerTask {
  readonly configuration: string;
  readonly walker: WalkerName | string;
  readonly options: CellOptions;
  /** The run's split rule (RunCellsOptions.splitAbove). */
  readonly splitAbove?: number;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly executions: number; readonly at: string; readonly fraction: number }
  | { readonly type: 'cell'; readonly cell: StudyCell };

serveTasks<WorkerTask, WorkerMessage>(({ configuration, walker, options, splitAbove }, post) => {
  const cell = studyCellBy(configuration, walker, {
    ...options,
    onProgress: (p) => post({ type: 'progress', executions: p.executions, at: pointAt(configuration, walker, p), fraction: cellFraction(p) }),
  }, pointSearcher(splitAbove));
  post({ type: 'cell', cell });
});
