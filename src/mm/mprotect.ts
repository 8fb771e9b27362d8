/**
 * mprotect(2): do_mprotect_pkey → mprotect_fixup for each VMA of the range. The arguments are checked
 * (args.ts) before anything changes. Unlike the kernel, which works VMA by VMA and leaves the VMAs
 * before an error changed (a hole: -ENOMEM, a permission the mapping may not have: -EACCES, an
 * allocation failure), the model plans the whole range first (vma-plan.ts): a failed call changes
 * nothing.
 */
import type { Task } from '../explore/protocol.js';
import { mmArg, mprotectArgs, whoArg } from './args.js';
import { PAGE_SIZE, VM_ACCESS_FLAGS, VM_ACCOUNT, VM_GROWSDOWN, VM_HUGETLB, VM_NORESERVE, VM_SHARED, VM_WRITE } from './constants.js';
import { MM_ERRNO, MmError } from './errno.js';
import type { Mm } from './mm.js';
import { protToVmFlags } from './mmap.js';
import type { VmaShape } from './vma-modify.js';
import { nextVma } from './vma-ops.js';
import { walkAllOrNothing, type RangeWorld } from './vma-plan.js';

/**
 * The walk over the VMAs of [addr, end) (mprotect_fixup for each): -ENOMEM at a hole, -EACCES for a
 * VMA that may not have the access asked for, else 0 — over the plan's copies first, then the mm.
 */
function* mprotectWalk<V extends VmaShape>(w: RangeWorld<V>, addr: number, end: number, want: number): Task<number> {
  let vma = w.nextVma(addr);
  while (addr < end) {
    if (!vma || vma.vmStart > addr) return MM_ERRNO.ENOMEM;
    const newFlags = (vma.vmFlags & ~VM_ACCESS_FLAGS) | want;
    // VM_MAY* bits sit four above their VM_* bits: no access the mapping may not have.
    if ((newFlags & ~(newFlags >>> 4)) & VM_ACCESS_FLAGS) return MM_ERRNO.EACCES;
    const to = Math.min(end, vma.vmEnd);
    let flags = newFlags;
    let charge = 0;
    // mprotect_fixup: private memory becoming writable is charged (and never uncharged).
    if ((newFlags & VM_WRITE) && !(vma.vmFlags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) {
      charge = (to - addr) / PAGE_SIZE;
      flags |= VM_ACCOUNT;
    }
    if (flags !== vma.vmFlags) yield* w.modify(vma, addr, to, flags, charge);
    addr = to;
    vma = addr < end ? w.nextVma(addr) : null;
  }
  return 0;
}

/**
 * The caller holds mmap_lock for writing. All or nothing (vma-plan.ts): the walk runs over copies
 * of the range's VMAs first, every allocation it will make is taken, and only then does it run on
 * the mm — where the kernel changes each VMA as it goes and leaves the earlier ones changed.
 */
export function* doMprotect(mm: Mm, start: number, len: number, prot: number, who = 'mprotect'): Task<number> {
  mmArg('do_mprotect_pkey', mm);
  whoArg('do_mprotect_pkey', who);
  const args = mprotectArgs(start, len, prot);
  if (args instanceof MmError) return args.errno;
  const end = args.end;
  if (end === args.start) return 0;
  const vma = nextVma(mm, args.start);
  if (!vma || vma.vmStart >= end) return MM_ERRNO.ENOMEM;
  let addr = args.start;
  if (args.growsDown) {
    // PROT_GROWSDOWN extends the change down to the start of a stack VMA.
    addr = vma.vmStart;
    if (!(vma.vmFlags & VM_GROWSDOWN)) return MM_ERRNO.EINVAL;
  } else {
    if (vma.vmStart > addr) return MM_ERRNO.ENOMEM;
    // PROT_GROWSUP needs a VM_GROWSUP VMA, which x86 does not have.
    if (args.growsUp) return MM_ERRNO.EINVAL;
  }
  const want = protToVmFlags(args.prot);
  return yield* walkAllOrNothing(mm, addr, end, who, (w) => mprotectWalk(w, addr, end, want));
}
