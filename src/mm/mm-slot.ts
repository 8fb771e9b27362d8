/**
 * The mm lists of the two background scanners, ksmd (mm/ksm.c's ksm_mm_head) and khugepaged
 * (khugepaged_scan.mm_head): registration (__ksm_enter / __khugepaged_enter, an mm_slot holding an
 * mm_count reference), and the exit hooks __mmput runs first (__ksm_exit / __khugepaged_exit).
 */
import { lock, unlock, write, type Task } from '../explore/protocol.js';
import { show } from './args.js';
import { mmapWriteLock, mmapWriteUnlock } from './locks.js';
import type { Mm } from './mm.js';

export type ScannerName = 'ksmd' | 'khugepaged';

export class MmSlotList {
  /** Registered mms, in list order (each slot holds an mmgrab reference). */
  readonly mms: Mm[] = [];
  /** The mm the scanner is working on (ksm_scan.mm_slot / khugepaged_scan.mm_slot), if any. */
  scanning: Mm | null = null;

  constructor(readonly scanner: ScannerName) {
    if (scanner !== 'ksmd' && scanner !== 'khugepaged') throw new RangeError(`MmSlotList: scanner must be 'ksmd' or 'khugepaged', got ${show(scanner)}`);
  }

  /** ksm_mmlist_lock / khugepaged_mm_lock */
  get lockId(): string {
    return this.scanner === 'ksmd' ? 'ksm_mmlist_lock' : 'khugepaged_mm_lock';
  }

  /** MMF_VM_MERGEABLE / MMF_VM_HUGEPAGE */
  registered(mm: Mm): boolean {
    return this.scanner === 'ksmd' ? mm.ksmRegistered : mm.khugepagedRegistered;
  }

  setRegistered(mm: Mm, on: boolean): void {
    if (this.scanner === 'ksmd') mm.ksmRegistered = on;
    else mm.khugepagedRegistered = on;
  }

  /** Drops `mm`'s slot (the caller holds the list lock). */
  remove(mm: Mm): void {
    const i = this.mms.indexOf(mm);
    if (i >= 0) this.mms.splice(i, 1);
  }
}

/** __ksm_enter / __khugepaged_enter: the mm gets a slot on the scanner's list. */
export function* mmSlotEnter(list: MmSlotList, mm: Mm, who: string): Task {
  mm.mmgrab();
  yield lock(list.lockId, 'write', `${who}: spin_lock(&${list.lockId})`);
  list.mms.push(mm);
  list.setRegistered(mm, true);
  yield write(`${list.scanner}.mm_list`, `${who}: list_add_tail(${mm.name})`);
  yield unlock(list.lockId, 'write', `${who}: spin_unlock(&${list.lockId})`);
}

/**
 * __ksm_exit / __khugepaged_exit: a slot the scanner is not on is freed at once (mmdrop); one it is
 * on is left for the scanner to free, and the exiting task waits for it with a write lock; one the
 * scanner already freed needs nothing. (mmdrop is passed in: exit.ts calls this.)
 */
export function* mmSlotExit(list: MmSlotList, mm: Mm, who: string, mmdrop: (mm: Mm, who: string) => void): Task {
  if (!list.registered(mm)) return;
  const fn = `${list.scanner === 'ksmd' ? '__ksm_exit' : '__khugepaged_exit'} (${who})`;
  yield lock(list.lockId, 'write', `${fn}: spin_lock(&${list.lockId})`);
  list.setRegistered(mm, false);
  // mm_slot_lookup: the scanner may have freed the slot already.
  const slotted = list.mms.includes(mm);
  const easyToFree = slotted && list.scanning !== mm;
  if (easyToFree) list.remove(mm);
  yield unlock(list.lockId, 'write', `${fn}: spin_unlock(&${list.lockId})`);
  if (easyToFree) {
    mmdrop(mm, fn);
  } else if (slotted) {
    yield mmapWriteLock(mm, fn);
    yield mmapWriteUnlock(mm, fn);
  }
}
