/**
 * The partial recovery (Jann Horn's proposal, recovery-partial.ts) and the other designs: every
 * failure point ends clean; the clearing store's ENOMEM path and each fallback; a child that holds
 * only its own VMAs and is unlocked; the reserve's node counts against the tree's own on hand-made
 * trees of known height; and the careless walker under teardown and where the tree is never empty.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explore/index.js';
import { runSync } from '../../src/explore/sync.js';
import { DESIGN_KERNELS, kernelConfig, leavesZeroMarker, type KernelConfig } from '../../src/mm/config.js';
import { MMF_UNSTABLE } from '../../src/mm/constants.js';
import { MM_ERRNO } from '../../src/mm/errno.js';
import { mmput } from '../../src/mm/exit.js';
import { dupMmap } from '../../src/mm/fork.js';
import { Kernel } from '../../src/mm/kernel.js';
import { findLeaks } from '../../src/mm/leaks.js';
import { mmapWriteLock, mmapWriteUnlock } from '../../src/mm/locks.js';
import { mmFromMaps } from '../../src/mm/maps.js';
import { createMm, type Mm } from '../../src/mm/mm.js';
import { nodeReserve } from '../../src/mm/node-reserve.js';
import { CLEAR_SITE, clearingStoreNodes, REFILL_SITE } from '../../src/mm/recovery-partial.js';
import { validateMm } from '../../src/mm/validate.js';
import { Vma } from '../../src/mm/vma.js';
import { generatedParent, reserveFigures } from '../../src/study/designs-reserve.js';
import '../../src/study/model.js';
import { buildScenario, DEFAULT_PARENT } from '../../src/study/scenario.js';
import { MapleTree } from '../../src/tree/tree.js';
import { ZERO_ENTRY } from '../../src/tree/entry.js';
import { MAX_INDEX } from '../../src/tree/constants.js';

const BASH_MAPS = readFileSync(new URL('../fixtures/maps/bash.maps', import.meta.url), 'utf8');

/** Runs the scenario's fork alone; allocation k fails when `fails(site, k)`. */
function forkAlone(config: string, fails: (site: string, k: number) => boolean, signalAtVma: number | null = null) {
  const world = buildScenario({ kernel: config, signalAtVma });
  let fired = false;
  const result = runSync(world.tasks[0]!.run(), { allocate: (site, k) => (fails(site, k) ? ((fired = true), false) : true) });
  return { world, result, fired };
}

describe('each design at every failure point, no walker', () => {
  for (const { name } of DESIGN_KERNELS) {
    it(`${name}: the n-th allocation alone, and with every later one, ends with no leaks`, () => {
      for (const persistent of [false, true]) {
        for (let n = 1; ; n++) {
          const { world, result, fired } = forkAlone(name, (_s, k) => k === n || (persistent && k > n));
          expect(world.finalCheck(), `allocation ${n}${persistent ? '+' : ''}`).toBeNull();
          validateMm(world.parent);
          if (!fired) {
            expect(result).toBe('forked');
            expect(n).toBeGreaterThan(25);
            break;
          }
          expect(result).toBe('failed');
        }
      }
    });
  }
});

/** A parent from the bash capture (height 2: the clearing store allocates) in a kernel of `config`. */
function bashParent(config: KernelConfig): { kernel: Kernel; parent: Mm } {
  const kernel = new Kernel(config);
  return { kernel, parent: mmFromMaps(kernel, BASH_MAPS) };
}

/**
 * dup_mmap into a fresh child with vm_area_dup failing at VMA `k` (the loop's k-th copy) and the
 * allocations after it decided by `later`; returns the child still unfreed.
 */
function failAtVma(config: KernelConfig, k: number, later: (site: string) => boolean) {
  const { kernel, parent } = bashParent(config);
  const child = createMm(kernel);
  let dups = 0;
  let failed = false;
  const sites: string[] = [];
  const out = runSync(dupMmap(child, parent, {}), {
    allocate: (site) => {
      if (failed) {
        sites.push(site);
        return later(site);
      }
      if (site === 'vm_area_dup' && dups++ === k) return !(failed = true);
      return true;
    },
  });
  return { kernel, parent, child, out, sites };
}

function slots(mm: Mm): unknown[] {
  const out: unknown[] = [];
  mm.mmMt.forEach((s) => {
    out.push(s);
  });
  return out;
}

const PARTIAL = kernelConfig('design:partial-teardown');

describe('the clearing store', () => {
  it('succeeds: the child holds only its own VMAs, below the failure point, is unlocked, and exits clean', () => {
    const { kernel, parent, child, out, sites } = failAtVma(PARTIAL, 10, () => true);
    expect(out.retval).toBe(MM_ERRNO.ENOMEM);
    expect(sites.filter((s) => s === CLEAR_SITE).length).toBe(clearingStoreNodesAt(parent, out.mpnt!.vmStart));
    const left = slots(child);
    expect(left).toHaveLength(child.mapCount);
    for (const s of left) {
      expect(s).toBeInstanceOf(Vma);
      expect((s as Vma).vmMm).toBe(child);
      expect((s as Vma).vmEnd).toBeLessThanOrEqual(out.mpnt!.vmStart);
    }
    expect(child.mmMt.find(out.mpnt!.vmStart, MAX_INDEX)).toBeUndefined();
    validateMm(child);
    // Unlocked: the write lock is free to take again (runSync would report a deadlock otherwise).
    runSync((function* () { yield mmapWriteLock(child, 'test'); yield mmapWriteUnlock(child, 'test'); })());
    runSync(mmput(child, 'test'));
    expect(findLeaks(kernel, [parent])).toEqual([]);
  });

  it('fails with ENOMEM when fail-nth reaches its nodes: the teardown fallback empties the tree', () => {
    const { kernel, parent, child, out, sites } = failAtVma(PARTIAL, 10, (site) => site !== CLEAR_SITE);
    expect(sites).toContain(CLEAR_SITE);
    expect(slots(child)).toEqual([]);
    expect(child.testFlag(MMF_UNSTABLE)).toBe(true);
    expect(out.mpnt).not.toBeNull();
    runSync(mmput(child, 'test'));
    expect(findLeaks(kernel, [parent])).toEqual([]);
  });

  it('fails with ENOMEM: the XA_ZERO fallback marks the failing VMA and exit_mmap stops there', () => {
    const config = kernelConfig('design:partial-xa-zero');
    expect(leavesZeroMarker(config)).toBe(true);
    const { kernel, parent, child, out } = failAtVma(config, 10, (site) => site !== CLEAR_SITE);
    expect(child.mmMt.state(out.mpnt!.vmStart).walk()).toBe(ZERO_ENTRY);
    runSync(mmput(child, 'test'));
    expect(findLeaks(kernel, [parent])).toEqual([]);
  });

  it('with the reserve takes no allocation; a failed refill leaves the reserve short by what was used', () => {
    const config = kernelConfig('design:partial+reserve');
    const { kernel, parent, child, out, sites } = failAtVma(config, 10, (site) => site !== REFILL_SITE);
    expect(sites).not.toContain(CLEAR_SITE);
    expect(sites).toContain(REFILL_SITE);
    const used = clearingStoreNodesAt(parent, out.mpnt!.vmStart);
    expect(used).toBeGreaterThan(0);
    expect(nodeReserve(kernel)).toEqual({ size: 63, available: 63 - used });
    expect(slots(child).every((s) => s instanceof Vma && s.vmMm === child)).toBe(true);
    runSync(mmput(child, 'test'));
    expect(findLeaks(kernel, [parent])).toEqual([]);
  });

  it('with a reserve smaller than the store falls back to teardown', () => {
    const config: KernelConfig = { ...kernelConfig('design:partial+reserve'), nodeReserve: { nodes: 1, rcu: false } };
    const { child, sites } = failAtVma(config, 10, () => true);
    expect(sites).not.toContain(REFILL_SITE);
    expect(slots(child)).toEqual([]);
  });
});

/** The tree's own count for the clearing store at `start` in a fresh dup of `parent`'s tree. */
function clearingStoreNodesAt(parent: Mm, start: number): number {
  const tree = parent.mmMt.dup('kernel');
  tree.setRcu(false);
  const mas = tree.state(start, MAX_INDEX);
  mas.preallocate(undefined, 'kernel');
  const n = mas.allocated;
  mas.destroy();
  tree.destroy();
  return n;
}

describe('the reserve arithmetic', () => {
  /** A VMA-like tree of `count` one-page ranges a page apart, as the generated parents have. */
  function handMade(count: number): MapleTree {
    const tree = new MapleTree({ allocRange: true });
    for (let i = 0, at = 0x10000000; i < count; i++, at += 0x2000) tree.state(at, at + 0xfff).storeGfp({ i }, 'kernel');
    return tree;
  }

  it('counts, at every failure point, what the tree preallocates for that store, on trees of height 1 to 4', () => {
    for (const [count, height] of [[5, 1], [40, 2], [300, 3], [1000, 4]] as const) {
      const tree = handMade(count);
      expect(tree.height, `${count} ranges`).toBe(height);
      const figures = reserveFigures(`${count}`, generatedParent(count));
      expect(figures.height).toBe(height);
      for (let k = 0; k < count; k++) {
        const start = 0x10000000 + k * 0x2000;
        const mas = tree.state(start, MAX_INDEX);
        mas.preallocate(undefined, 'kernel');
        expect(figures.needs[k], `${count} ranges, VMA ${k}`).toBe(mas.allocated);
        mas.destroy();
        expect(figures.rcuNeeds[k]).toBe(clearingStoreNodes(tree, start, true));
      }
      // mas_prealloc_calc: a spanning store from the first leaf with nothing sufficient below the root.
      if (height >= 2) expect(figures.max).toBe(3 * height + 1);
    }
  });

  it('applies a MADV_DONTFORK VMA\'s clear before the failure points after it', () => {
    const figures = reserveFigures('default', buildScenario({ kernel: '7.0' }).parent);
    expect(figures.vmas).toBe(DEFAULT_PARENT.length);
    expect(figures.height).toBe(1);
  });
});

describe('the careless walker', () => {
  const run = (config: string, nth: number) => explore({ model: 'fork-exit', variant: `${config}/careless/alloc`, strategy: 'dpor', bound: 1, executions: 20_000, fault: { task: 'fork', nth, mode: 'once' } });

  it('crashes on the empty tree teardown leaves on the mmlist', () => {
    // Allocation 17 fails after the heap, whose swap entries put the child on the mmlist, was copied.
    const r = run('design:teardown', 17);
    expect(r.outcome).toBe('bug');
    expect(r.trace?.violation?.message).toMatch(/virtual address 0x0000000000000000 .*find_vma\(mm#\d+, 0\) returned NULL/);
  });

  it('finds a child-only tree, never empty, under partial teardown at the same failure points', () => {
    for (const config of ['design:partial-teardown', 'design:partial+reserve']) {
      for (const nth of [17, 20, 25]) expect(run(config, nth).outcome, `${config} allocation ${nth}`).toBe('verified');
    }
  });

  it('a failed __mt_dup leaves the child empty on the KSM list when ksm_fork runs first (6.11.6)', () => {
    const r = run('6.10-6.11.6', 4);
    expect(r.outcome).toBe('bug');
    expect(r.trace?.events.find((e) => e.fault)?.obj).toBe('__mt_dup');
  });
});
