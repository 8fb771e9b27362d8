#!/usr/bin/env node
/**
 * One library, one workload, one size, one key space, in a process of its own so JIT feedback
 * and heap state never leak between libraries. Prints one JSON line on stdout.
 * Usage: node --expose-gc bench/worker.mjs <lib> <workload> <size> <keyspace> [runs] [warmup]
 * With BENCH_CPU_PROFILE=<file.cpuprofile> it profiles one timed run instead (not the untimed
 * build, which `node --cpu-prof` would include); read it with bench/profile-top.mjs. With
 * BENCH_CPU_PROFILE_RUNS=N as well it profiles N timed runs, one file each (<file>.1 … <file>.N,
 * before the extension), which profile-top.mjs sums: one run of 1e4 writes is ~1,000 samples.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { Bench } from 'tinybench';
import { LIBS } from './adapters/index.mjs';
import { build, layout, makeWorkload } from './workloads.mjs';

const [lib, workload, sizeArg, keyspace, runsArg = '12', warmupArg = '2'] = process.argv.slice(2);
const size = Number(sizeArg);
const runs = Number(runsArg);
const make = LIBS[lib]?.make;
if (!make) throw new Error(`unknown library ${lib}`);
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

const L = layout(size, keyspace);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function usedBytes() {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** A full GC, then a pause so freed array buffers' backing stores are released too, then another. */
async function settle() {
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 100));
  globalThis.gc();
}

async function measureMemory() {
  // Heap growth across a build, after forced GCs; the layout arrays exist before and after. Typed
  // array backing stores live outside the JS heap, so they are counted too (arrayBuffers).
  const samples = [];
  let keep = null;
  for (let r = 0; r < 3; r++) {
    keep = null;
    await settle();
    const before = usedBytes();
    keep = build(make, L);
    await settle();
    samples.push((usedBytes() - before) / size);
  }
  return { bytesPerRange: median(samples), samples, check: keep === null ? 0 : 1 };
}

async function measureSpeed() {
  const w = makeWorkload(workload, make, L);
  let check;
  // time: 0 so the run count alone decides; setup is a beforeEach hook, outside the timing.
  const bench = new Bench({ iterations: runs, time: 0, warmupIterations: Number(warmupArg), warmupTime: 0, retainSamples: true });
  bench.add(workload, () => { check = w.run(); }, w.setup ? { beforeEach: w.setup } : {});
  await bench.run();
  const r = bench.tasks[0].result;
  if (r.state !== 'completed') throw r.error ?? new Error(`task ${r.state}`);
  const ms = r.latency.p50;
  return { ops: w.ops, medianMs: ms, opsPerSec: (w.ops / ms) * 1000, samples: r.latency.samplesCount, rme: r.latency.rme, check };
}

function profileRuns(file, count) {
  const w = makeWorkload(workload, make, L);
  for (let r = 0; r < 3; r++) { w.setup?.(); w.run(); }
  // The same-thread inspector session answers synchronously, so only run() is inside.
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 20 });
  const files = [];
  let check;
  for (let r = 1; r <= count; r++) {
    w.setup?.();
    let profile;
    session.post('Profiler.start');
    check = w.run();
    session.post('Profiler.stop', (err, res) => { if (err) throw err; profile = res.profile; });
    const out = count === 1 ? file : file.replace(/(\.cpuprofile)?$/, `.${r}$1`);
    writeFileSync(out, JSON.stringify(profile));
    files.push(out);
  }
  return { profiled: files.join(' '), check };
}

const profileFile = process.env.BENCH_CPU_PROFILE;
const result = profileFile ? profileRuns(profileFile, Number(process.env.BENCH_CPU_PROFILE_RUNS ?? '1')) : workload === 'memory' ? await measureMemory() : await measureSpeed();
process.stdout.write(`${JSON.stringify({ lib, workload, size, keyspace, ...result })}\n`);
