/**
 * The node reserve's arithmetic, from the tree itself: for each failure point of a parent — each
 * VMA the fork's loop can stop at — the nodes the partial recovery's clearing store over
 * [VMA start, ULONG_MAX] needs in the child's tree as dup_mmap has it there (the tree's own
 * mas_preallocate count), in normal and RCU mode; the maximum; and whether a reserve of N covers
 * one failing fork, and two failing at once when the first one's refill fails.
 */
import { PAGE_SIZE, VM_DONTCOPY } from '../mm/constants.js';
import { Kernel } from '../mm/kernel.js';
import { flagsFromPerms, mmFromMaps } from '../mm/maps.js';
import { createMm, type Mm } from '../mm/mm.js';
import { clearingStoreNodes } from '../mm/recovery-partial.js';
import { vmaLink } from '../mm/vma-link.js';
import { Vma } from '../mm/vma.js';
import { runSync } from '../explore/sync.js';

export interface ReserveFigures {
  readonly parent: string;
  readonly vmas: number;
  /** The child's tree height right after __mt_dup (the parent's). */
  readonly height: number;
  /** Nodes per failure point (index = the VMA the loop stopped at), normal and RCU mode. */
  readonly needs: readonly number[];
  readonly rcuNeeds: readonly number[];
  readonly max: number;
  readonly rcuMax: number;
  /** The failure point (VMA index) of the first maximum. */
  readonly argMax: number;
  readonly rcuArgMax: number;
  /** Failure points whose clearing store needs any node at all. */
  readonly allocating: number;
  readonly rcuAllocating: number;
}

/** The clearing stores of every failure point of `parent`, on a copy of its tree. */
export function reserveFigures(name: string, parent: Mm): ReserveFigures {
  const vmas: Vma[] = [];
  parent.mmMt.forEach((slot) => {
    vmas.push(slot as Vma);
  });
  // __mt_dup's copy, out of RCU mode as dup_mmap has it. Storing a copy over a parent pointer is an
  // exact fit that leaves the shape alone; a MADV_DONTFORK VMA's vma_iter_clear_gfp changes it, so
  // those are applied as the loop passes them.
  const tree = parent.mmMt.dup('kernel');
  tree.setRcu(false);
  const height = tree.height;
  const needs: number[] = [];
  const rcuNeeds: number[] = [];
  try {
    for (const vma of vmas) {
      needs.push(clearingStoreNodes(tree, vma.vmStart, false));
      rcuNeeds.push(clearingStoreNodes(tree, vma.vmStart, true));
      if (vma.vmFlags & VM_DONTCOPY) tree.state(vma.vmStart, vma.vmEnd - 1).storeGfp(undefined, 'kernel');
    }
  } finally {
    tree.destroy();
  }
  const max = Math.max(0, ...needs);
  const rcuMax = Math.max(0, ...rcuNeeds);
  return {
    parent: name, vmas: vmas.length, height, needs, rcuNeeds, max, rcuMax,
    argMax: needs.indexOf(max), rcuArgMax: rcuNeeds.indexOf(rcuMax),
    allocating: needs.filter((n) => n > 0).length, rcuAllocating: rcuNeeds.filter((n) => n > 0).length,
  };
}

/** Whether a reserve of `nodes` covers these parents: one fork, and two forks sharing it. */
export interface ReserveVerdict {
  readonly nodes: number;
  /** The largest single need over all parents and failure points (normal, RCU). */
  readonly max: number;
  readonly rcuMax: number;
  /** Two forks failing at once when the first one's refill fails: twice the largest need. */
  readonly twoForks: number;
  readonly rcuTwoForks: number;
  readonly oneFits: boolean;
  readonly rcuOneFits: boolean;
  readonly twoFit: boolean;
  readonly rcuTwoFit: boolean;
}

export function reserveVerdict(figures: readonly ReserveFigures[], nodes: number): ReserveVerdict {
  if (!Number.isInteger(nodes) || nodes < 1) throw new RangeError(`reserveVerdict: nodes must be a positive integer, got ${nodes}`);
  const max = Math.max(0, ...figures.map((f) => f.max));
  const rcuMax = Math.max(0, ...figures.map((f) => f.rcuMax));
  // Two processes fork at once (one process's forks serialise on its mmap lock); at worst both are
  // the largest parent, failing at its worst point.
  const twoForks = 2 * max;
  const rcuTwoForks = 2 * rcuMax;
  return {
    nodes, max, rcuMax, twoForks, rcuTwoForks,
    oneFits: max <= nodes, rcuOneFits: rcuMax <= nodes, twoFit: twoForks <= nodes, rcuTwoFit: rcuTwoForks <= nodes,
  };
}

/**
 * A generated parent of `count` one-page anonymous VMAs, each a page apart (so no two merge), from
 * 0x10000000. Linked directly, as a process that raised vm.max_map_count would map them: 10^5 is
 * beyond the default limit of 65530.
 */
export function generatedParent(count: number, kernel = new Kernel()): Mm {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`generatedParent: count must be a positive integer, got ${count}`);
  const mm = createMm(kernel);
  const flags = flagsFromPerms('rw-p');
  for (let i = 0, at = 0x10000000; i < count; i++, at += 2 * PAGE_SIZE) {
    runSync(vmaLink(mm, new Vma(kernel, mm, at, at + PAGE_SIZE, flags, at / PAGE_SIZE, null), 'generated parent'));
  }
  return mm;
}

/** A parent from maps text, in a kernel of its own. */
export function parentFromMaps(maps: string): Mm {
  return mmFromMaps(new Kernel(), maps);
}
