/**
 * The walkers that start from a task rather than from a list of mms: /proc/<pid>/maps and smaps
 * (show_map under mmap_read_lock, and the lockless per-VMA-lock reader), process_madvise,
 * process_mrelease, access_process_vm (ptrace, /proc/<pid>/mem, process_vm_readv), DAMON's vaddr
 * operations and MGLRU's mm list. Each finds the task by pid or pidfd and takes its mm with
 * get_task_mm (MGLRU: lru_gen_add_mm at fork). copy_mm assigns tsk->mm only after dup_mm
 * succeeded, and attach_pid and lru_gen_add_mm run after copy_process's "No more failure paths",
 * so a failed fork's child is never found: the lookup is the whole model of these walkers' door.
 * docs/walkers.md cites each.
 */
import { functionArg, whoArg } from '../args.js';
import { read, type Task } from '../../explore/protocol.js';
import { mmput } from '../exit.js';
import { mmapReadLock, mmapReadUnlock } from '../locks.js';
import type { Mm } from '../mm.js';
import { derefVma } from '../vma.js';
import { vmaIter, vmaNext } from '../vma-iter.js';
import { fieldId } from '../names.js';

/**
 * find_get_task_by_vpid(child) → get_task_mm → show_map over every VMA. `taskMm` answers what
 * get_task_mm would: the child's mm once its task is published with it, null before and after.
 * Returns how many VMAs it read (0 when the task has no mm).
 */
export function* procPidMaps(taskMm: () => Mm | null, who = 'task-lookup'): Task<number> {
  functionArg('proc_pid_maps', 'taskMm', taskMm);
  whoArg('proc_pid_maps', who);
  const fn = `m_start (${who})`;
  yield read('pid_hash', `${who}: find_get_task_by_vpid → get_task_mm`);
  const mm = taskMm();
  if (mm === null || !mm.mmgetNotZero()) return 0;
  mm.kernel.noteReach(mm, who);
  yield mmapReadLock(mm, fn);
  let shown = 0;
  const vmi = vmaIter(mm, 0);
  for (let slot = vmaNext(vmi); slot !== undefined; slot = vmaNext(vmi)) {
    derefVma(slot, mm, 'vm_flags', `show_map (${who})`);
    shown++;
  }
  yield read(fieldId(mm.name, 'mm_mt'), `show_map (${who}): ${shown} VMAs`);
  yield mmapReadUnlock(mm, fn);
  yield* mmput(mm, fn);
  return shown;
}
