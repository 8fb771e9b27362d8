/**
 * `mapletree study` (and `npm start`): the headline study — which kernel configuration lets which
 * walker crash on a half-built mm after a failed fork. Cells run on worker threads; the result is a
 * table in the terminal, counterexamples with lane tables and replay tokens, an HTML report, or one
 * JSON object with --json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { SingleBar } from 'cli-progress';
import pc from 'picocolors';
import { int } from './args.js';
import { htmlReport, laneTable } from '../explore/report.js';
import { traceToken } from '../explore/trace.js';
import { Kernel } from '../mm/kernel.js';
import { addVmas } from '../mm/layout.js';
import { formatMaps } from '../mm/maps.js';
import { DEFAULT_PARENT, WALKER_NAMES, type WalkerName } from '../mm/scenario.js';
import { STUDY_CONFIGURATIONS, studyCell, type StudyCell, type StudyResult } from '../mm/study.js';
import type { WorkerJob, WorkerMessage } from './study-worker.js';

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

/** Runs the cells, spread over `workers` threads (1: in this thread). */
async function runCells(cells: Array<[string, WalkerName]>, bound: number, maxExecutions: number, strategy: 'dfs' | 'dpor', workers: number,
  onProgress: (executions: number, cellsDone: number) => void): Promise<StudyCell[]> {
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
    const jobs: Array<Array<[string, WalkerName]>> = Array.from({ length: workers }, () => []);
    cells.forEach((c, i) => jobs[i % workers]!.push(c));
    const totals = new Array<number>(workers).fill(0);
    const bases = new Array<number>(workers).fill(0);
    let done = 0;
    const workerUrl = new URL('./study-worker.js', import.meta.url);
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

function cellText(c: StudyCell): string {
  if (c.outcome === 'bug') return `✗ ${c.kind} (${c.traceLength} steps)`;
  return `✓ verified (${c.executions} runs)${c.exhaustive ? '' : ' capped'}`;
}

function studyHtml(result: StudyResult, walkers: readonly WalkerName[], configurations: readonly string[]): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rows = configurations.map((conf) => `<tr><th>${esc(conf)}</th>${walkers.map((w) => {
    const c = result.results.find((r) => r.configuration === conf && r.walker === w)!;
    return c.outcome === 'bug'
      ? `<td class="bug"><a href="${esc(`${conf}--${w}.html`)}">${esc(c.kind!)}</a><br><small>${esc(c.failurePoint ?? '')}<br>${c.traceLength} steps, found after ${c.executionsToFirstBug} executions</small></td>`
      : `<td class="ok">verified<br><small>${c.executions} executions, bound ${c.bound}</small></td>`;
  }).join('')}</tr>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mapletree study: dup_mmap failure recovery</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:6px 10px;text-align:left;vertical-align:top}.bug{background:#ffd6d6}.ok{background:#dff5df}
small{color:#555}</style></head><body>
<h1>fork failure × walkers</h1>
<p>Each cell: fork fails at every point (a fatal signal at each of the parent's ${result.parentVmas} VMAs, and every n-th allocation),
and the explorer tries every interleaving of fork and the walker with up to ${result.bound} preemptions.
${result.executions} executions in ${(result.timeMs / 1000).toFixed(1)} s. Click a bug for its trace.</p>
<table><tr><th>configuration</th>${walkers.map((w) => `<th>${esc(w)}</th>`).join('')}</tr>
${rows.join('\n')}</table></body></html>
`;
}

export async function runStudyCli(opts: StudyCliOptions, log: (s: string) => void = console.log): Promise<number> {
  const bound = int(opts.bound, 'bound');
  const maxExecutions = int(opts.maxExecutions, 'max-executions');
  const strategy = opts.strategy ?? 'dpor';
  if (strategy !== 'dfs' && strategy !== 'dpor') throw new RangeError(`--strategy: the study searches exhaustively with dfs or dpor, got ${JSON.stringify(strategy)}`);
  const configurations = list(opts.config, STUDY_CONFIGURATIONS, 'config');
  const walkers = list(opts.walker, WALKER_NAMES, 'walker');
  const workers = opts.workers !== undefined ? Math.max(1, int(opts.workers, 'workers')) : Math.min(2, availableParallelism());
  const cells: Array<[string, WalkerName]> = [];
  for (const c of configurations) for (const w of walkers) cells.push([c, w]);

  const showProgress = opts.progress !== false && !opts.json && process.stderr.isTTY === true;
  const bar = showProgress ? new SingleBar({
    format: ' {bar} {value}/{total} cells · {executions} executions', barCompleteChar: '█', barIncompleteChar: '░', hideCursor: true,
  }, undefined) : null;
  bar?.start(cells.length, 0, { executions: 0 });
  const t0 = performance.now();
  const results = await runCells(cells, bound, maxExecutions, strategy, workers, (executions, done) => bar?.update(done, { executions }));
  bar?.stop();
  const result: StudyResult = {
    bound, parentVmas: DEFAULT_PARENT.length, results,
    executions: results.reduce((n, c) => n + c.executions, 0), timeMs: performance.now() - t0,
  };

  if (opts.json) {
    log(JSON.stringify({
      study: 'dup_mmap failure recovery × walkers', bound, strategy, parentVmas: result.parentVmas, workers,
      executions: result.executions, timeMs: Math.round(result.timeMs),
      results: results.map((c) => ({
        configuration: c.configuration, walker: c.walker, outcome: c.outcome,
        ...(c.kind !== undefined ? { kind: c.kind, message: c.message, failurePoint: c.failurePoint } : {}),
        executions: c.executions, timeMs: Math.round(c.timeMs * 10) / 10,
        ...(c.trace ? {
          executionsToFirstBug: c.executionsToFirstBug, timeToFirstBugMs: Math.round(c.timeToFirstBugMs! * 10) / 10,
          traceLength: c.traceLength, token: traceToken(c.trace), trace: c.trace,
        } : {}),
        failurePoints: c.failurePoints, bound: c.bound, exhaustive: c.exhaustive,
      })),
    }, null, 2));
    return 0;
  }

  log(pc.bold('mapletree study') + pc.dim(' — fork() fails half way; who can reach the half-built child?'));
  log(pc.dim(`Parent process (${result.parentVmas} VMAs; some heap and stack pages on swap):`));
  const kernel = new Kernel();
  const shown = kernel.createMm();
  addVmas(kernel, shown, DEFAULT_PARENT);
  for (const line of formatMaps(shown).trimEnd().split('\n')) log(pc.dim(`  ${line}`));
  log('');
  const width = 27;
  log(`${'configuration'.padEnd(30)}${walkers.map((w) => w.padEnd(width)).join('')}`);
  for (const conf of configurations) {
    const cols = walkers.map((w) => {
      const c = results.find((r) => r.configuration === conf && r.walker === w)!;
      const text = cellText(c).padEnd(width);
      return c.outcome === 'bug' ? pc.red(text) : pc.green(text);
    });
    log(`${conf.padEnd(30)}${cols.join('')}`);
  }
  log('');
  log(pc.dim(`✗: the walker crashes the kernel (the minimal counterexample's length); ✓: no violation in any interleaving with up to ${bound} ` +
    `preemption${bound === 1 ? '' : 's'}, for every failure point (a fatal signal at each VMA, every n-th allocation).`));
  log(pc.dim(`${result.executions} executions (${strategy}) in ${(result.timeMs / 1000).toFixed(1)} s on ${workers} worker${workers === 1 ? '' : 's'}.`));

  // One counterexample per walker from the first configuration that has it.
  for (const w of walkers) {
    const c = results.find((r) => r.walker === w && r.trace);
    if (!c?.trace) continue;
    log('');
    log(pc.bold(`${w} under ${c.configuration}: ${c.message}`));
    log(pc.dim(`fork failure: ${c.failurePoint}; found after ${c.executionsToFirstBug} executions (${c.timeToFirstBugMs!.toFixed(0)} ms); ` +
      `${c.trace.stats.steps} steps, ${c.trace.stats.preemptions} preemption(s)`));
    const tail = { ...c.trace, events: c.trace.events.slice(-14) };
    log(laneTable(tail, 44));
    log(pc.dim(`replay: mapletree replay ${traceToken(c.trace)}`));
  }
  if (opts.html !== false) {
    const dir = opts.html ?? 'mapletree-study';
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.html'), studyHtml(result, walkers, configurations));
    for (const c of results) if (c.trace) writeFileSync(join(dir, `${c.configuration}--${c.walker}.html`), htmlReport(c.trace, traceToken(c.trace)));
    log('');
    log(pc.dim(`HTML report: ${join(dir, 'index.html')}`));
  }
  return 0;
}
