#!/usr/bin/env node
/**
 * Where one failure point's executions come from: the point searched as the study searches it, on
 * the generated parent of N VMAs (bench/generated-parent.mjs), its executions counted by how they
 * end — what the fork task returned ('forked', 'killed' by copy_process's late check, 'failed')
 * and, on 7.0, whether the parent thread faulted under its VMA lock or fell back to the mmap_lock.
 * BENCHMARKS.md's "Large parents" counts a 7.0 signal point this way. Run after `npm run build`.
 *   node bench/point-endings.mjs [--vmas 10,30,100] [--config 7.0] [--walker ksmd] [--point signal|alloc-last] [--unreduced]
 * `signal`: a fatal signal at the middle VMA; `alloc-last`: the allocation sweep's last point,
 * where no allocation fails and the fork completes.
 */
import { parseArgs } from 'node:util';
import { generatedParentSpecs } from './generated-parent.mjs';
import { explore } from '../dist/explore/explore.js';
import { registerModel } from '../dist/explore/model.js';
import { kernelConfig } from '../dist/mm/config.js';
import { forkExitModel, variantName } from '../dist/study/model.js';
import { forkAllocations } from '../dist/study/scenario.js';

const { values } = parseArgs({
  options: {
    vmas: { type: 'string', default: '10,30,100' },
    config: { type: 'string', default: '7.0' },
    walker: { type: 'string', default: 'ksmd' },
    point: { type: 'string', default: 'signal' },
    unreduced: { type: 'boolean', default: false },
  },
});
if (!['signal', 'alloc-last'].includes(values.point)) throw new RangeError(`--point must be signal or alloc-last, got ${values.point}`);
const walkers = values.walker.split('+');

for (const n of values.vmas.split(',').map(Number)) {
  const parent = { specs: generatedParentSpecs(n), uprobe: { path: '/lib/lib3.so', offset: 0 } };
  const base = forkExitModel(parent, undefined, !values.unreduced);
  const signal = values.point === 'signal';
  const variant = variantName(values.config, walkers, signal ? `signal@${Math.floor(n / 2)}` : 'alloc');
  const fault = signal ? null : { task: 'fork', nth: forkAllocations(parent, kernelConfig(values.config), walkers) + 1, mode: 'once' };
  const endings = new Map();
  // The model with each task's end observed: what the fork returned, how the parent thread faulted.
  const observed = registerModel({
    name: `${base.name}~endings-${n}`, description: base.description, variants: [variant],
    build: (v) => {
      const instance = base.build(v);
      const seen = { fork: '', thread: 'no parent thread' };
      const tasks = instance.tasks.map((t) => ({
        ...t,
        run: function* () {
          const g = t.run();
          for (let r = g.next(); ; ) {
            if (r.done) {
              if (t.name === 'fork') seen.fork = String(r.value);
              return r.value;
            }
            const op = r.value;
            if (t.name === 'parent thread' && op.kind === 'lock' && op.lock.endsWith('.mmap_lock')) seen.thread = 'fell back to the mmap_lock';
            else if (t.name === 'parent thread' && seen.thread === 'no parent thread') seen.thread = 'under its VMA lock';
            r = g.next(yield op);
          }
        },
      }));
      return {
        ...instance, tasks,
        finalCheck: () => {
          const problem = instance.finalCheck?.() ?? null;
          const key = `fork ${seen.fork}, parent thread ${seen.thread}${problem ? ', a violation' : ''}`;
          endings.set(key, (endings.get(key) ?? 0) + 1);
          return problem;
        },
      };
    },
  });
  const r = explore({ model: observed, variant, strategy: 'dpor', bound: 1, fault });
  console.log(`${n} VMAs, ${variant}${fault ? ` (allocation ${fault.nth}: none fails)` : ''}${values.unreduced ? ', unreduced' : ''}: ${r.outcome}, ${r.executions} executions (${r.pruned} pruned), ${Math.round(r.steps / Math.max(r.executions + r.pruned, 1))} steps each`);
  for (const [key, count] of [...endings].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(6)}  ${key}`);
}
