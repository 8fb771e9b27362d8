#!/usr/bin/env node
/**
 * The study on a large parent: a generated process of N VMAs (every tenth anonymous with pages,
 * some on swap; the rest file-backed, as in bench/fork.mjs). For one cell it reports, per failure
 * point searched, the executions, the steps per execution and the time per step — what BENCHMARKS.md's
 * "Large parents" section measures — and with --cell the whole cell, its failure points too. Run
 * after `npm run build`.
 *   node bench/large-parent.mjs --vmas 100 [--config 7.0] [--walker swapoff] [--bound 1] [--strategy dpor|dfs]
 *     [--points signal@50,alloc@3 | --cell] [--json]
 * With --study, every cell of the default study (or --configs, --walkers) is run as the study runs
 * it for its first --exact points (a bug cell usually ends there: exact), then estimated from
 * --samples points of each remaining sweep, evenly spread, each searched and timed (CPU), the
 * rest the piecewise-linear sum between them, a sweep's last point counted alone; a sample that
 * finds a bug ends the cell there (the real cell stops at its first bug, which may be earlier: an
 * upper bound). A sweep that runs past its estimate (uprobe's) is not counted past it.
 *   node bench/large-parent.mjs --vmas 1000 --study [--exact 25] [--samples 5] [--configs 6.18,7.0] [--walkers swapoff,uprobe]
 * --unreduced searches as before the fork declared its footprint (StudyOptions.forkFootprint false).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generatedParentSpecs } from './generated-parent.mjs';
import { explore } from '../dist/explore/explore.js';
import { takeReaches } from '../dist/study/model.js';
import { cellAssembly, cellPointEstimate, failureKindsOf, pointResult, pointSearch, STUDY_CONFIGURATIONS } from '../dist/study/study.js';
import { forkAllocations, walkerNotApplicable, WALKER_NAMES } from '../dist/study/scenario.js';
import { kernelConfig } from '../dist/mm/config.js';

const { values } = parseArgs({
  options: {
    vmas: { type: 'string', default: '100' },
    config: { type: 'string', default: '7.0' },
    walker: { type: 'string', default: 'swapoff' },
    bound: { type: 'string', default: '1' },
    strategy: { type: 'string', default: 'dpor' },
    points: { type: 'string' },
    cell: { type: 'boolean', default: false },
    study: { type: 'boolean', default: false },
    samples: { type: 'string', default: '5' },
    exact: { type: 'string', default: '25' },
    configs: { type: 'string' },
    walkers: { type: 'string' },
    json: { type: 'boolean', default: false },
    unreduced: { type: 'boolean', default: false },
  },
});

/** The generated parent of `n` VMAs (bench/generated-parent.mjs), with its uprobe. */
export function largeParent(n) {
  const specs = generatedParentSpecs(n);
  // The probe goes in an executable library the parent maps (lib3.so first backs VMA 3).
  return { specs, uprobe: { path: '/lib/lib3.so', offset: 0 } };
}

const vmas = Number(values.vmas);
const parent = largeParent(vmas);
const options = { parent, bound: Number(values.bound), strategy: values.strategy, ...(values.unreduced ? { forkFootprint: false } : {}) };
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
/** CPU milliseconds of one point's search, and its result as the cell assembly takes it. */
function cpuPoint(config, walkerSet, point) {
  const c0 = process.cpuUsage();
  const { model, variant, label, search } = pointSearch(config, walkerSet, point, options);
  takeReaches(model, variant);
  const r = explore(search);
  const reached = [...takeReaches(model, variant)];
  const c = process.cpuUsage(c0);
  const ms = (c.user + c.system) / 1000;
  return { ms, r, result: pointResult(point, label, options.bound, r, reached, ms) };
}
/**
 * The points after the first `from` of a sweep of `n` (index i → point), sampled at `k` evenly
 * spread indices up to the one before last, summed piecewise-linearly from `prev`; the last point
 * is searched and counted alone (an allocation sweep's last is the fork completing, a search of
 * its own: 1,023 executions with ksmd at 1,000 VMAs, against 8 for the point before it).
 */
function estimateSweep(config, walkerSet, from, n, pointAt, k, prev, samples) {
  const end = n - 2;
  const at = [...new Set(Array.from({ length: k }, (_, j) => from + Math.round((j * (end - from)) / Math.max(k - 1, 1))))].filter((i) => i >= from && i <= end);
  if (n - 1 >= from) at.push(n - 1);
  let ms = 0;
  for (const i of at) {
    const m = cpuPoint(config, walkerSet, pointAt(i));
    samples.push({ point: i, ms: m.ms, executions: m.r.executions, steps: m.r.steps });
    if (i === n - 1 && i > end) ms += m.ms;
    else ms += prev ? ((m.ms + prev.ms) / 2) * (i - prev.i) : m.ms * (i - from + 1);
    if (m.r.outcome === 'bug') return { ms, bugAt: i };
    prev = { i, ms: m.ms };
  }
  return { ms };
}
if (values.study) {
  const configs = values.configs?.split(',') ?? STUDY_CONFIGURATIONS;
  const walkerSets = values.walkers?.split(',') ?? WALKER_NAMES;
  const k = Number(values.samples);
  const exact = Number(values.exact);
  let total = 0;
  for (const config of configs) {
    for (const w of walkerSets) {
      const set = w.split('+');
      const na = set.map((x) => walkerNotApplicable(x, parent, set)).find((x) => x !== null);
      if (na) {
        rows.push({ config, walker: w, outcome: 'n/a', ms: 0 });
        continue;
      }
      // The cell itself for its first `exact` points (a bug cell usually ends there), then samples.
      const assembly = cellAssembly(config, set, options);
      let next = assembly.next();
      let ms = 0;
      let n = 0;
      const allocsSeen = [];
      while (!next.done && n < exact) {
        const m = cpuPoint(config, set, next.value);
        ms += m.ms;
        n++;
        if (next.value.kind === 'alloc') allocsSeen.push(m.ms);
        next = assembly.next(m.result);
      }
      let outcome;
      const samples = [];
      if (next.done) outcome = `${next.value.outcome} (exact, ${n} points)`;
      else {
        const { allocs, signals } = failureKindsOf(set);
        const sweep = allocs ? forkAllocations(parent, kernelConfig(config), set) + 1 : 0;
        let bug = null;
        const inSignals = next.value.kind === 'signal';
        if (allocs && !inSignals) {
          const e = estimateSweep(config, set, next.value.nth - 1, sweep, (i) => ({ kind: 'alloc', nth: i + 1 }), k, { i: next.value.nth - 2, ms: allocsSeen.at(-1) ?? 0 }, samples);
          ms += e.ms;
          if (e.bugAt !== undefined) bug = `alloc@${e.bugAt + 1}`;
        }
        if (signals && bug === null) {
          const from = inSignals ? next.value.vma : 0;
          const e = estimateSweep(config, set, from, vmas, (i) => ({ kind: 'signal', vma: i }), k, null, samples);
          ms += e.ms;
          if (e.bugAt !== undefined) bug = `signal@${e.bugAt}`;
        }
        outcome = bug ? `bug by ${bug} (estimated, at most)` : 'no bug (estimated)';
      }
      total += ms;
      rows.push({ config, walker: w, outcome, ms: Math.round(ms), exactPoints: n, samples });
      if (!values.json) console.error(`${config.padEnd(16)} ${w.padEnd(14)} ${outcome.padEnd(34)} ~${(ms / 60000).toFixed(1)} min CPU  [${n} exact; ${samples.map((x) => `${x.point}:${x.executions}×${Math.round(x.steps / Math.max(x.executions, 1))} ${Math.round(x.ms)}ms`).join(', ')}]`);
    }
  }
  rows.push({ what: 'whole study (single walkers), estimated', ms: Math.round(total) });
  if (!values.json) console.error(`whole study, single walkers: ~${(total / 3.6e6).toFixed(2)} h of CPU (estimated: exact points, then samples)`);
} else if (values.cell) {
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
else if (values.study) console.log(`${vmas} VMAs, bound ${options.bound}, ${options.strategy} (node ${process.version}), ${out.totalMs} ms in all, ${out.cpuMs} ms of CPU`);
else {
  console.log(`${vmas} VMAs, ${values.config} × ${values.walker}, bound ${options.bound}, ${options.strategy} (node ${process.version}), ${out.totalMs} ms in all, ${out.cpuMs} ms of CPU`);
  for (const r of rows.filter((x) => x.what !== undefined && x.executions !== undefined)) {
    const points = r.failurePoints !== undefined ? `${r.failurePoints} points, ${r.executionsPerPoint} executions/point, ` : '';
    console.log(`  ${r.what.padEnd(34)} ${String(r.outcome).padEnd(12)} ${String(r.executions).padStart(8)} executions ${String(r.ms).padStart(9)} ms  ${points}${r.stepsPerExecution} steps/execution, ${r.usPerStep} µs/step`);
  }
}
