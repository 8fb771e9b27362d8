/**
 * The background scanners that walk every registered mm's VMAs: ksmd (scan_get_next_rmap_item) and
 * khugepaged (khugepaged_scan_mm_slot). Each takes the next mm from its list, locks it for reading
 * (khugepaged only tries), skips an mm whose users are gone (ksm_test_exit /
 * hpage_collapse_test_exit: mm_users == 0, nothing else), then for_each_vma reads vm_flags. Before
 * 985da552a98e a child whose fork then failed was on both lists.
 */
import { lock, read, unlock, type Task } from '../../explore/protocol.js';
import { mmdrop } from '../exit.js';
import type { Kernel } from '../kernel.js';
import { mmapReadLock, mmapReadTrylock, mmapReadUnlock } from '../locks.js';
import type { Mm } from '../mm.js';
import type { MmSlotList } from '../mm-slot.js';
import { derefVma } from '../vma.js';
import { vmaIter, vmaNext } from '../vma-iter.js';
import { fieldId } from '../names.js';

/** The scanners' walk of one mm under its mmap read lock: for_each_vma reading vm_flags. */
function* forEachVmaFlags(mm: Mm, fn: string): Task {
  yield read(fieldId(mm.name, 'mm_mt'), `${fn}: for_each_vma(${mm.name})`);
  const vmi = vmaIter(mm, 0);
  for (let slot = vmaNext(vmi); slot !== undefined; slot = vmaNext(vmi)) {
    const vma = derefVma(slot, mm, 'vm_flags', fn);
    yield read(fieldId(mm.name, 'mm_mt'), `${fn}: for_each_vma ${vma.toString()}`);
  }
}

/**
 * One pass over the list; returns how many mms had their VMAs walked. `walk` reads a live mm under
 * its mmap read lock (the scanners' for_each_vma, or another walker's read through the same door).
 */
export function* scanMmSlots(kernel: Kernel, list: MmSlotList, fn: string, trylock: boolean, who: string, walk: (mm: Mm, fn: string) => Task = forEachVmaFlags): Task<number> {
  let walked = 0;
  let cursor = 0;
  for (;;) {
    yield lock(list.lockId, 'write', `${fn}: spin_lock(&${list.lockId})`);
    const mm: Mm | undefined = list.mms[cursor];
    if (mm) list.scanning = mm;
    yield unlock(list.lockId, 'write', `${fn}: spin_unlock(&${list.lockId})`);
    if (!mm) return walked;
    const locked = trylock ? (yield mmapReadTrylock(mm, fn)) as boolean : (yield mmapReadLock(mm, fn), true);
    if (locked) {
      kernel.noteReach(mm, who);
      if (mm.mmUsers !== 0) {
        yield* walk(mm, fn);
        walked++;
      }
      yield mmapReadUnlock(mm, fn);
    }
    yield lock(list.lockId, 'write', `${fn}: spin_lock(&${list.lockId})`);
    list.scanning = null;
    // An mm that exited meanwhile has its slot freed by the scanner (remove_rmap_item_list /
    // collect_mm_slot), with the slot's mm_count reference.
    const exited = mm.mmUsers === 0;
    if (exited) list.remove(mm);
    else cursor = list.mms.indexOf(mm) + 1;
    yield unlock(list.lockId, 'write', `${fn}: spin_unlock(&${list.lockId})`);
    if (exited) mmdrop(mm, `${fn}: free mm_slot`);
  }
}

/** ksmd: scan_get_next_rmap_item over every mm registered with KSM. */
export function ksmdScan(kernel: Kernel, who = 'ksmd'): Task<number> {
  return scanMmSlots(kernel, kernel.ksm, `scan_get_next_rmap_item (${who})`, false, who);
}

/** khugepaged: khugepaged_scan_mm_slot over every mm registered with khugepaged. */
export function khugepagedScan(kernel: Kernel, who = 'khugepaged'): Task<number> {
  return scanMmSlots(kernel, kernel.khugepaged, `khugepaged_scan_mm_slot (${who})`, true, who);
}
