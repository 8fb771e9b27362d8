#!/usr/bin/env node
/**
 * A/B of two builds on bench/study.mjs, a process per run, alternating A B, B A, … so that both
 * sides see the same minutes of a shared machine. Each process runs in its own session with its
 * scheduler group raised to autogroup -20 (BRIEF.md: nice alone does nothing between sessions),
 * runs the bench's set RUNS times after its warm-up pass, and reports its median; this prints
 * every pair, the medians of the set (wall clock and CPU) and each cell's, with B ÷ A, and the
 * load average before and after. Both sides must run the same executions (checked).
 *   mkdir -p /tmp/a && cp -r dist bench package.json /tmp/a && ln -s "$PWD/node_modules" /tmp/a/
 *   (change, npm run build, the same into /tmp/b)
 *   node bench/study-ab.mjs /tmp/a /tmp/b [pairs=6] [runs=3]
 * AFLAGS / BFLAGS: node options for one side (e.g. BFLAGS=--max-semi-space-size=32).
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';

const [a, b, pairs = '6', runs = '3'] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node bench/study-ab.mjs <dir A> <dir B> [pairs] [runs]');
  process.exit(2);
}
const dirs = { A: resolve(a), B: resolve(b) };
const flags = { A: process.env.AFLAGS ?? '', B: process.env.BFLAGS ?? '' };
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const wall = { A: [], B: [] };
const cpu = { A: [], B: [] };
const cells = { A: new Map(), B: new Map() };
const executions = { A: 0, B: 0 };

function run(side) {
  const script = `echo -20 > /proc/$$/autogroup; cd '${dirs[side]}' && exec env RUNS=${Number(runs)} node ${flags[side]} bench/study.mjs --json`;
  const out = JSON.parse(execFileSync('setsid', ['bash', '-c', script], { encoding: 'utf8' }));
  wall[side].push(out.set.executionsPerSecond);
  cpu[side].push(out.set.executionsPerCpuSecond);
  executions[side] = out.set.executions;
  for (const r of out.rows) {
    const key = `${r.configuration} × ${r.walker}`;
    if (!cells[side].has(key)) cells[side].set(key, []);
    cells[side].get(key).push(r.executionsPerSecond);
  }
}

const load = [loadavg()[0]];
for (let i = 0; i < Number(pairs); i++) {
  for (const side of i % 2 === 0 ? ['A', 'B'] : ['B', 'A']) run(side);
  console.log(`pair ${i + 1}: A ${wall.A.at(-1)} B ${wall.B.at(-1)} exec/s`);
}
load.push(loadavg()[0]);
if (executions.A !== executions.B) console.log(`the two sides ran different executions: A ${executions.A}, B ${executions.B}`);
const ratio = (xs) => (median(xs.B) / median(xs.A)).toFixed(3);
console.log(`load average ${load.map((l) => l.toFixed(1)).join(' → ')}; ${executions.A} executions per set`);
console.log(`the set, wall: A ${median(wall.A)} B ${median(wall.B)} exec/s (×${ratio(wall)}); per CPU-second: A ${median(cpu.A)} B ${median(cpu.B)} (×${ratio(cpu)})`);
for (const [key, xs] of cells.A) {
  const ys = cells.B.get(key) ?? [];
  console.log(`  ${key.padEnd(32)} A ${String(median(xs)).padStart(6)} B ${String(median(ys)).padStart(6)} ×${(median(ys) / median(xs)).toFixed(3)}`);
}
