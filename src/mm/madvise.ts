/**
 * madvise(2) for the advice the model can carry out: MADV_DONTFORK / MADV_DOFORK, MADV_WIPEONFORK /
 * MADV_KEEPONFORK, MADV_DONTDUMP / MADV_DODUMP and MADV_NORMAL / MADV_SEQUENTIAL / MADV_RANDOM
 * change VMA flags (splitting or merging, madvise_update_vma), MADV_DONTNEED drops pages,
 * MADV_PAGEOUT pushes private anonymous pages out to swap, and MADV_WILLNEED / MADV_COLD touch
 * caches and LRU lists the model does not have. As in the kernel, the VMAs of the range are handled
 * in turn and a hole gives -ENOMEM; unlike the kernel, a call that fails changes nothing.
 */
import type { Task } from '../explore/protocol.js';
import { madviseArgs, mmArg, whoArg } from './args.js';
import {
  MADV_COLD, MADV_DODUMP, MADV_DOFORK, MADV_DONTDUMP, MADV_DONTFORK, MADV_DONTNEED, MADV_KEEPONFORK, MADV_NORMAL, MADV_PAGEOUT,
  MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_WIPEONFORK, PAGE_SIZE, VM_DONTCOPY, VM_DONTDUMP, VM_HUGETLB, VM_IO, VM_LOCKED,
  VM_PFNMAP, VM_RAND_READ, VM_SEQ_READ, VM_SHARED, VM_SPECIAL, VM_WIPEONFORK,
} from './constants.js';
import { MM_ERRNO, MmError } from './errno.js';
import type { Mm } from './mm.js';
import { swapOutPage } from './swap.js';
import { zapVmaRange } from './unmap.js';
import type { Vma } from './vma.js';
import type { VmaShape } from './vma-modify.js';
import { walkAllOrNothing, type RangeWorld } from './vma-plan.js';

/** The advice that changes what a VMA maps (its pages), not its flags. */
const PAGE_ADVICE = new Set([MADV_DONTNEED, MADV_PAGEOUT, MADV_COLD, MADV_WILLNEED]);

/** madvise_vma_behavior's refusals for `vma`: -EINVAL, or 0. */
function adviceRefused(vma: VmaShape, advice: number): number {
  switch (advice) {
    case MADV_DONTNEED:
    case MADV_PAGEOUT:
    case MADV_COLD:
      return vma.vmFlags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB) ? MM_ERRNO.EINVAL : 0;
    case MADV_DOFORK:
      return vma.vmFlags & VM_IO ? MM_ERRNO.EINVAL : 0;
    case MADV_WIPEONFORK:
      // Only private anonymous memory can start empty in the child.
      return vma.vmFile || (vma.vmFlags & VM_SHARED) ? MM_ERRNO.EINVAL : 0;
    case MADV_DODUMP:
      return !(vma.vmFlags & VM_HUGETLB) && (vma.vmFlags & VM_SPECIAL) ? MM_ERRNO.EINVAL : 0;
    default:
      return 0;
  }
}

/** madvise_update_vma's new flags for a flag advice. */
function advisedFlags(flags: number, advice: number): number {
  switch (advice) {
    case MADV_NORMAL: return flags & ~(VM_RAND_READ | VM_SEQ_READ);
    case MADV_SEQUENTIAL: return (flags & ~VM_RAND_READ) | VM_SEQ_READ;
    case MADV_RANDOM: return (flags & ~VM_SEQ_READ) | VM_RAND_READ;
    case MADV_DONTFORK: return flags | VM_DONTCOPY;
    case MADV_DOFORK: return flags & ~VM_DONTCOPY;
    case MADV_WIPEONFORK: return flags | VM_WIPEONFORK;
    case MADV_KEEPONFORK: return flags & ~VM_WIPEONFORK;
    case MADV_DONTDUMP: return flags | VM_DONTDUMP;
    case MADV_DODUMP: return flags & ~VM_DONTDUMP;
    default: return flags;
  }
}

/**
 * madvise_walk_vmas: each VMA's part of [start, end) in turn; a refusal ends the walk with its
 * errno, a hole gives -ENOMEM once the rest is done — over the plan's copies first, then the mm.
 */
function* madviseWalk<V extends VmaShape>(w: RangeWorld<V>, start: number, end: number, advice: number): Task<number> {
  let addr = start;
  let hole = false;
  while (addr < end) {
    const vma = w.nextVma(addr);
    if (!vma || vma.vmStart >= end) {
      hole = true;
      break;
    }
    if (vma.vmStart > addr) hole = true;
    const from = Math.max(addr, vma.vmStart);
    const to = Math.min(end, vma.vmEnd);
    const err = adviceRefused(vma, advice);
    if (err) return err;
    if (PAGE_ADVICE.has(advice)) {
      if (w.act) yield* w.act(vma, from, to);
    }
    else {
      const flags = advisedFlags(vma.vmFlags, advice);
      if (flags !== vma.vmFlags) yield* w.modify(vma, from, to, flags, 0);
    }
    addr = to;
  }
  return hole ? MM_ERRNO.ENOMEM : 0;
}

/** What the page advice does to one VMA's part (MADV_COLD and MADV_WILLNEED touch nothing the model has). */
function pageAdvice(mm: Mm, advice: number, who: string): (vma: Vma, start: number, end: number) => Task {
  return (vma, start, end) => applyPageAdvice(mm, advice, who, vma, start, end);
}

/** pageAdvice's action on [start, end) of `vma` (module-level: no generator function per call, eslint.config.js). */
function* applyPageAdvice(mm: Mm, advice: number, who: string, vma: Vma, start: number, end: number): Task {
  if (advice === MADV_DONTNEED) zapVmaRange(mm, vma, start, end);
  else if (advice === MADV_PAGEOUT) for (let a = start; a < end; a += PAGE_SIZE) yield* swapOutPage(mm, a, who);
}

/**
 * do_madvise. The caller holds mmap_lock (for writing: the flag changes need it). All or nothing
 * (vma-plan.ts): where the kernel applies the advice to the VMAs before a hole or a refused VMA and
 * then returns the error, the model checks the whole range on copies first and changes nothing.
 */
export function* doMadvise(mm: Mm, start: number, len: number, advice: number, who = 'madvise'): Task<number> {
  mmArg('do_madvise', mm);
  whoArg('do_madvise', who);
  const args = madviseArgs(start, len, advice);
  if (args instanceof MmError) return args.errno;
  const end = args.end;
  if (end === args.start) return 0;
  return yield* walkAllOrNothing(mm, args.start, end, who, (w) => madviseWalk(w, args.start, end, args.advice), pageAdvice(mm, args.advice, who));
}
