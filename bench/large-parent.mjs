#!/usr/bin/env node
/**
 * The study on a large parent: a generated process of N VMAs (every tenth anonymous with pages,
 * some on swap; the rest file-backed, as in bench/fork.mjs). For one cell it reports, per failure
 * point searched, the executions, the steps per execution and the time per step — what BENCHMARKS.md's
 * "Large parents" section measures — and with --cell the whole cell, its failure points too. Run
 * after `npm run build`.
 *   node bench/large-parent.mjs --vmas 100 [--config 7.0] [--walker swapoff] [--bound 1] [--strategy dpor|dfs]
 *     [--points signal@50,alloc@3 | --cell] [--json]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { explore } from '../dist/explore/explore.js';
import { takeReaches } from '../dist/study/model.js';
import { cellAssembly, cellPointEstimate, pointResult, pointSearch } from '../dist/study/study.js';

const { values } = parseArgs({
  options: {
    vmas: { type: 'string', default: '100' },
    config: { type: 'string', default: '7.0' },
    walker: { type: 'string', default: 'swapoff' },
    bound: { type: 'string', default: '1' },
    strategy: { type: 'string', default: 'dpor' },
    points: { type: 'string' },
    cell: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

/** The generated parent of `n` VMAs, as VMA specs. */
export function largeParent(n) {
  const specs = [];
  for (let i = 0; i < n; i++) {
    const start = 0x10000000 + i * 0x20000;
    const anon = i % 10 === 0;
    specs.push(anon
      ? { start, end: start + 0x8000, perms: 'rw-p', resident: 4, swapped: i % 20 === 0 ? 2 : 0 }
      : { start, end: start + 0x4000, perms: i % 3 === 0 ? 'r-xp' : 'r--p', file: { path: `/lib/lib${i % 50}.so`, offset: 0 } });
  }
  // The probe goes in an executable library the parent maps (lib3.so first backs VMA 3).
  return { specs, uprobe: { path: '/lib/lib3.so', offset: 0 } };
}

const vmas = Number(values.vmas);
const parent = largeParent(vmas);
const options = { parent, bound: Number(values.bound), strategy: values.strategy };
const walkers = values.walker.split('+');
const rows = [];
const t0 = performance.now();
/** One failure point's search: its executions, steps and time. */
function searchPoint(point) {
  const t = performance.now();
  const { model, variant, label, search } = pointSearch(values.config, walkers, point, options);
  takeReaches(model, variant);
  const r = explore(search);
  return { label, r, reached: [...takeReaches(model, variant)], ms: performance.now() - t };
}
const row = (what, outcome, executions, steps, ms, points) => ({
  what, outcome, ...(points !== undefined ? { failurePoints: points, executionsPerPoint: Math.round(executions / points) } : {}),
  executions, steps, stepsPerExecution: Math.round(steps / executions), usPerStep: Math.round((ms * 1000) / steps * 10) / 10, ms: Math.round(ms),
});
if (values.cell) {
  // The cell as studyCell assembles it, each point searched here to count its steps.
  const estimate = cellPointEstimate(values.config, walkers, options);
  const assembly = cellAssembly(values.config, walkers, options);
  let points = 0;
  let executions = 0;
  let steps = 0;
  let ms = 0;
  let next = assembly.next();
  while (!next.done) {
    const { label, r, reached, ms: t } = searchPoint(next.value);
    points++;
    executions += r.executions;
    steps += r.steps;
    ms += t;
    next = assembly.next(pointResult(next.value, label, options.bound, r, reached, t));
  }
  rows.push(row(`whole cell (~${estimate} points)`, next.value.outcome, executions, steps, ms, points));
} else {
  for (const p of (values.points ?? `signal@${Math.floor(vmas / 2)}`).split(',')) {
    const [kind, k] = p.split('@');
    const { label, r, ms } = searchPoint(kind === 'signal' ? { kind: 'signal', vma: Number(k) } : { kind: 'alloc', nth: Number(k) });
    rows.push(row(label, r.outcome, r.executions, r.steps, ms));
  }
}
const cpu = process.cpuUsage();
const out = { vmas, config: values.config, walker: values.walker, bound: options.bound, strategy: options.strategy, node: process.version, totalMs: Math.round(performance.now() - t0), cpuMs: Math.round((cpu.user + cpu.system) / 1000), rows };
if (values.json) console.log(JSON.stringify(out, null, 2));
else {
  console.log(`${vmas} VMAs, ${values.config} × ${values.walker}, bound ${options.bound}, ${options.strategy} (node ${process.version}), ${out.totalMs} ms in all, ${out.cpuMs} ms of CPU`);
  for (const r of rows) {
    const points = r.failurePoints !== undefined ? `${r.failurePoints} points, ${r.executionsPerPoint} executions/point, ` : '';
    console.log(`  ${r.what.padEnd(34)} ${String(r.outcome).padEnd(12)} ${String(r.executions).padStart(8)} executions ${String(r.ms).padStart(9)} ms  ${points}${r.stepsPerExecution} steps/execution, ${r.usPerStep} µs/step`);
  }
}
