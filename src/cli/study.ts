/**
 * `mapletree study` (and `npm start`): the headline study — which kernel configuration lets which
 * walker crash on a half-built mm after a failed fork. Cells run on worker threads; the result is a
 * table in the terminal, counterexamples with lane tables and replay tokens, an HTML report, or one
 * JSON object with --json.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { SingleBar } from 'cli-progress';
import pc from 'picocolors';
import { int } from './args.js';
import { writeStudyReport } from '../study/html.js';
import { studyJson } from '../study/json.js';
import { runCells, type CellRequest } from '../study/run-cells.js';
import { DEFAULT_PARENT, WALKER_NAMES } from '../study/scenario.js';
import { STUDY_CONFIGURATIONS, type StudyResult } from '../study/study.js';
import { studyTable } from '../study/table.js';

export interface StudyCliOptions {
  bound: string;
  config?: string;
  walker?: string;
  workers?: string;
  maxExecutions: string;
  strategy?: string;
  json?: boolean;
  html?: string | false;
  progress?: boolean;
}

function list<T extends string>(value: string | undefined, all: readonly T[], name: string): T[] {
  if (value === undefined) return [...all];
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const item of items) if (!all.includes(item as T)) throw new RangeError(`--${name}: unknown ${JSON.stringify(item)}; known: ${all.join(', ')}`);
  return items as T[];
}

export async function runStudyCli(opts: StudyCliOptions, log: (s: string) => void = console.log): Promise<number> {
  const bound = int(opts.bound, 'bound');
  const maxExecutions = int(opts.maxExecutions, 'max-executions');
  const strategy = opts.strategy ?? 'dpor';
  if (strategy !== 'dfs' && strategy !== 'dpor') throw new RangeError(`--strategy: the study searches exhaustively with dfs or dpor, got ${JSON.stringify(strategy)}`);
  const configurations = list(opts.config, STUDY_CONFIGURATIONS, 'config');
  const walkers = list(opts.walker, WALKER_NAMES, 'walker');
  const workers = opts.workers !== undefined ? Math.max(1, int(opts.workers, 'workers')) : Math.min(2, availableParallelism());
  const cells: CellRequest[] = [];
  for (const c of configurations) for (const w of walkers) cells.push([c, w]);

  const showProgress = opts.progress !== false && !opts.json && process.stderr.isTTY === true;
  const bar = showProgress ? new SingleBar({
    format: ' {bar} {value}/{total} cells · {executions} executions', barCompleteChar: '█', barIncompleteChar: '░', hideCursor: true,
  }, undefined) : null;
  bar?.start(cells.length, 0, { executions: 0 });
  const t0 = performance.now();
  const results = await runCells(cells, { bound, maxExecutions, strategy, workers, onProgress: (executions, done) => bar?.update(done, { executions }) });
  bar?.stop();
  const result: StudyResult = {
    bound, parentVmas: DEFAULT_PARENT.length, results,
    executions: results.reduce((n, c) => n + c.executions, 0), timeMs: performance.now() - t0,
  };

  if (opts.json) {
    log(JSON.stringify(studyJson(result, { strategy, workers }), null, 2));
    return 0;
  }

  for (const line of studyTable(result, { configurations, walkers, strategy, workers })) log(line);
  if (opts.html !== false) {
    const index = writeStudyReport(opts.html ?? 'mapletree-study', result, walkers, configurations);
    log('');
    log(pc.dim(`HTML report: ${index}`));
  }
  return 0;
}
