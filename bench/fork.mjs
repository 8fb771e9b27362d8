#!/usr/bin/env node
/**
 * Benchmark of the fork model: dup_mmap of a process with 1,000 VMAs (every tenth one with
 * anonymous pages, some of them on swap), then the child's exit — and the same with the copy
 * failing half way under each recovery. Reports the median of the runs, per fork and per VMA, so
 * regressions in the model or the tree under it show. Run after `npm run build`.
 */
import { performance } from 'node:perf_hooks';
import { runSync } from '../dist/explore/sync.js';
import { dupMm } from '../dist/mm/fork.js';
import { mmput } from '../dist/mm/exit.js';
import { Kernel } from '../dist/mm/kernel.js';
import { createMm } from '../dist/mm/mm.js';
import { kernelConfig } from '../dist/mm/config.js';
import { addVmas } from '../dist/mm/layout.js';
import { generatedParentSpecs } from './generated-parent.mjs';

const VMAS = 1000;
const RUNS = Number(process.env.RUNS ?? 15);

function parent(config) {
  const kernel = new Kernel(kernelConfig(config));
  const mm = createMm(kernel);
  const specs = generatedParentSpecs(VMAS);
  addVmas(kernel, mm, specs);
  return { kernel, mm };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function bench(name, config, failAt) {
  const times = [];
  for (let r = 0; r < RUNS + 3; r++) {
    const { kernel, mm } = parent(config);
    let n = 0;
    const t0 = performance.now();
    const child = runSync(dupMm(kernel, mm), { allocate: () => ++n !== failAt });
    if (child) runSync(mmput(child, 'bench'));
    const dt = performance.now() - t0;
    if (r >= 3) times.push(dt);
  }
  const ms = median(times);
  return { name, config, medianMs: Math.round(ms * 1000) / 1000, usPerVma: Math.round((ms * 1000 / VMAS) * 100) / 100 };
}

const rows = [
  bench('fork + exit, 1000 VMAs', '7.0', 0),
  bench('fork failing half way (xa-zero recovery) + exit', '6.18', 1000),
  bench('fork failing half way (teardown recovery) + exit', '7.0', 1000),
];
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ benchmark: 'fork', vmas: VMAS, runs: RUNS, node: process.version, rows }, null, 2));
} else {
  console.log(`fork model: dup_mm + exit of a ${VMAS}-VMA process, median of ${RUNS} runs (node ${process.version})`);
  for (const r of rows) console.log(`  ${r.name.padEnd(50)} ${String(r.medianMs).padStart(9)} ms  ${String(r.usPerVma).padStart(7)} µs/VMA`);
}
