#!/usr/bin/env node
/**
 * The study's throughput: executions per second of one worker on the default parent, per cell
 * (configuration × walker) at a preemption bound, median of RUNS runs of each cell. Run after
 * `npm run build` (`npm run bench:study`). The study's cost is cells × failure points × the
 * interleavings of each, so this figure and the cell count predict a run.
 */
import { performance } from 'node:perf_hooks';
import { studyCell } from '../dist/study/study.js';

const RUNS = Number(process.env.RUNS ?? 10);
const BOUND = Number(process.env.BOUND ?? 1);
const CELLS = [['6.10-6.11.6', 'swapoff'], ['6.12.51-6.12.82', 'uprobe'], ['6.18', 'swapoff'], ['7.0', 'swapoff'], ['7.0', 'ksmd']];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const rows = CELLS.map(([configuration, walker]) => {
  studyCell(configuration, walker, { bound: BOUND, strategy: 'dpor' });
  const rates = [];
  let executions = 0;
  let outcome = '';
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const cell = studyCell(configuration, walker, { bound: BOUND, strategy: 'dpor' });
    rates.push(cell.executions / ((performance.now() - t0) / 1000));
    executions = cell.executions;
    outcome = cell.outcome;
  }
  return { configuration, walker, outcome, executions, executionsPerSecond: Math.round(median(rates)) };
});
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ benchmark: 'study', bound: BOUND, runs: RUNS, node: process.version, rows }, null, 2));
} else {
  console.log(`study throughput, one worker, bound ${BOUND}, median of ${RUNS} runs (node ${process.version})`);
  for (const r of rows) console.log(`  ${`${r.configuration} × ${r.walker}`.padEnd(32)} ${r.outcome.padEnd(12)} ${String(r.executions).padStart(7)} executions  ${String(r.executionsPerSecond).padStart(7)} /s`);
}
