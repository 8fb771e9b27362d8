#!/usr/bin/env node
/**
 * A/B of two builds of our tree on one workload, by CPU time, for a machine too loaded for wall
 * time to tell a 10 % change from noise.
 *   npm run build && mkdir /tmp/a && cp -r dist bench /tmp/a    # change the code, build, then /tmp/b
 *   node bench/ab.mjs /tmp/a /tmp/b gap-rev 1e6 52 [rounds=10] [runs=5]
 * A and B are directories holding dist/ and bench/ (snapshots, so a rebuild mid-run cannot mix
 * them; a worktree works too while nothing rebuilds it).
 * Each round runs A then B (then B then A in the next round, so drift favours neither), each in its
 * own process: a warm-up run, then `runs` timed runs whose median CPU time (user + system) per
 * operation is that process's figure. Prints every round and the medians, and B ÷ A.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function child(dir, workload, size, keyspace, runs) {
  const at = (file) => pathToFileURL(join(resolve(dir), file)).href;
  const { OursMap } = await import(at('bench/adapters/ours.mjs'));
  const { layout, makeWorkload } = await import(at('bench/workloads.mjs'));
  const make = (opts) => new OursMap(opts);
  const w = makeWorkload(workload, make, layout(Number(size), keyspace));
  w.setup?.();
  let check = w.run();
  const ns = [];
  for (let r = 0; r < runs; r++) {
    w.setup?.();
    const t = process.cpuUsage();
    check = w.run();
    const d = process.cpuUsage(t);
    ns.push(((d.user + d.system) * 1000) / w.ops);
  }
  process.stdout.write(`${JSON.stringify({ nsPerOp: median(ns), check })}\n`);
}

function runChild(args) {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('close', (code) => (code === 0 ? done(JSON.parse(out.trim())) : fail(new Error(`child exit ${code}`))));
  });
}

async function main(argv) {
  const [a, b, workload, size, keyspace, roundsArg = '10', runs = '5'] = argv;
  if (!a || !b || !workload || !size || !keyspace) throw new Error('usage: node bench/ab.mjs <dirA> <dirB> <workload> <size> <keyspace> [rounds] [runs]');
  const results = { A: [], B: [] };
  const rounds = Number(roundsArg);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
    const line = [];
    for (const side of order) {
      const res = await runChild([side === 'A' ? a : b, workload, size, keyspace, runs]);
      results[side].push(res);
      line.push(`${side} ${res.nsPerOp.toFixed(0)} ns`);
    }
    if (results.A[r].check !== results.B[r].check) throw new Error(`checksums differ: ${results.A[r].check} vs ${results.B[r].check}`);
    console.log(`round ${r + 1}: ${line.join(', ')}`);
  }
  const ma = median(results.A.map((x) => x.nsPerOp));
  const mb = median(results.B.map((x) => x.nsPerOp));
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`${workload} ${size} keys<2^${keyspace}: A ${ma.toFixed(0)} ns/op, B ${mb.toFixed(0)} ns/op CPU (median of ${rounds}); B/A ${(mb / ma).toFixed(3)}; load ${load}`);
}

if (process.argv[2] === '--child') await child(...process.argv.slice(3, 7), Number(process.argv[7]));
else await main(process.argv.slice(2));
