import { describe, expect, it } from 'vitest';
import { explore, type Model } from '../../src/explore/index.js';
import { runExecution } from '../../src/explore/execution.js';
import { runSync } from '../../src/explore/sync.js';
import { mmapReadLock, mmapReadUnlock } from '../../src/mm/locks.js';
import { ZERO_ENTRY } from '../../src/tree/entry.js';
import { kernelConfig } from '../../src/mm/config.js';
import { MMF_OOM_SKIP, MMF_UNSTABLE, PAGE_SIZE, VM_LOCKED } from '../../src/mm/constants.js';
import { MM_ERRNO } from '../../src/mm/errno.js';
import { mmput } from '../../src/mm/exit.js';
import { dupMm, dupMmap } from '../../src/mm/fork.js';
import { Kernel } from '../../src/mm/kernel.js';
import { addVmas } from '../../src/mm/layout.js';
import { findLeaks } from '../../src/mm/leaks.js';
import type { Mm } from '../../src/mm/mm.js';
import { buildScenario, DEFAULT_PARENT } from '../../src/study/scenario.js';
import { validateMm } from '../../src/mm/validate.js';
import { Vma } from '../../src/mm/vma.js';
import { createMm } from '../../src/mm/mm.js';

const CONFIGS = ['6.10-6.11.6', '6.18', '7.0', 'cf:6.18-teardown'] as const;

function parentIn(config: string): { kernel: Kernel; parent: Mm } {
  const kernel = new Kernel(kernelConfig(config));
  const parent = createMm(kernel);
  addVmas(kernel, parent, DEFAULT_PARENT);
  return { kernel, parent };
}

/** Runs the scenario's fork task alone, failing the n-th allocation (0: none). */
function forkAlone(config: string, nth: number, signalAtVma: number | null = null) {
  const world = buildScenario({ kernel: config, signalAtVma });
  let fired = false;
  const task = world.tasks[0]!.run();
  const result = runSync(task, { allocate: (_site, n) => { if (n === nth) { fired = true; return false; } return true; } });
  return { world, result, fired };
}

describe('dup_mmap failure points with no walker', () => {
  for (const config of CONFIGS) {
    it(`${config}: every n-th allocation failure ends with a clean exit and no leaks`, () => {
      let n = 1;
      for (; ; n++) {
        const { world, result, fired } = forkAlone(config, n);
        expect(world.finalCheck(), `allocation ${n}`).toBeNull();
        validateMm(world.parent);
        if (!fired) {
          expect(result).toBe('forked');
          break;
        }
        expect(result).toBe('failed');
      }
      // The default parent makes fork allocate 30-odd times; each was failed once above.
      expect(n).toBeGreaterThan(25);
    });

    it(`${config}: a fatal signal at every VMA ends with a clean exit and no leaks`, () => {
      for (let k = 0; k < DEFAULT_PARENT.length; k++) {
        const { world, result } = forkAlone(config, 0, k);
        expect(world.finalCheck(), `signal at ${k}`).toBeNull();
        if (config === '7.0') {
          // No parent thread holds a VMA, so vma_start_write_killable never waits: dup_mmap
          // completes and copy_process fails the fork with the complete mm.
          expect(result, `signal at ${k}`).toBe('killed');
          expect(world.fork.outcome.value).toMatchObject({ retval: 0, signalPending: true });
          continue;
        }
        // The DONTCOPY VMA (index 5) is skipped before the signal check, so a signal from 5 on fires at 6.
        expect(result, `signal at ${k}`).toBe('failed');
        expect(world.fork.outcome.value?.retval).toBe(MM_ERRNO.EINTR);
      }
    });
  }
});

describe('the tree a failed dup_mmap leaves behind', () => {
  /** Runs dup_mmap into a fresh child with the n-th allocation failing, and returns the child. */
  function failedChild(config: string, site: string, siteNth: number): { kernel: Kernel; parent: Mm; child: Mm; retval: number } {
    const { kernel, parent } = parentIn(config);
    const child = createMm(kernel);
    let seen = 0;
    const out = runSync(dupMmap(child, parent), { allocate: (s) => !(s === site && ++seen === siteNth) });
    return { kernel, parent, child, retval: out.retval };
  }

  it('xa-zero: child VMAs before the failure point, XA_ZERO_ENTRY over it, the parent\'s VMAs after it', () => {
    const { parent, child, retval } = failedChild('6.10-6.11.6', 'vm_area_dup', 3);
    expect(retval).toBe(MM_ERRNO.ENOMEM);
    const slots: Array<[number, unknown]> = [];
    const mas = child.mmMt.state(0);
    for (let e = mas.find(Number.MAX_SAFE_INTEGER); e !== undefined; e = mas.find(Number.MAX_SAFE_INTEGER)) slots.push([mas.index, e]);
    expect(slots.length).toBe(DEFAULT_PARENT.length);
    expect(slots.slice(0, 2).every(([, e]) => e instanceof Vma && e.vmMm === child)).toBe(true);
    expect(slots[2]).toEqual([DEFAULT_PARENT[2]!.start, ZERO_ENTRY]);
    expect(slots.slice(3).every(([, e]) => e instanceof Vma && e.vmMm === parent)).toBe(true);
    expect(child.mapCount).toBe(2);
    // Before the January 2025 fix no flag marks the broken mm.
    expect(child.testFlag(MMF_OOM_SKIP) || child.testFlag(MMF_UNSTABLE)).toBe(false);
    // The normal API hides the marker.
    expect(child.mmMt.load(DEFAULT_PARENT[2]!.start)).toBeUndefined();
  });

  it('xa-zero with the January 2025 fix marks the mm MMF_OOM_SKIP and MMF_UNSTABLE', () => {
    const { child } = failedChild('6.18', 'vm_area_dup', 3);
    expect(child.testFlag(MMF_OOM_SKIP)).toBe(true);
    expect(child.testFlag(MMF_UNSTABLE)).toBe(true);
  });

  it('xa-zero: a failure in the last copy_page_range writes no marker and sets only MMF_UNSTABLE', () => {
    // Count the PTE table allocations of a successful copy; the last one belongs to the stack, the last VMA.
    const probe = parentIn('6.18');
    let tables = 0;
    runSync(dupMmap(createMm(probe.kernel), probe.parent), { allocate: (s) => { if (s === 'pte_alloc') tables++; return true; } });
    const { kernel, parent } = parentIn('6.18');
    const child = createMm(kernel);
    let ptes = 0;
    const out = runSync(dupMmap(child, parent), { allocate: (s) => !(s === 'pte_alloc' && ++ptes === tables) });
    expect(out.retval).toBe(MM_ERRNO.ENOMEM);
    expect(out.mpnt).toBeNull();
    expect(child.mmMt.state(0).find(Number.MAX_SAFE_INTEGER)).toBeInstanceOf(Vma);
    let zero = false;
    const mas = child.mmMt.state(0);
    for (let e = mas.find(Number.MAX_SAFE_INTEGER); e !== undefined; e = mas.find(Number.MAX_SAFE_INTEGER)) if (e === ZERO_ENTRY) zero = true;
    expect(zero).toBe(false);
    expect(child.testFlag(MMF_OOM_SKIP)).toBe(false);
    expect(child.testFlag(MMF_UNSTABLE)).toBe(true);
  });

  it('teardown: the tree is empty and both flags are set before the locks drop; map_count keeps its value', () => {
    const { kernel, parent, child, retval } = failedChild('7.0', 'anon_vma_fork', 2);
    expect(retval).toBe(MM_ERRNO.ENOMEM);
    expect(child.mmMt.isEmpty).toBe(true);
    expect(child.testFlag(MMF_OOM_SKIP) && child.testFlag(MMF_UNSTABLE)).toBe(true);
    expect(child.mapCount).toBeGreaterThan(0);
    // Nothing of the child is reachable any more: no PTEs, no rmap links.
    expect(child.pt.ptes.size).toBe(0);
    for (const file of kernel.files.values()) for (const v of file.mapping.iMmap) expect(v.vmMm).toBe(parent);
    runSync(mmput(child, 'test'));
    expect(findLeaks(kernel, [parent])).toEqual([]);
  });

  it('__mt_dup failure leaves an empty tree and sets no flag (goto out)', () => {
    for (const config of CONFIGS) {
      const { child, retval } = failedChild(config, '__mt_dup', 1);
      expect(retval).toBe(MM_ERRNO.ENOMEM);
      expect(child.mmMt.isEmpty).toBe(true);
      expect(child.flags).toBe(0);
    }
  });
});

describe('fork hooks', () => {
  it('ksm_fork and khugepaged_fork register only a complete child', () => {
    for (const nth of [0, 5]) {
      const { kernel, parent } = parentIn('7.0');
      parent.ksmRegistered = true;
      parent.khugepagedRegistered = true;
      const child = createMm(kernel);
      const out = runSync(dupMmap(child, parent), { allocate: (_s, n) => n !== nth });
      expect(out.retval === 0).toBe(nth === 0);
      expect(child.ksmRegistered).toBe(nth === 0);
      expect(child.khugepagedRegistered).toBe(nth === 0);
    }
  });

  it('7.0 write-locks each VMA before the MADV_DONTFORK skip (and fails there when a reader holds it); 6.18 checks the signal after it', () => {
    const dontfork = DEFAULT_PARENT.findIndex((s) => s.dontcopy);
    // 7.0: a parent thread holds the DONTCOPY VMA's per-VMA lock when the signal arrives there.
    const world = buildScenario({ kernel: '7.0', signalAtVma: dontfork });
    let readerStarted = false;
    runExecution({ tasks: world.tasks }, {
      choose(point) {
        if (!readerStarted && point.options.includes(1)) {
          readerStarted = true;
          return 1;
        }
        return point.options.includes(0) ? 0 : point.options[0]!;
      },
    });
    expect(world.fork.outcome.value?.failedAt).toBe('vma_start_write_killable');
    expect(world.fork.outcome.value?.mpnt?.vmStart).toBe(DEFAULT_PARENT[dontfork]!.start);
    const { world: w618 } = forkAlone('6.18', 0, dontfork);
    expect(w618.fork.outcome.value?.failedAt).toBe('fatal_signal_pending');
    expect(w618.fork.outcome.value?.mpnt?.vmStart).toBe(DEFAULT_PARENT[dontfork + 1]!.start);
  });
});

describe('mmap_write_lock_killable', () => {
  it('a free lock is taken despite a pending fatal signal; 6.18\'s loop then stops at the first VMA, 7.0\'s copies on', () => {
    for (const config of ['7.0', '6.18', 'cf:6.18-teardown']) {
      const { kernel, parent } = parentIn(config);
      const child = createMm(kernel);
      const out = runSync(dupMmap(child, parent, { signalAtLock: true }));
      expect(out.signalPending).toBe(true);
      if (config === '7.0') {
        expect(out.retval, config).toBe(0);
      } else {
        expect(out.retval, config).toBe(MM_ERRNO.EINTR);
        expect(out.failedAt, config).toBe('fatal_signal_pending');
      }
      runSync(mmput(child, 'test'));
    }
  });

  it('a contended lock with a fatal signal pending gives up with EINTR before anything is copied', () => {
    const outcomes = new Set<string>();
    const model: Model = {
      name: 'killable-lock', description: 'dup_mmap against a reader of the parent', variants: ['default'],
      build: () => {
        const { kernel, parent } = parentIn('7.0');
        const child = createMm(kernel);
        return {
          tasks: [
            { name: 'reader', run: function* () { yield mmapReadLock(parent, 'reader'); yield mmapReadUnlock(parent, 'reader'); } },
            {
              name: 'fork',
              run: function* () {
                const out = yield* dupMmap(child, parent, { signalAtLock: true });
                outcomes.add(out.failedAt ?? 'none');
                if (out.failedAt === 'mmap_write_lock_killable' && !child.mmMt.isEmpty) throw new Error('copied after EINTR');
                yield* mmput(child, 'fork');
              },
            },
          ],
          finalCheck: () => {
            const leaks = findLeaks(kernel, [parent]);
            return leaks.length === 0 ? null : leaks.join('; ');
          },
        };
      },
    };
    expect(explore({ model, bound: 1 }).outcome).toBe('verified');
    // When the lock is free, 7.0 copies everything: the pending signal fails the fork later, in copy_process.
    expect([...outcomes].sort()).toEqual(['mmap_write_lock_killable', 'none']);
  });
});

describe('a successful fork', () => {
  it('copies VMAs, shares anonymous pages copy-on-write, duplicates swap entries and joins the mmlist', () => {
    const { kernel, parent } = parentIn('7.0');
    const vmaLocked = parent.mmMt.load(DEFAULT_PARENT[3]!.start) as Vma;
    vmaLocked.vmFlags |= VM_LOCKED;
    const child = runSync(dupMm(kernel, parent));
    expect(child).not.toBeNull();
    const c = child!;
    validateMm(c);
    validateMm(parent);
    // The MADV_DONTFORK buffer is a hole in the child.
    expect(c.mapCount).toBe(DEFAULT_PARENT.length - 1);
    expect(c.mmMt.load(DEFAULT_PARENT[5]!.start)).toBeUndefined();
    expect(c.totalVm).toBe(parent.totalVm - (DEFAULT_PARENT[5]!.end - DEFAULT_PARENT[5]!.start) / PAGE_SIZE);
    // VM_LOCKED is not inherited.
    expect((c.mmMt.load(DEFAULT_PARENT[3]!.start) as Vma).vmFlags & VM_LOCKED).toBe(0);
    // Heap pages: shared with mapcount 2; swap entries: slots referenced twice.
    const heap = c.pt.range(DEFAULT_PARENT[3]!.start, DEFAULT_PARENT[3]!.end);
    expect(heap.length).toBe(4);
    for (const [, pte] of heap) {
      if (pte.kind === 'present') expect(pte.page.mapcount).toBe(2);
      else expect(kernel.swap.map.get(pte.slot)).toBe(2);
    }
    expect(kernel.mmlist).toEqual([parent, c]);
    // The child's VMAs are linked in the parent's anon_vma families and the files' i_mmap.
    const cHeap = c.mmMt.load(DEFAULT_PARENT[3]!.start) as Vma;
    const pHeap = parent.mmMt.load(DEFAULT_PARENT[3]!.start) as Vma;
    expect(cHeap.anonVma!.root).toBe(pHeap.anonVma!.root);
    expect(cHeap.anonVmaChain.length).toBe(2);
    expect(kernel.files.get('/usr/bin/app')!.mapping.iMmap.size).toBe(6);
    runSync(mmput(c, 'child exit'));
    expect(findLeaks(kernel, [parent])).toEqual([]);
  });
});

describe('a parent imported from a real /proc/self/maps', () => {
  it('forks, fails at every allocation and exits clean under both recoveries', async () => {
    const { readProcStable } = await import('../../src/cli/proc.js');
    const maps = readProcStable('/proc/self/maps');
    for (const config of ['6.10-6.11.6', '7.0']) {
      for (let nth = 0; ; nth += 7) {
        const world = buildScenario({ kernel: config, parent: { maps } });
        const before = world.parent.mapCount;
        let fired = false;
        runSync(world.tasks[0]!.run(), { allocate: (_s, n) => { if (n === nth) { fired = true; return false; } return true; } });
        expect(world.finalCheck(), `${config} allocation ${nth}`).toBeNull();
        expect(world.parent.mapCount).toBe(before);
        if (nth > 0 && !fired) break;
      }
    }
  });
});
