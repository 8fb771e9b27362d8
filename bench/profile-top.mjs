#!/usr/bin/env node
/**
 * The hottest functions of a V8 CPU profile by self time, for BENCHMARKS.md.
 * node --expose-gc --cpu-prof --cpu-prof-dir=/tmp/prof bench/worker.mjs maple rand-store 1e6 31
 * node bench/profile-top.mjs /tmp/prof/<file>.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

const [file, topArg = '10'] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const selfUs = new Map();
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
// Each sample names the node on top of the stack; the time to the next sample is its self time.
for (let i = 0; i < prof.samples.length; i++) {
  const n = byId.get(prof.samples[i]);
  const cf = n.callFrame;
  const key = `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^.*\/(src|dist|bench|node_modules)\//, '$1/')}:${cf.lineNumber + 1}`;
  selfUs.set(key, (selfUs.get(key) ?? 0) + (prof.timeDeltas[i + 1] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const top = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg));
for (const [k, us] of top) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
