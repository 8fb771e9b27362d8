/**
 * Runs a study's cells, in this thread or spread over worker threads (worker.ts), and returns them in
 * the order asked, whatever order the workers finish in. An abort signal stops the run: workers are
 * terminated and the cells finished so far are returned (the CLI's Ctrl-C and checkpoint).
 */
import { runWarm } from '../explore/warm-pool.js';
import { booleanArg, indexArg, optionsArg, show } from '../mm/args.js';
import { pointSearcher } from './split-point.js';
import { arrayArg, configurationArg, optionalFunctionArg, walkerSetArg, workersArg } from './args.js';
import { CELL_OPTION_KEYS, cellOptionsArg, cellWorkEstimate, studyCellBy, type StudyCell, type StudyOptions, type StudyProgress } from './study.js';
import type { WalkerName } from './scenario.js';
import type { WorkerTask, WorkerMessage } from './worker.js';

/** A configuration and a walker, or a set of walkers written a+b. */
export type CellRequest = readonly [configuration: string, walker: WalkerName | string];

/** What every cell is run with: the study's options, less what the cell list and callbacks say. */
export type CellOptions = Omit<StudyOptions, 'configurations' | 'walkers' | 'onProgress'>;

export interface RunCellsOptions extends CellOptions {
  /** Worker threads; 1 runs every cell in this thread unless `inThread` says otherwise. */
  readonly workers: number;
  /** Run in this thread (default: when workers is 1). A thread of its own keeps the caller responsive. */
  readonly inThread?: boolean;
  /**
   * A point still searching after this many executions is split into prefix jobs (split-point.ts),
   * run in its cell's thread one after another, exactly as a queued run with this splitAbove splits
   * it, so both give the same cells. Default: never.
   */
  readonly splitAbove?: number;
  /**
   * Executions so far (all cells), cells finished, the failure point a cell is searching now, how
   * far the running cells are (the sum of their fractions: the work of their points done of about
   * how much they have), and the run's work done in cells: each cell weighs its share of the run's
   * estimated work (runWeights), so an ETA follows the time, not the count of cells.
   */
  readonly onProgress?: (executions: number, cellsDone: number, at?: string, running?: number, work?: number) => void;
  /** Each cell as it finishes. */
  readonly onCell?: (cell: StudyCell) => void;
  /** Stops the run; the cells finished by then are returned. */
  readonly signal?: AbortSignal;
  /**
   * Each cell's estimated cost, in any one unit, in place of cellWorkEstimate's: what the progress
   * weighs and the threads take dearest first. The walkers-together cells have one from their
   * members' cells (combinationCost), which a cell's shape cannot give.
   */
  readonly costs?: readonly number[];
}

/** The checks of runCells' arguments, all before the first cell runs. */
function runCellsArgs(cells: unknown, options: unknown): void {
  const fn = 'runCells';
  arrayArg(fn, 'cells', cells).forEach((cell, i) => {
    if (!Array.isArray(cell) || cell.length !== 2) throw new TypeError(`${fn}: cells[${i}] must be a [configuration, walker] pair, got ${show(cell)}`);
    configurationArg(fn, `cells[${i}][0]`, cell[0]);
    walkerSetArg(fn, `cells[${i}][1]`, cell[1]);
  });
  if (options === undefined) throw new TypeError(`${fn}: options must be an object of options, got undefined`);
  const o = optionsArg(fn, 'options', options, [...CELL_OPTION_KEYS, 'workers', 'inThread', 'splitAbove', 'onProgress', 'onCell', 'signal', 'costs']);
  if (o['costs'] !== undefined) {
    const costs = arrayArg(fn, 'options.costs', o['costs']);
    if (costs.length !== (cells as unknown[]).length) throw new RangeError(`${fn}: options.costs must have one cost per cell (${(cells as unknown[]).length}), got ${costs.length}`);
    costs.forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new RangeError(`${fn}: options.costs[${i}] must be a finite non-negative number, got ${show(x)}`);
    });
  }
  cellOptionsArg(fn, o);
  workersArg(fn, 'options.workers', o['workers'], false);
  if (o['inThread'] !== undefined) booleanArg(fn, 'options.inThread', o['inThread']);
  if (o['splitAbove'] !== undefined && indexArg(fn, 'options.splitAbove', o['splitAbove']) < 1) {
    throw new RangeError(`${fn}: options.splitAbove must be at least 1, got ${o['splitAbove'] as number}`);
  }
  optionalFunctionArg(fn, 'options.onProgress', o['onProgress']);
  optionalFunctionArg(fn, 'options.onCell', o['onCell']);
  if (o['signal'] !== undefined && !(o['signal'] instanceof AbortSignal)) throw new TypeError(`${fn}: options.signal must be an AbortSignal, got ${typeof o['signal']}`);
}

/** What a progress line says a cell is at: `7.0 × swapoff: fatal signal at VMA 3 (point 12 of ~19)`. */
export function pointAt(configuration: string, walker: string, p: StudyProgress): string {
  return `${configuration} × ${walker}: ${p.failurePoint} (point ${p.pointsDone} of ~${p.pointsEstimate})`;
}

/** The cell a pointAt text is of, "configuration × walker" (a configuration may hold ':', never ': '). */
export function cellOfPoint(at: string): string {
  const end = at.indexOf(': ', at.indexOf(' × '));
  return end < 0 ? at : at.slice(0, end);
}

/** How far a running cell is by the work of its points (pointWork), below 1 (it is done only when its cell arrives). */
export function cellFraction(p: StudyProgress): number {
  return p.workEstimate > 0 ? Math.min(p.workDone / p.workEstimate, 0.99) : 0;
}

/**
 * Each cell's weight in a run's progress, in cells (they sum to the number of cells): its share of
 * the run's estimated work (`costs`, else cellWorkEstimate). An n/a cell weighs nothing; a cell that finds a bug
 * early finishes under its weight, so the ETA errs long, never short, on that account. All alike
 * when nothing has work.
 */
export function runWeights(cells: readonly CellRequest[], options: CellOptions, costs?: readonly number[]): number[] {
  const work = costs ? [...costs] : cells.map(([c, w]) => {
    try {
      return cellWorkEstimate(c, w, options);
    } catch {
      // The cell's own error to report; it weighs nothing here.
      return 0;
    }
  });
  const total = work.reduce((a, b) => a + b, 0);
  return total > 0 ? work.map((x) => (x * cells.length) / total) : cells.map(() => 1);
}

export async function runCells(cells: readonly CellRequest[], options: RunCellsOptions): Promise<StudyCell[]> {
  runCellsArgs(cells, options);
  const { workers, inThread, splitAbove, onProgress: progress, onCell, signal, costs, ...cellOptions } = options;
  const onProgress = progress ?? ((): void => {});
  const results = new Map<string, StudyCell>();
  const key = (c: string, w: string): string => `${c}/${w}`;
  const finished = (): StudyCell[] => cells.flatMap(([c, w]) => results.get(key(c, w)) ?? []);
  const weights = runWeights(cells, cellOptions, costs);
  if (inThread ?? workers <= 1) {
    let done = 0;
    let base = 0;
    let work = 0;
    cells.forEach(([c, w], i) => {
      if (signal?.aborted) return;
      const weight = weights[i]!;
      const cell = studyCellBy(c, w, {
        ...cellOptions, onProgress: (p) => onProgress(base + p.executions, done, pointAt(c, w, p), cellFraction(p), work + weight * cellFraction(p)),
      }, pointSearcher(splitAbove));
      base += cell.executions;
      work += weight;
      results.set(key(c, w), cell);
      // Progress first, so what the cell's report reads of the run's progress includes the cell.
      onProgress(base, ++done, undefined, 0, work);
      onCell?.(cell);
    });
    return finished();
  }
  // Threads kept warm between runs (warm-pool.ts), each handed the next cell when it is done with
  // one. With two or more, the dearest cells go first, so no thread is left with a long cell while
  // the others idle; one thread takes them in the order asked, as the table shows them.
  const order = cells.map((_, i) => i);
  if (workers > 1) order.sort((a, b) => weights[b]! - weights[a]! || a - b);
  const tasks: WorkerTask[] = order.map((i) => ({ configuration: cells[i]![0], walker: cells[i]![1], options: cellOptions, ...(splitAbove !== undefined ? { splitAbove } : {}) }));
  // Executions of the finished cells, and of each running task's cell so far with its fraction.
  const live = new Map<number, { executions: number; fraction: number }>();
  let base = 0;
  let done = 0;
  let work = 0;
  await runWarm<WorkerTask, WorkerMessage>(new URL('./worker.js', import.meta.url), tasks, {
    threads: workers,
    isLast: (m) => m.type === 'cell',
    onMessage: (m, t) => {
      let at: string | undefined;
      if (m.type === 'progress') {
        live.set(t, { executions: m.executions, fraction: m.fraction });
        at = m.at;
      } else {
        live.delete(t);
        base += m.cell.executions;
        work += weights[order[t]!]!;
        results.set(key(m.cell.configuration, m.cell.walker), m.cell);
        done++;
      }
      let executions = base;
      let running = 0;
      let runningWork = work;
      for (const [task, p] of live) {
        executions += p.executions;
        running += p.fraction;
        runningWork += p.fraction * weights[order[task]!]!;
      }
      onProgress(executions, done, at, running, runningWork);
      if (m.type === 'cell') onCell?.(m.cell);
    },
    ...(signal !== undefined ? { signal } : {}),
  });
  return finished();
}
