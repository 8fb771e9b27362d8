#!/usr/bin/env node
/**
 * A/B of two builds of our tree in ONE process, by CPU time: both builds are imported, each builds
 * its own tree over the same 1e6-range layout, and batches of the same operations alternate
 * A B, B A, ... so both see the same minute of a loaded machine. This separates a 5–10 % change
 * where bench/ab.mjs (a process per side) cannot.
 *   node --expose-gc bench/ab-inproc.mjs /tmp/a /tmp/b <workload> <keyspace 31|52> [batch] [rounds] [cold]
 * A and B are directories holding dist/ and bench/ (see bench/ab.mjs). Workloads, in steady state
 * on the tree as it goes (the batches of a mutating workload continue where the last one left):
 *   seq-store   a fresh tree of the layout's first `batch` ranges, per batch
 *   load        `batch` random point loads (the same ones every batch)
 *   rand-store  `batch` random range stores of up to two strides
 *   erase       `batch` erases of distinct ranges, each hit inside
 *   gap-rev     `batch` highest-fit searches below a random point (bench/workloads.mjs's size)
 *   alloc       `batch` lowest-fit allocations above a random point
 * The read-only workloads (load, gap-rev) repeat the same `batch` queries every batch, so after the
 * first batch the nodes they touch are in cache; with `cold` every batch has queries of its own,
 * and the cache misses of a walk through a 1e6-range tree (which a layout change is about) count.
 * After the builds a full GC runs (with --expose-gc; without it the first batches pay for the
 * builds' garbage), then six warm-up batches are dropped; prints the median and lower-quartile
 * ns/op of each side, B ÷ A for both, every batch's figure and the load average. The two sides'
 * checksums must agree batch by batch. Run it both ways round (A B, then B A): on erase at a load
 * of 20 the side built first read up to 10 % slower whichever build it was.
 */
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mulberry32, randInt } from './prng.mjs';

const WARM = 6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** The lower quartile: interference only ever adds time, so it is the steadier figure when a few
 *  batches are hit hard. */
const quartile = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 4)];
const val = (i) => (i & 0xffff) + 1;

const [dirA, dirB, workload, keyspace, batchArg = '1000', roundsArg = '12', coldArg] = process.argv.slice(2);
const KINDS = ['seq-store', 'load', 'rand-store', 'erase', 'gap-rev', 'alloc'];
if (!dirA || !dirB || !KINDS.includes(workload) || !['31', '52'].includes(keyspace)) {
  throw new Error(`usage: node bench/ab-inproc.mjs <dirA> <dirB> <${KINDS.join('|')}> <31|52> [batch] [rounds]`);
}
const batch = Number(batchArg);
const rounds = Number(roundsArg);
if (coldArg !== undefined && coldArg !== 'cold') throw new Error(`the seventh argument is 'cold' or nothing, not ${coldArg}`);
const readOnly = coldArg === undefined && (workload === 'load' || workload === 'gap-rev' || workload === 'seq-store');

async function side(dir) {
  const at = (file) => pathToFileURL(join(resolve(dir), file)).href;
  const { OursMap } = await import(at('bench/adapters/ours.mjs'));
  const { build, layout } = await import(at('bench/workloads.mjs'));
  const { MAX_INDEX } = await import(at('dist/index.js'));
  const L = layout(1e6, keyspace);
  const alloc = workload === 'alloc' || workload === 'gap-rev';
  return { OursMap, L, MAX_INDEX, m: workload === 'seq-store' ? null : build((o) => new OursMap(o), L, { alloc }) };
}

const A = await side(dirA);
const B = await side(dirB);
const L = A.L;
const size = Math.floor(Math.floor(L.stride / 2) * 0.99);
const total = batch * (readOnly ? 1 : rounds + WARM);
const rng = mulberry32(11);
const first = new Float64Array(total);
const last = new Float64Array(total);
const taken = new Set();
for (let k = 0; k < total; k++) {
  if (workload === 'erase') {
    let i;
    do i = randInt(rng, L.n); while (taken.has(i));
    taken.add(i);
    first[k] = L.first[i] + randInt(rng, L.last[i] - L.first[i] + 1);
  } else {
    first[k] = L.base + randInt(rng, L.span);
    last[k] = first[k] + randInt(rng, 2 * L.stride);
  }
}

function run(S, from) {
  const m = S.m;
  const to = from + batch;
  let sum = 0;
  switch (workload) {
    case 'seq-store': {
      const t = new S.OursMap();
      for (let i = 0; i < batch; i++) t.store(L.first[i], L.last[i], val(i));
      return t.tree.height;
    }
    case 'load':
      for (let k = from; k < to; k++) if (m.load(first[k]) !== undefined) sum++;
      return sum;
    case 'rand-store':
      for (let k = from; k < to; k++) m.store(first[k], last[k], val(k));
      return m.load(first[from]);
    case 'erase':
      for (let k = from; k < to; k++) if (m.erase(first[k]) !== undefined) sum++;
      return sum;
    case 'gap-rev':
      for (let k = from; k < to; k++) sum += m.gapRev(L.base, first[k], size) - L.base;
      return sum;
    case 'alloc':
      for (let k = from; k < to; k++) sum += m.alloc(size, val(k), first[k], S.MAX_INDEX) - L.base;
      return sum;
  }
  return sum;
}

globalThis.gc?.();
const ns = { A: [], B: [] };
for (let r = 0; r < rounds + WARM; r++) {
  const from = readOnly ? 0 : r * batch;
  const checks = [];
  for (const name of r % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
    const t = process.cpuUsage();
    checks.push(run(name === 'A' ? A : B, from));
    const d = process.cpuUsage(t);
    if (r >= WARM) ns[name].push(((d.user + d.system) * 1000) / batch);
  }
  if (checks[0] !== checks[1]) throw new Error(`batch ${r}: checksums differ (${checks[0]} vs ${checks[1]})`);
}
const ma = median(ns.A);
const mb = median(ns.B);
const qa = quartile(ns.A);
const qb = quartile(ns.B);
const list = (xs) => xs.map((x) => x.toFixed(0)).join(' ');
console.log(`${workload} 1e6 keys<2^${keyspace}, ${rounds} batches of ${batch}, CPU ns/op: median A ${ma.toFixed(0)} B ${mb.toFixed(0)} (B/A ${(mb / ma).toFixed(3)}), lower quartile A ${qa.toFixed(0)} B ${qb.toFixed(0)} (B/A ${(qb / qa).toFixed(3)}); load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`  A: ${list(ns.A)}\n  B: ${list(ns.B)}`);
