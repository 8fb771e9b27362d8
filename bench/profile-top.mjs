#!/usr/bin/env node
/**
 * The hottest functions of a V8 CPU profile, by self time and by inclusive time (a function's own
 * time plus that of everything it called; a sample counts once per function however often the
 * function is on its stack), for BENCHMARKS.md.
 * node --expose-gc --cpu-prof --cpu-prof-dir=/tmp/prof bench/worker.mjs maple rand-store 1e6 31
 * node bench/profile-top.mjs /tmp/prof/<file>.cpuprofile [more.cpuprofile …] [top]
 * Several profiles (bench/worker.mjs's BENCH_CPU_PROFILE_RUNS) are summed.
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const topArg = /^\d+$/.test(args.at(-1) ?? '') ? args.pop() : '10';
if (args.length === 0) throw new Error('usage: node bench/profile-top.mjs <file.cpuprofile> [more …] [top]');
const keyOf = (n) => {
  const cf = n.callFrame;
  return `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^.*\/(src|dist|bench|node_modules)\//, '$1/')}:${cf.lineNumber + 1}`;
};
const selfUs = new Map();
const inclUs = new Map();
// Each sample names the node on top of the stack; the time to the next sample is its self time,
// and inclusive time for every function on the stack below it.
for (const file of args) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (let i = 0; i < prof.samples.length; i++) {
    const us = prof.timeDeltas[i + 1] ?? 0;
    const stack = [];
    for (let n = byId.get(prof.samples[i]); n !== undefined; n = byId.get(parent.get(n.id))) stack.push(keyOf(n));
    // The inspector's own start and stop (bench/worker.mjs's profiled runs) are not the workload.
    if (stack.some((k) => k.startsWith('post node:inspector'))) continue;
    selfUs.set(stack[0], (selfUs.get(stack[0]) ?? 0) + us);
    for (const k of new Set(stack)) inclUs.set(k, (inclUs.get(k) ?? 0) + us);
  }
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const n = Number(topArg);
console.log(`self (${(total / 1000).toFixed(1)} ms sampled)`);
for (const [k, us] of [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(us)}  ${k}`);
console.log('inclusive (the profile\'s roots and the bench\'s own frames left out)');
const skip = /^\((root|program|idle)\) |^evaluate :0|bench\/|node:/;
for (const [k, us] of [...inclUs.entries()].filter(([k]) => !skip.test(k)).sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(us)}  ${k}`);
