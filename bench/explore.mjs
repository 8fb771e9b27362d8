// Explorer throughput per CPU second (one core), median of 11 samples after a warm-up, with the targets of
// issue 20: dfs >= 50,000 executions/s on models of <= 30 steps, >= 2e6 steps/s on longer ones,
// dpor at least half of dfs's executions/s on the same model, and time budgets kept within 5 %
// (minimisation included). Usage: npm run bench:explore [-- --json] [-- --quick]
import { performance } from 'node:perf_hooks';
import { explore, CLASSICS, registerModel, lock, unlock, read, write, step } from '../dist/explore/index.js';

const json = process.argv.includes('--json');
const RUNS = process.argv.includes('--quick') ? 3 : 11;

// Three tasks, each incrementing two counters under two locks: 10 yields per task, 30 steps.
const counters = registerModel({
  name: 'bench-counters', description: 'three tasks increment two counters under two locks', variants: ['v'],
  build() {
    const world = [0, 0];
    function* inc() {
      for (const k of [0, 1]) {
        yield lock(`l${k}`);
        yield read(`c${k}`);
        const seen = world[k];
        yield write(`c${k}`);
        world[k] = seen + 1;
        yield unlock(`l${k}`);
      }
    }
    return { tasks: [0, 1, 2].map((i) => ({ name: `T${i}`, run: inc })), stateKey: () => world.join(',') };
  },
});

// Long executions: two tasks, each 500 steps over its own object and one shared counter every 50.
const long = registerModel({
  name: 'bench-long', description: 'two tasks of 500 steps, sharing one counter every 50 steps', variants: ['v'],
  build() {
    const world = { shared: 0 };
    function* worker(name) {
      for (let i = 0; i < 500; i++) {
        if (i % 50 === 0) {
          yield write('shared');
          world.shared++;
        } else {
          yield write(`own-${name}`);
        }
      }
    }
    return { tasks: ['A', 'B'].map((n) => ({ name: n, run: () => worker(n) })), stateKey: () => String(world.shared) };
  },
});

// A livelock: two tasks yielding forever (for the budget rows).
const spin = registerModel({
  name: 'bench-spin', description: 'two tasks that yield forever', variants: ['v'],
  build() {
    function* run() {
      for (;;) yield step('spin');
    }
    return { tasks: [{ name: 'A', run }, { name: 'B', run }] };
  },
});

/** CPU milliseconds this process used since `t0` (a process.cpuUsage() reading). */
function cpuMs(t0) {
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
}

// CPU time of this process, not the wall clock: on a shared machine the wall clock counts the
// time other processes held the core (the budgets below are wall-clock by nature). Each row warms
// up for WARMUP_MS first: the JIT compiles a strategy's own code (DPOR's tracking, say) only once
// it is hot, and one warm-up search of a few milliseconds left DPOR measured half-interpreted.
// Each sample repeats the search for at least SAMPLE_MS, so that a search of a few milliseconds is
// not timed alone against the clock's granularity and the collector's pauses.
const WARMUP_MS = 300;
const SAMPLE_MS = 100;

function measure(options) {
  for (const t0 = process.cpuUsage(); cpuMs(t0) < WARMUP_MS;) explore(options);
  const samples = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.cpuUsage();
    let executions = 0;
    let steps = 0;
    let searches = 0;
    do {
      last = explore(options);
      executions += last.executions;
      steps += last.steps;
      searches++;
    } while (cpuMs(t0) < SAMPLE_MS);
    const seconds = cpuMs(t0) / 1000;
    samples.push({ ms: (seconds * 1000) / searches, executionsPerSecond: executions / seconds, stepsPerSecond: steps / seconds });
  }
  samples.sort((a, b) => a.executionsPerSecond - b.executionsPerSecond);
  const mid = samples[samples.length >> 1];
  const stepsPerExecution = last.steps / Math.max(1, last.executions + last.pruned);
  return { executions: last.executions, pruned: last.pruned, stepsPerExecution: Math.round(stepsPerExecution), ...mid };
}

const rows = [];
const add = (label, options) => rows.push({ label, strategy: options.strategy, ...measure(options) });
for (const strategy of ['random', 'pct']) {
  for (const model of CLASSICS) add(`${model.name}/${model.variants[1]}`, { model, variant: model.variants[1], strategy, executions: 50_000, stopAtFirst: false });
}
for (const strategy of ['dfs', 'dpor', 'delay']) add('bench-counters', { model: counters, strategy, bound: 3, executions: 1_000_000 });
for (const strategy of ['dfs', 'dpor', 'random']) add('bench-long', { model: long, strategy, bound: 1, executions: strategy === 'random' ? 2_000 : 100_000 });

// Budgets: a 1 s budget on a search that cannot finish, and on a livelock whose counterexample is minimised.
const budgets = [];
for (const [label, options] of [
  ['dfs, 1 s, unfinishable', { model: counters, strategy: 'dfs', bound: 30, executions: Infinity, timeMs: 1000 }],
  ['random, 1 s, livelock + minimisation', { model: spin, strategy: 'random', executions: Infinity, timeMs: 1000 }],
  ['dpor, 1 s, livelock + minimisation', { model: spin, strategy: 'dpor', bound: Infinity, executions: Infinity, timeMs: 1000 }],
]) {
  const t0 = performance.now();
  const r = explore(options);
  const ms = performance.now() - t0;
  budgets.push({ label, budgetMs: options.timeMs, ms, overrun: ms / options.timeMs - 1, outcome: r.outcome });
}

const get = (label, strategy) => rows.find((r) => r.label === label && r.strategy === strategy);
const targets = [
  { target: 'dfs >= 50,000 executions/s on <= 30 steps (bench-counters)', value: get('bench-counters', 'dfs').executionsPerSecond, ok: (v) => v >= 50_000 },
  { target: 'dfs >= 2e6 steps/s on long executions (bench-long)', value: get('bench-long', 'dfs').stepsPerSecond, ok: (v) => v >= 2e6 },
  { target: 'dpor executions/s >= half of dfs (bench-counters)', value: get('bench-counters', 'dpor').executionsPerSecond / get('bench-counters', 'dfs').executionsPerSecond, ok: (v) => v >= 0.5 },
  { target: 'dpor executions/s >= half of dfs (bench-long)', value: get('bench-long', 'dpor').executionsPerSecond / get('bench-long', 'dfs').executionsPerSecond, ok: (v) => v >= 0.5 },
  ...budgets.map((b) => ({ target: `budget within 5 %: ${b.label}`, value: b.overrun, ok: (v) => v <= 0.05 })),
].map((t) => ({ target: t.target, value: t.value, met: t.ok(t.value) }));

const fmt = (n) => Math.round(n).toLocaleString('en-US');
if (json) {
  console.log(JSON.stringify({ node: process.version, runs: RUNS, rows, budgets, targets }, null, 2));
} else {
  console.log(`explorer throughput per CPU second, node ${process.version} (median of ${RUNS} samples of >= ${SAMPLE_MS} ms, after ${WARMUP_MS} ms of warm-up)`);
  console.log(`${'model'.padEnd(22)}${'strategy'.padEnd(10)}${'executions'.padStart(11)}${'pruned'.padStart(8)}${'steps/ex'.padStart(9)}${'exec/s'.padStart(12)}${'steps/s'.padStart(13)}`);
  for (const r of rows) {
    console.log(`${r.label.padEnd(22)}${r.strategy.padEnd(10)}${String(r.executions).padStart(11)}${String(r.pruned).padStart(8)}${String(r.stepsPerExecution).padStart(9)}` +
      `${fmt(r.executionsPerSecond).padStart(12)}${fmt(r.stepsPerSecond).padStart(13)}`);
  }
  console.log('\ntime budgets');
  for (const b of budgets) console.log(`  ${b.label.padEnd(40)} ${b.ms.toFixed(0).padStart(6)} ms for ${b.budgetMs} ms (${(b.overrun * 100).toFixed(1)} %), ${b.outcome}`);
  console.log('\ntargets');
  for (const t of targets) console.log(`  ${t.met ? 'met ' : 'MISS'}  ${t.target}: ${Math.abs(t.value) < 10 ? t.value.toFixed(2) : fmt(t.value)}`);
}
