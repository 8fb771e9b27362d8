/**
 * madvise(2) for the advice the model can carry out: MADV_DONTFORK / MADV_DOFORK, MADV_WIPEONFORK /
 * MADV_KEEPONFORK, MADV_DONTDUMP / MADV_DODUMP and MADV_NORMAL / MADV_SEQUENTIAL / MADV_RANDOM
 * change VMA flags (splitting or merging, madvise_update_vma), MADV_DONTNEED drops pages,
 * MADV_PAGEOUT pushes private anonymous pages out to swap, and MADV_WILLNEED / MADV_COLD touch
 * caches and LRU lists the model does not have. As in the kernel, the VMAs of the range are handled
 * in turn, and a hole in the range gives -ENOMEM after the rest is done.
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
import { vmaModifyFlags } from './vma-modify.js';
import { nextVma } from './vma-ops.js';

/** madvise_vma_behavior for one VMA's part [start, end). */
function* adviseVma(mm: Mm, vma: Vma, start: number, end: number, advice: number, who: string): Task<number> {
  let flags = vma.vmFlags;
  switch (advice) {
    case MADV_DONTNEED:
      if (vma.vmFlags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB)) return MM_ERRNO.EINVAL;
      zapVmaRange(mm, vma, start, end);
      return 0;
    case MADV_PAGEOUT:
      if (vma.vmFlags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB)) return MM_ERRNO.EINVAL;
      for (let a = start; a < end; a += PAGE_SIZE) yield* swapOutPage(mm, a, who);
      return 0;
    case MADV_COLD:
      // madvise_cold deactivates pages on the LRU, which the model does not have: nothing changes.
      if (vma.vmFlags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB)) return MM_ERRNO.EINVAL;
      return 0;
    case MADV_WILLNEED:
      // madvise_willneed reads ahead into the page or swap cache without mapping anything.
      return 0;
    case MADV_NORMAL:
      flags &= ~(VM_RAND_READ | VM_SEQ_READ);
      break;
    case MADV_SEQUENTIAL:
      flags = (flags & ~VM_RAND_READ) | VM_SEQ_READ;
      break;
    case MADV_RANDOM:
      flags = (flags & ~VM_SEQ_READ) | VM_RAND_READ;
      break;
    case MADV_DONTFORK:
      flags |= VM_DONTCOPY;
      break;
    case MADV_DOFORK:
      if (vma.vmFlags & VM_IO) return MM_ERRNO.EINVAL;
      flags &= ~VM_DONTCOPY;
      break;
    case MADV_WIPEONFORK:
      // Only private anonymous memory can start empty in the child.
      if (vma.vmFile || (vma.vmFlags & VM_SHARED)) return MM_ERRNO.EINVAL;
      flags |= VM_WIPEONFORK;
      break;
    case MADV_KEEPONFORK:
      flags &= ~VM_WIPEONFORK;
      break;
    case MADV_DONTDUMP:
      flags |= VM_DONTDUMP;
      break;
    case MADV_DODUMP:
      if (!(vma.vmFlags & VM_HUGETLB) && (vma.vmFlags & VM_SPECIAL)) return MM_ERRNO.EINVAL;
      flags &= ~VM_DONTDUMP;
      break;
  }
  if (flags === vma.vmFlags) return 0;
  return yield* vmaModifyFlags(mm, vma, start, end, flags, who);
}

/** do_madvise. The caller holds mmap_lock (for writing: the flag changes need it). */
export function* doMadvise(mm: Mm, start: number, len: number, advice: number, who = 'madvise'): Task<number> {
  mmArg('do_madvise', mm);
  whoArg('do_madvise', who);
  const args = madviseArgs(start, len, advice);
  if (args instanceof MmError) return args.errno;
  const end = args.end;
  if (end === args.start) return 0;
  let addr = args.start;
  let hole = false;
  while (addr < end) {
    const vma = nextVma(mm, addr);
    if (!vma || vma.vmStart >= end) {
      hole = true;
      break;
    }
    if (vma.vmStart > addr) hole = true;
    const from = Math.max(addr, vma.vmStart);
    const to = Math.min(end, vma.vmEnd);
    const err = yield* adviseVma(mm, vma, from, to, advice, who);
    if (err) return err;
    addr = to;
  }
  return hole ? MM_ERRNO.ENOMEM : 0;
}
