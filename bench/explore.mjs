// Explorer throughput on small models (one core): executions and steps per second for each
// strategy on the built-in classics and on a three-task lock/counter model, median of 5 runs
// after a warm-up. Usage: npm run bench:explore [-- --json]
import { performance } from 'node:perf_hooks';
import { explore, CLASSICS, registerModel, lock, unlock, read, write } from '../dist/explore/index.js';

const json = process.argv.includes('--json');

// Three tasks, each incrementing two counters under two locks: 10 yields per task.
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

function measure(options) {
  const times = [];
  let last;
  explore(options);
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    last = explore(options);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = times[2];
  return { executions: last.executions, pruned: last.pruned, ms, executionsPerSecond: last.executions / (ms / 1000), stepsPerSecond: last.steps / (ms / 1000) };
}

const rows = [];
for (const strategy of ['random', 'pct']) {
  for (const model of CLASSICS) {
    rows.push({ model: model.name, variant: model.variants[1], strategy, ...measure({ model, variant: model.variants[1], strategy, executions: 50_000, stopAtFirst: false }) });
  }
}
for (const strategy of ['dfs', 'dpor', 'delay']) {
  rows.push({ model: counters.name, variant: 'v', strategy, ...measure({ model: counters, strategy, bound: 3, executions: 1_000_000 }) });
}
if (json) {
  console.log(JSON.stringify({ node: process.version, rows }, null, 2));
} else {
  console.log(`explorer throughput, one core, node ${process.version} (median of 5 runs)`);
  console.log(`${'model'.padEnd(16)}${'strategy'.padEnd(10)}${'executions'.padStart(12)}${'pruned'.padStart(8)}${'exec/s'.padStart(12)}${'steps/s'.padStart(12)}`);
  for (const r of rows) {
    console.log(`${r.model.padEnd(16)}${r.strategy.padEnd(10)}${String(r.executions).padStart(12)}${String(r.pruned).padStart(8)}` +
      `${Math.round(r.executionsPerSecond).toLocaleString('en-US').padStart(12)}${Math.round(r.stepsPerSecond).toLocaleString('en-US').padStart(12)}`);
  }
}
