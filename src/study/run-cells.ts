/**
 * Runs a study's cells, in this thread or spread over worker threads (worker.ts), and returns them in
 * the order asked, whatever order the workers finish in.
 */
import { Worker } from 'node:worker_threads';
import { studyCell, type StudyCell } from './study.js';
import type { WalkerName } from './scenario.js';
import type { WorkerJob, WorkerMessage } from './worker.js';

export type CellRequest = readonly [configuration: string, walker: WalkerName];

export interface RunCellsOptions {
  readonly bound: number;
  readonly maxExecutions: number;
  readonly strategy: 'dfs' | 'dpor';
  /** 1 runs every cell in this thread. */
  readonly workers: number;
  /** Executions so far (all cells) and cells finished. */
  readonly onProgress?: (executions: number, cellsDone: number) => void;
}

export async function runCells(cells: readonly CellRequest[], options: RunCellsOptions): Promise<StudyCell[]> {
  const { bound, maxExecutions, strategy, workers } = options;
  const onProgress = options.onProgress ?? ((): void => {});
  const results = new Map<string, StudyCell>();
  const key = (c: string, w: string): string => `${c}/${w}`;
  if (workers <= 1) {
    let done = 0;
    let base = 0;
    for (const [c, w] of cells) {
      const cell = studyCell(c, w, { bound, maxExecutions, strategy, onProgress: (p) => onProgress(base + p.executions, done) });
      base += cell.executions;
      results.set(key(c, w), cell);
      onProgress(base, ++done);
    }
  } else {
    // Deal cells round-robin so each worker gets a mix of quick bug cells and long verified ones.
    const jobs: CellRequest[][] = Array.from({ length: workers }, () => []);
    cells.forEach((c, i) => jobs[i % workers]!.push(c));
    const totals = new Array<number>(workers).fill(0);
    const bases = new Array<number>(workers).fill(0);
    let done = 0;
    const workerUrl = new URL('./worker.js', import.meta.url);
    await Promise.all(jobs.map((job, i) => new Promise<void>((resolve, reject) => {
      if (job.length === 0) {
        resolve();
        return;
      }
      const w = new Worker(workerUrl, { workerData: { cells: job, bound, maxExecutions, strategy } satisfies WorkerJob });
      w.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') {
          totals[i] = bases[i]! + m.executions;
        } else {
          bases[i] = bases[i]! + m.cell.executions;
          totals[i] = bases[i]!;
          results.set(key(m.cell.configuration, m.cell.walker), m.cell);
          done++;
        }
        onProgress(totals.reduce((a, b) => a + b, 0), done);
      });
      w.on('error', reject);
      w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`study worker ${i} exited with code ${code}`))));
    })));
  }
  return cells.map(([c, w]) => results.get(key(c, w))!);
}
