/**
 * A userfaultfd monitor that handles fork events: for each UFFD_EVENT_FORK it reads, it pins the
 * new mm (mmget_not_zero) and registers the child's whole address space, which walks every VMA of
 * the child's tree under the mmap lock (userfaultfd_register's for_each_vma_range).
 */
import { functionArg, kernelArg, whoArg } from '../args.js';
import { read, waitUntil, type Task } from '../../explore/protocol.js';
import { TASK_SIZE } from '../constants.js';
import { mmdrop, mmput } from '../exit.js';
import { kfree, use } from '../kasan.js';
import type { Kernel } from '../kernel.js';
import { mmapWriteLock, mmapWriteUnlock } from '../locks.js';
import { derefVma } from '../vma.js';
import { vmaFind, vmaIter } from '../vma-iter.js';
import { fieldId } from '../names.js';

/**
 * Blocks in read() until a fork event arrives (or `stop()` says none will), then handles the events
 * queued so far. Returns how many child VMAs it registered.
 */
export function* uffdMonitor(kernel: Kernel, stop: () => boolean, who = 'uffd monitor'): Task<number> {
  kernelArg('uffd monitor', kernel);
  functionArg('uffd monitor', 'stop', stop);
  whoArg('uffd monitor', who);
  const fn = `userfaultfd_register (${who})`;
  let registered = 0;
  yield waitUntil('uffd_events', () => kernel.uffdEvents.length > 0 || stop(), `${who}: read(uffd) → UFFD_EVENT_FORK`);
  for (const event of kernel.uffdEvents.splice(0)) {
    // The read lets the forking task go on (userfaultfd_event_wait_completion returns).
    event.read = true;
    const ctx = use(event.child, who);
    const mm = ctx.mm;
    if (mm.mmgetNotZero()) {
      kernel.noteReach(mm, who);
      yield mmapWriteLock(mm, fn);
      yield read(fieldId(mm.name, 'mm_mt'), `${fn}: for_each_vma_range(${mm.name})`);
      const vmi = vmaIter(mm, 0);
      for (let slot = vmaFind(vmi, TASK_SIZE); slot !== undefined; slot = vmaFind(vmi, TASK_SIZE)) {
        const vma = derefVma(slot, mm, 'vm_flags', fn);
        if (!vma.isHugetlb) registered++;
      }
      yield mmapWriteUnlock(mm, fn);
      yield* mmput(mm, fn);
    }
    // close(uffd): userfaultfd_ctx_put drops the context and its mmgrab reference.
    kfree(ctx, `userfaultfd_ctx_put (${who})`);
    mmdrop(mm, `userfaultfd_ctx_put (${who})`);
  }
  return registered;
}
