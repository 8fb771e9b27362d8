/**
 * mprotect(2): do_mprotect_pkey → mprotect_fixup for each VMA of the range. Like the kernel it works
 * VMA by VMA: an error part way (a hole: -ENOMEM, a permission the mapping may not have: -EACCES,
 * an allocation failure) leaves the VMAs before it changed.
 */
import type { Task } from '../explore/protocol.js';
import {
  PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, TASK_SIZE, VM_ACCESS_FLAGS, VM_ACCOUNT, VM_HUGETLB, VM_NORESERVE, VM_SHARED, VM_WRITE,
  pageAlignUp,
} from './constants.js';
import { MM_ERRNO } from './errno.js';
import type { Mm } from './mm.js';
import { protToVmFlags } from './mmap.js';
import { vmaModifyFlags } from './vma-modify.js';
import { nextVma } from './vma-ops.js';

/** The caller holds mmap_lock for writing. */
export function* doMprotect(mm: Mm, start: number, len: number, prot: number, who = 'mprotect'): Task<number> {
  if (start % PAGE_SIZE !== 0) return MM_ERRNO.EINVAL;
  if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) !== 0) return MM_ERRNO.EINVAL;
  if (len === 0) return 0;
  const end = start + pageAlignUp(len);
  if (end <= start || end > TASK_SIZE) return MM_ERRNO.ENOMEM;
  let addr = start;
  let vma = nextVma(mm, start);
  if (!vma || vma.vmStart > start) return MM_ERRNO.ENOMEM;
  const want = protToVmFlags(prot);
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
