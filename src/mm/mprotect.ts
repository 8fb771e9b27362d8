/**
 * mprotect(2): do_mprotect_pkey → mprotect_fixup for each VMA of the range. The arguments are checked
 * (args.ts) before anything changes; then, like the kernel (and as POSIX allows), it works VMA by
 * VMA: an error part way (a hole: -ENOMEM, a permission the mapping may not have: -EACCES, an
 * allocation failure) leaves the VMAs before it changed.
 */
import type { Task } from '../explore/protocol.js';
import { mmArg, mprotectArgs, whoArg } from './args.js';
import { PAGE_SIZE, VM_ACCESS_FLAGS, VM_ACCOUNT, VM_GROWSDOWN, VM_HUGETLB, VM_NORESERVE, VM_SHARED, VM_WRITE } from './constants.js';
import { MM_ERRNO, MmError } from './errno.js';
import type { Mm } from './mm.js';
import { protToVmFlags } from './mmap.js';
import { vmaModifyFlags } from './vma-modify.js';
import { nextVma } from './vma-ops.js';

/** The caller holds mmap_lock for writing. */
export function* doMprotect(mm: Mm, start: number, len: number, prot: number, who = 'mprotect'): Task<number> {
  mmArg('do_mprotect_pkey', mm);
  whoArg('do_mprotect_pkey', who);
  const args = mprotectArgs(start, len, prot);
  if (args instanceof MmError) return args.errno;
  const end = args.end;
  if (end === args.start) return 0;
  let vma = nextVma(mm, args.start);
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
    if (flags !== vma.vmFlags) {
      const err = yield* vmaModifyFlags(mm, vma, addr, to, flags, who, charge);
      if (err) return err;
    }
    addr = to;
    vma = addr < end ? nextVma(mm, addr) : null;
  }
  return 0;
}
