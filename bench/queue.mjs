#!/usr/bin/env node
/**
 * The study through the job queue: wall time with 1, 2, … worker processes against a run in one
 * thread, executions per second per worker, and the queue's overhead per job. Starts its own
 * redis-server on a free loopback port (the `redis-server` package) and stops it. Run after
 * `npm run build`:
 *   node bench/queue.mjs [--bound 3] [--config a,b] [--walker x,y] [--combinations none|pairs|all] [--workers 1,2] [--split-above N] [--no-local]
 * --no-local skips the run in one thread (the queued runs are then compared with each other).
 * Each worker is a process with one thread (`mapletree worker --concurrency 1`). A job is a failure
 * point or a prefix job of a long point split by the submitter's --split-above (the study's default
 * unless given); the jobs' count says how many of each.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const BOUND = arg('bound', '3');
const CONFIG = arg('config', undefined);
const WALKER = arg('walker', undefined);
const WORKERS = arg('workers', '1,2').split(',').map(Number);
const SPLIT_ABOVE = arg('split-above', undefined);
const COMBINATIONS = arg('combinations', undefined);
const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
const select = [...(CONFIG ? ['--config', CONFIG] : []), ...(WALKER ? ['--walker', WALKER] : []), ...(COMBINATIONS ? ['--combinations', COMBINATIONS] : [])];

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`mapletree ${args.join(' ')} exited ${code}`))));
  });
}

/** The cells and the walker pairs without their wall times, the one thing two runs of the same study differ in. */
function untimed(json) {
  const drop = (key, value) => (key === 'timeMs' || key === 'timeToFirstBugMs' ? undefined : value);
  return JSON.stringify({ results: json.results, combinations: json.combinations ?? [] }, drop);
}

/** The search time of every cell, the pairs' included, wherever it ran. */
function searchMs(json) {
  return [...json.results, ...(json.combinations ?? [])].reduce((t, c) => t + c.timeMs, 0);
}

const LOCAL = !process.argv.includes('--no-local');
const t0 = performance.now();
let local = LOCAL ? await run(['study', '--bound', BOUND, ...select, '--workers', '1', '--json', '--no-html', '--no-progress']) : null;
const localMs = performance.now() - t0;
if (local) {
  console.log(`bound ${BOUND}${CONFIG ? `, configurations ${CONFIG}` : ''}${WALKER ? `, walkers ${WALKER}` : ''}: ${local.results.length} cells, ${local.executions} executions`);
  console.log(`  one thread, no queue: ${(localMs / 1000).toFixed(1)} s wall, ${Math.round(local.executions / (localMs / 1000))} executions/s`);
}

if (spawnSync('redis-server', ['--version']).status !== 0) {
  console.log('  (queue skipped: install the package redis-server)');
  process.exit(0);
}
const port = await freePort();
const url = `redis://127.0.0.1:${port}/0`;
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
try {
  for (const n of WORKERS) {
    let jobs = 0;
    let prefixJobs = 0;
    let splits = 0;
    const workers = Array.from({ length: n }, () => {
      const w = spawn(process.execPath, [CLI, 'worker', '--queue', url], { stdio: ['ignore', 'ignore', 'pipe'] });
      w.stderr.setEncoding('utf8').on('data', (d) => {
        jobs += (d.match(/executions in|error:|prefix jobs in/g) ?? []).length;
        prefixJobs += (d.match(/\.p\d+: \d+ executions in/g) ?? []).length;
        splits += (d.match(/split into/g) ?? []).length;
      });
      return w;
    });
    await new Promise((r) => setTimeout(r, 1500));
    const t1 = performance.now();
    const queued = await run(['study', '--queue', url, '--bound', BOUND, ...select, ...(SPLIT_ABOVE ? ['--split-above', SPLIT_ABOVE] : []), '--json', '--no-html', '--no-progress']);
    const wallMs = performance.now() - t1;
    await Promise.all(workers.map((w) => new Promise((r) => {
      w.once('exit', r);
      w.kill('SIGTERM');
    })));
    if (!local) console.log(`bound ${BOUND}${CONFIG ? `, configurations ${CONFIG}` : ''}${WALKER ? `, walkers ${WALKER}` : ''}${COMBINATIONS ? `, combinations ${COMBINATIONS}` : ''}: ${queued.results.length} cells, ${queued.combinations?.length ?? 0} pairs, ${queued.executions} executions`);
    const same = local === null || untimed(queued) === untimed(local);
    local ??= queued;
    const busyMs = searchMs(queued);
    const overheadMs = Math.max(0, (wallMs * n - busyMs) / Math.max(jobs, 1));
    console.log(`  queue, ${n} worker process${n === 1 ? '' : 'es'}: ${(wallMs / 1000).toFixed(1)} s wall ${LOCAL ? `(×${(localMs / wallMs).toFixed(2)} of one thread)` : ''}, ` +
      `${Math.round(queued.executions / (wallMs / 1000) / n)} executions/s per worker, ${jobs} jobs (${splits} points split into ${prefixJobs} prefix jobs), ` +
      `${overheadMs.toFixed(1)} ms per job outside the search; results ${same ? 'identical' : 'DIFFERENT'}`);
  }
} finally {
  redis.kill('SIGTERM');
}
