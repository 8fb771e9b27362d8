#!/usr/bin/env node
/**
 * The study's throughput: executions per second of one worker on the default parent, for a
 * representative set of cells (configuration × walker: a bug cell with its minimisation, unreachable
 * and verified cells, the 6.8–6.18 marker recovery and 7.0's teardown) at a preemption bound.
 * Each run studies every cell of the set once; the figure is the median over RUNS runs of the set's
 * executions divided by its time — wall-clock time, and this thread's CPU time, which a machine
 * shared with other jobs inflates far less. Per cell, the median of its own rates. The load average
 * is printed with the figures. Run after `npm run build` (`npm run bench:study`).
 *
 * `--table` measures the study's whole table instead — every configuration (the real kernels and the
 * counterfactuals) × every column walker, each cell once per run, as one worker of `mapletree study`
 * would if it ran them all: the set is the cells that cost the most, the table is what a study does.
 *
 * V8 runs as `mapletree` runs it, with allocation-site pretenuring off (src/cli/main.ts);
 * `--pretenuring` leaves V8's default on, for an A/B of the flag.
 */
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { performance } from 'node:perf_hooks';
import { studyCell, STUDY_CONFIGURATIONS } from '../dist/study/study.js';
import { WALKER_NAMES } from '../dist/study/walker-names.js';

const RUNS = Number(process.env.RUNS ?? 10);
const BOUND = Number(process.env.BOUND ?? 1);
const TABLE = process.argv.includes('--table');
const PRETENURING = process.argv.includes('--pretenuring');
if (!PRETENURING) setFlagsFromString('--no-allocation-site-pretenuring');
const CELLS = TABLE
  ? STUDY_CONFIGURATIONS.flatMap((configuration) => WALKER_NAMES.map((walker) => [configuration, walker]))
  : [['6.10-6.11.6', 'swapoff'], ['6.12.51-6.12.82', 'uprobe'], ['6.18', 'swapoff'], ['7.0', 'swapoff'], ['7.0', 'ksmd']];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Seconds of CPU this process has used since `since` (process.cpuUsage). */
function cpuSeconds(since) {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

const load = [loadavg()[0]];
const options = { bound: BOUND, strategy: 'dpor' };
for (const [configuration, walker] of CELLS) studyCell(configuration, walker, options);
const cells = CELLS.map(([configuration, walker]) => ({ configuration, walker, outcome: '', executions: 0, wall: [], cpu: [] }));
const setWall = [];
const setCpu = [];
for (let r = 0; r < RUNS; r++) {
  let executions = 0;
  let wall = 0;
  let cpu = 0;
  for (const c of cells) {
    const t0 = performance.now();
    const u0 = process.cpuUsage();
    const cell = studyCell(c.configuration, c.walker, options);
    const w = (performance.now() - t0) / 1000;
    const u = cpuSeconds(u0);
    c.outcome = cell.outcome;
    c.executions = cell.executions;
    c.wall.push(cell.executions / w);
    c.cpu.push(cell.executions / u);
    executions += cell.executions;
    wall += w;
    cpu += u;
  }
  setWall.push(executions / wall);
  setCpu.push(executions / cpu);
}
load.push(loadavg()[0]);
const rows = cells.map((c) => ({
  configuration: c.configuration, walker: c.walker, outcome: c.outcome, executions: c.executions,
  executionsPerSecond: Math.round(median(c.wall)), executionsPerCpuSecond: Math.round(median(c.cpu)),
}));
const set = { executions: rows.reduce((n, r) => n + r.executions, 0), executionsPerSecond: Math.round(median(setWall)), executionsPerCpuSecond: Math.round(median(setCpu)) };
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ benchmark: TABLE ? 'study-table' : 'study', pretenuring: PRETENURING, bound: BOUND, runs: RUNS, node: process.version, loadAverage: load, set, rows }, null, 2));
} else {
  console.log(`study throughput${TABLE ? ' (the whole table)' : ''}, one worker, default parent, bound ${BOUND}, median of ${RUNS} runs (node ${process.version}${PRETENURING ? ', V8 pretenuring on' : ''}; load average ${load.map((l) => l.toFixed(1)).join(' → ')})`);
  console.log(`  ${'cell'.padEnd(32)} ${'outcome'.padEnd(12)} ${'executions'.padStart(10)} ${'exec/s'.padStart(8)} ${'exec/cpu-s'.padStart(11)}`);
  // The table's 126 cells are shown by outcome: each group's executions over its cells' median times.
  const shown = TABLE ? [...new Set(rows.map((r) => r.outcome))].map((o) => rows.filter((r) => r.outcome === o)).map((group) => {
    const executions = group.reduce((n, r) => n + r.executions, 0);
    const rate = (key) => Math.round(executions / group.reduce((t, r) => t + r.executions / r[key], 0));
    return { label: `${group.length} ${group[0].outcome} cells`, outcome: group[0].outcome, executions, executionsPerSecond: rate('executionsPerSecond'), executionsPerCpuSecond: rate('executionsPerCpuSecond') };
  }) : rows;
  for (const r of shown) {
    console.log(`  ${(r.label ?? `${r.configuration} × ${r.walker}`).padEnd(32)} ${r.outcome.padEnd(12)} ${String(r.executions).padStart(10)} ${String(r.executionsPerSecond).padStart(8)} ${String(r.executionsPerCpuSecond).padStart(11)}`);
  }
  console.log(`  ${(TABLE ? 'the table' : 'the set').padEnd(32)} ${''.padEnd(12)} ${String(set.executions).padStart(10)} ${String(set.executionsPerSecond).padStart(8)} ${String(set.executionsPerCpuSecond).padStart(11)}`);
}
