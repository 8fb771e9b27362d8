/**
 * brk(2): move the end of the heap. Shrinking unmaps (do_vmi_munmap); growing extends the heap VMA
 * in place when it ends at the old break and could merge with the new range (do_brk_flags's
 * vma_merge_new_range)
 * or maps a new VMA, refusing to come within a page of the next mapping. Like the syscall it
 * returns the new break, or the old one when the change cannot be made.
 */
import { vmAcctMemory } from './accounting.js';
import { write, type Task } from '../explore/protocol.js';
import { brkArg, mmArg, whoArg } from './args.js';
import { PAGE_SIZE, TASK_SIZE, VM_ACCOUNT, VM_MAYEXEC, VM_MAYREAD, VM_MAYWRITE, VM_READ, VM_WRITE, pageAlignUp } from './constants.js';
import type { Mm } from './mm.js';
import { doVmiMunmap, MAX_MAP_COUNT } from './munmap.js';
import { Vma } from './vma.js';
import { vmaLink } from './vma-link.js';
import { vmaMergeTargets } from './vma-merge.js';
import { allocateAll, nextVma, prevVma, setBounds } from './vma-ops.js';
import { fieldId } from './names.js';

/** VM_DATA_DEFAULT_FLAGS with the accounting brk adds. */
export const BRK_FLAGS = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT;

/** The caller holds mmap_lock for writing. */
export function* doBrk(mm: Mm, brk: number, who = 'brk'): Task<number> {
  mmArg('brk', mm);
  whoArg('brk', who);
  brkArg(brk);
  // A negative break is an unsigned long above TASK_SIZE: refused below like any break past it.
  if (brk < 0 || brk < mm.startBrk || mm.startBrk === 0) return mm.brk;
  const newbrk = pageAlignUp(brk);
  const oldbrk = pageAlignUp(mm.brk);
  if (newbrk === oldbrk) {
    mm.brk = brk;
    return brk;
  }
  if (brk <= mm.brk) {
    const err = yield* doVmiMunmap(mm, newbrk, oldbrk - newbrk, who);
    if (err) return mm.brk;
    mm.brk = brk;
    return brk;
  }
  // check_brk_limits: the new heap must fit below TASK_SIZE.
  if (newbrk > TASK_SIZE) return mm.brk;
  const next = nextVma(mm, oldbrk);
  if (next && newbrk + PAGE_SIZE > next.vmStart) return mm.brk;
  const len = newbrk - oldbrk;
  const pages = len / PAGE_SIZE;
  // do_brk_flags: vma_merge_new_range with just_expand, the heap growing over the new range.
  const proposal = {
    vmFlags: BRK_FLAGS, vmFile: null, policy: null, uffdCtx: null, vmPgoff: oldbrk / PAGE_SIZE, vmStart: oldbrk, vmEnd: newbrk,
    anonName: null, anonVma: null,
  };
  const heap = vmaMergeTargets(proposal, prevVma(mm, oldbrk), null, true).prev;
  if (!heap && mm.mapCount >= MAX_MAP_COUNT) return mm.brk;
  const sites = ['security_vm_enough_memory_mm', ...(heap ? [] : ['vm_area_alloc']), 'vma_iter_prealloc'];
  if (!(yield* allocateAll(sites, who))) return mm.brk;
  if (heap) {
    yield* setBounds(mm, heap, heap.vmStart, newbrk, who);
    mm.statAccount(BRK_FLAGS, pages);
    vmAcctMemory(mm, pages);
  } else {
    const vma = new Vma(mm.kernel, mm, oldbrk, newbrk, BRK_FLAGS, oldbrk / PAGE_SIZE, null);
    yield* vmaLink(mm, vma, who);
  }
  yield write(fieldId(mm.name, 'brk'), `${who}: brk 0x${brk.toString(16)}`);
  mm.brk = brk;
  return brk;
}
