/**
 * The OOM reaper (oom_reap_task → oom_reap_task_mm): with the victim's mm pinned by mmgrab, try the
 * mmap lock for reading a few times, skip an mm marked MMF_OOM_SKIP, otherwise mark it
 * MMF_UNSTABLE and zap the private memory of every VMA (__oom_reap_task_mm) — from the bottom up to
 * 6.17, from the top (mas_for_each_rev) from 6.18. The victim is a task's mm (mark_oom_victim takes
 * tsk->mm), so a fork's child, whose tsk->mm copy_mm sets only after dup_mm succeeded, is never one.
 */
import { functionArg, indexArg, kernelArg, whoArg } from '../args.js';
import { read, step, waitUntil, write, type Task } from '../../explore/protocol.js';
import { MMF_OOM_SKIP, MMF_UNSTABLE, VM_HUGETLB, VM_PFNMAP, VM_SHARED } from '../constants.js';
import { mmdrop } from '../exit.js';
import type { Kernel } from '../kernel.js';
import { mmapReadTrylock, mmapReadUnlock } from '../locks.js';
import type { Mm } from '../mm.js';
import { zapVmaRange } from '../unmap.js';
import { derefVma } from '../vma.js';
import { vmaIter, vmaNext, vmaPrev } from '../vma-iter.js';
import { MAX_INDEX } from '../../tree/constants.js';
import { fieldId } from '../names.js';

/** __oom_reap_task_mm: zap every private VMA of the victim. */
function* oomReapTaskMmWalk(mm: Mm, fn: string): Task {
  mm.setFlag(MMF_UNSTABLE);
  const reverse = mm.kernel.config.oomReapReverse;
  const vmi = vmaIter(mm, reverse ? MAX_INDEX : 0);
  const next = reverse ? vmaPrev : vmaNext;
  yield read(fieldId(mm.name, 'mm_mt'), `${fn}: ${reverse ? 'mas_for_each_rev' : 'for_each_vma'}(${mm.name})`);
  for (let slot = next(vmi); slot !== undefined; slot = next(vmi)) {
    const vma = derefVma(slot, mm, 'vm_flags', fn);
    if (vma.vmFlags & (VM_HUGETLB | VM_PFNMAP)) continue;
    if (vma.isAnonymous || !(vma.vmFlags & VM_SHARED)) zapVmaRange(mm, vma, vma.vmStart, vma.vmEnd);
    yield write(fieldId(mm.name, 'pgtables'), `${fn}: unmap_page_range ${vma.toString()}`);
  }
}

/**
 * The oom_reaper thread: waits for a victim (or until `stop()` says none will come), then
 * oom_reap_task: up to `attempts` tries at the lock; afterwards the victim's reference is dropped.
 */
export function* oomReaper(kernel: Kernel, stop: () => boolean, attempts = 2, who = 'oom_reaper'): Task<'reaped' | 'skipped' | 'gave-up' | 'no-victim'> {
  kernelArg('oom_reaper', kernel);
  functionArg('oom_reaper', 'stop', stop);
  indexArg('oom_reaper', 'attempts', attempts);
  whoArg('oom_reaper', who);
  const fn = `oom_reap_task (${who})`;
  yield waitUntil('oom_victims', () => kernel.oomVictims.length > 0 || stop(), `${who}: wait_event(oom_reaper_wait)`);
  const mm = kernel.oomVictims.shift();
  if (!mm) return 'no-victim';
  kernel.noteReach(mm, who);
  let outcome: 'reaped' | 'skipped' | 'gave-up' = 'gave-up';
  for (let i = 0; i < attempts; i++) {
    if (yield mmapReadTrylock(mm, fn)) {
      if (mm.testFlag(MMF_OOM_SKIP)) {
        outcome = 'skipped';
      } else {
        yield* oomReapTaskMmWalk(mm, `oom_reap_task_mm (${who})`);
        outcome = 'reaped';
      }
      yield mmapReadUnlock(mm, fn);
      break;
    }
    yield step(`${fn}: schedule_timeout_idle before retry ${i + 2}`);
  }
  // The reaper is done with the victim: MMF_OOM_SKIP, and the oom_mm reference goes with the task.
  mm.setFlag(MMF_OOM_SKIP);
  mmdrop(mm, fn);
  return outcome;
}
