/**
 * The actors beside the walkers: reclaim (try_to_unmap over anon rmap), the task-lookup walkers and
 * the parent going on after fork (exit or munmap). Witness searches use runSearch's `accept` to
 * look for one kind of execution among all of them.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from '../../src/explore/execution.js';
import { runSearch } from '../../src/explore/search.js';
import { runSync } from '../../src/explore/sync.js';
import { createStrategy } from '../../src/explore/strategies/index.js';
import { buildScenario, type ParentProcess, type ScenarioOptions } from '../../src/study/scenario.js';
import { studyCell } from '../../src/study/study.js';

/** An anonymous page below the text, nothing on swap. */
const NO_SWAP: ParentProcess = {
  specs: [
    { start: 0x400000, end: 0x401000, perms: 'rw-p', resident: 1 },
    { start: 0x555555555000, end: 0x555555557000, perms: 'r-xp', file: { path: '/usr/bin/app', offset: 0x1000 }, resident: 1 },
    { start: 0x555555557000, end: 0x555555558000, perms: 'rw-p', file: { path: '/usr/bin/app', offset: 0x3000 }, resident: 1 },
  ],
  uffd: null,
};

/** Every execution of a scenario (bound 1) with fork failing at its nth allocation; the first one `accept` takes. */
function witness(options: ScenarioOptions, nth: number | null, accept: (run: ExecutionResult) => boolean, observe?: (world: ReturnType<typeof buildScenario>) => () => string | null, strategy: 'dpor' | 'dfs' = 'dpor') {
  const build = () => {
    const world = buildScenario(options);
    const extra = observe?.(world) ?? (() => null);
    return { tasks: world.tasks, finalCheck: () => world.finalCheck() ?? extra(), stateKey: () => world.stateKey() };
  };
  return runSearch(build, createStrategy({ strategy, bound: 1 }), { fault: nth === null ? null : { task: 'fork', nth, mode: 'once' }, stopAtFirst: true, accept });
}

describe('reclaim: a second way onto the mmlist', () => {
  it('puts a failed child on the mmlist with no swap entry copied by fork', () => {
    const found = witness({ kernel: '6.18', walkers: ['reclaim'], parent: NO_SWAP, childExits: true }, 10, (run) => run.violation?.message === 'witness', (world) => {
      let copied = 0;
      let childListed = false;
      const duplicate = world.kernel.swap.duplicate.bind(world.kernel.swap);
      world.kernel.swap.duplicate = (slot) => {
        // Fork's copy_page_range duplicates a swap entry; reclaim's own duplicates come after its first slot.
        if (world.kernel.swap.used === 0) copied++;
        duplicate(slot);
      };
      const list = world.kernel.mmlist;
      const unshift = list.unshift.bind(list);
      list.unshift = (...mms) => {
        if (mms.some((mm) => mm.forkChild)) childListed = true;
        return unshift(...mms);
      };
      return () => (childListed && copied === 0 && world.fork.child === null ? 'witness' : null);
    });
    expect(found.found, 'an execution where reclaim lists the failed child').not.toBeNull();
  });

  it('opens swapoff\'s door on a parent with nothing on swap: 6.8 crashes where swapoff alone is n/a', () => {
    expect(studyCell('6.8.0-6.8.7', 'swapoff', { parent: NO_SWAP, bound: 1, strategy: 'dpor' }).outcome).toBe('n/a');
    const cell = studyCell('6.8.0-6.8.7', ['swapoff', 'reclaim'], { parent: NO_SWAP, bound: 1, strategy: 'dpor' });
    expect(cell.outcome).toBe('bug');
    expect(cell.message).toMatch(/virtual address 0x0+476 in unuse_mm/);
    const reclaim = cell.trace!.events.filter((e) => e.task === 'reclaim');
    expect(reclaim.some((e) => e.label.includes('init_mm.mmlist'))).toBe(true);
    // A page-table-level rmap walker: from the folio to VMAs and PTEs, never vm_mm → the tree.
    expect(reclaim.some((e) => e.obj?.endsWith('.mm_mt') || e.label.includes('for_each_vma'))).toBe(false);
  });
});

describe('the parent goes on after fork', () => {
  // Reclaim lists the child ahead of the parent, so swapoff can hold it while fork still runs.
  const exits: ParentProcess = { ...NO_SWAP, afterFork: 'exit' };
  const walkers = ['swapoff', 'reclaim'] as const;

  for (const strategy of ['dpor', 'dfs'] as const) {
    it(`on an xa-zero kernel, a walker stepping over the marker after the parent exited reads a freed VMA (${strategy})`, () => {
      const isUaf = (run: ExecutionResult): boolean => run.violation?.kind === 'use-after-free';
      const found = witness({ kernel: 'cf:6.12.50+zero-continue', walkers, parent: exits }, 10, isUaf, undefined, strategy);
      expect(found.found).not.toBeNull();
      expect(found.found!.violation!.message).toMatch(/slab-use-after-free in unuse_mm \(swapoff\): vma#\d+ was freed by .*parent: do_exit → exit_mm/);
    });
  }

  it('a live foreign VMA read is still reported once the parent is done, as foreign-vma', () => {
    const isForeign = (run: ExecutionResult): boolean => run.violation?.kind === 'foreign-vma';
    const found = witness({ kernel: 'cf:6.12.50+zero-continue', walkers, parent: exits }, 10, isForeign);
    expect(found.found!.violation!.message).toMatch(/mm#2's tree returned vma#\d+.* whose vm_mm is mm#1/);
  });

  // DPOR and DFS cells agree where the parent frees VMAs after fork (the study runs these with DPOR).
  const munmapsText: ParentProcess = { ...NO_SWAP, afterFork: { munmap: { start: 0x555555555000, end: 0x555555557000 } } };
  for (const [kernel, parent] of [['cf:6.12.50+zero-continue', exits], ['cf:6.12.50+zero-continue', munmapsText], ['6.8.0-6.8.7', exits], ['7.0', exits]] as const) {
    it(`${kernel}, parent ${JSON.stringify(parent.afterFork)}: DPOR's cell is DFS's`, () => {
      const [dpor, dfs] = (['dpor', 'dfs'] as const).map((strategy) => studyCell(kernel, ['swapoff', 'reclaim'], { parent, bound: 1, strategy }));
      expect(dpor!.outcome).toBe(dfs!.outcome);
      expect(dpor!.failurePoint).toBe(dfs!.failurePoint);
      expect(dpor!.reached).toEqual(dfs!.reached);
      expect(dpor!.exhaustive && dfs!.exhaustive).toBe(true);
      expect(dpor!.executions).toBeLessThanOrEqual(dfs!.executions);
    });
  }

  it('under teardown the same failure leaves nothing of the parent to reach', () => {
    for (const kernel of ['7.0', 'cf:6.18-teardown']) {
      const search = witness({ kernel, walkers, parent: exits }, 10, () => true);
      expect(search.faultFired, kernel).toBe(true);
      expect(search.found?.violation ?? null, kernel).toBeNull();
    }
  });
});

describe('every new actor, under both recoveries, with no walker', () => {
  const munmaps: ParentProcess = { ...NO_SWAP, afterFork: { munmap: { start: 0x400000, end: 0x401000 } } };
  for (const kernel of ['6.18', '7.0']) {
    it(`${kernel}: reclaim verified, the task lookup unreachable, the parent's exit and munmap leak nothing`, () => {
      const reclaim = studyCell(kernel, 'reclaim', { parent: NO_SWAP, bound: 1, strategy: 'dpor' });
      expect(reclaim.outcome).toBe('verified');
      for (const parent of [NO_SWAP, { ...NO_SWAP, afterFork: 'exit' as const }, munmaps]) {
        const cell = studyCell(kernel, 'task-lookup', { bound: 1, strategy: 'dpor', parent });
        expect(cell.outcome, JSON.stringify(parent?.afterFork)).toBe('unreachable');
        expect(cell.reason).toContain('tsk->mm only after dup_mm succeeds');
        expect(cell.executions).toBeGreaterThan(0);
      }
    });
  }

  it('the task lookup reads a forked child once its task is published', () => {
    const world = buildScenario({ kernel: '6.18', walkers: ['task-lookup'], parent: NO_SWAP, childExits: false });
    runSync(world.tasks[0]!.run());
    expect(runSync(world.tasks[1]!.run())).toBe(3);
    expect(world.finalCheck()).toBeNull();
  });
});
