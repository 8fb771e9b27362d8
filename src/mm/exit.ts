/**
 * The end of an address space: mmput → __mmput → exit_mmap → mmdrop → __mmdrop. Whichever task
 * drops the last mm_users reference runs exit_mmap, so it may run in dup_mm, in swapoff's mmput of
 * its previous mm, or in any walker that held a reference.
 */
import { vmUnacctMemory } from './accounting.js';
import { mmArg, whoArg } from './args.js';
import { ModelViolation, write, type Task } from '../explore/protocol.js';
import { MMF_OOM_SKIP, VM_ACCOUNT } from './constants.js';
import { mmSlotExit } from './mm-slot.js';
import { decRef } from './kasan.js';
import { mmapReadLock, mmapReadUnlock, mmapWriteLock, mmapWriteUnlock, mmlistLock, mmlistUnlock } from './locks.js';
import type { Mm } from './mm.js';
import {
  freePgtables, removeVma, tearDownVmas, unmapAllInit, unmapPgtableInit, unmapVmas, type UnmapDesc,
} from './unmap.js';
import type { MaState } from '../tree/state.js';
import { derefVma, type Vma } from './vma.js';
import { leavesZeroMarker } from './config.js';
import { isZero, vmaIter, vmaIterSet, vmaNext } from './vma-iter.js';
import { vmAreaFreeing } from './vma-memory.js';
import { fieldId } from './names.js';

/** exit_mmap: tear the whole address space down, in the configured kernel's form. */
export function* exitMmap(mm: Mm, who: string): Task {
  mmArg('exit_mmap', mm);
  whoArg('exit_mmap', who);
  if (leavesZeroMarker(mm.kernel.config)) yield* exitMmap618(mm, who);
  else yield* exitMmap70(mm, who);
  mm.exited = true;
}

/**
 * The part of exit_mmap both versions share: under the read lock, unmap every VMA's pages from the
 * first (unmap_vmas), then MMF_OOM_SKIP and the write lock. Returns the first VMA and the unmap
 * descriptor, or null when the tree has nothing to unmap (empty; in 6.8–6.18 also a marker first).
 */
function* exitMmapUnmap(mm: Mm, fn: string, stopAtZero: boolean): Task<{ vmi: MaState; vma: Vma; unmap: UnmapDesc } | null> {
  const vmi = vmaIter(mm, 0);
  yield mmapReadLock(mm, fn);
  const first = vmaNext(vmi);
  if (first === undefined || (stopAtZero && isZero(first))) {
    yield mmapReadUnlock(mm, fn);
    yield mmapWriteLock(mm, fn);
    return null;
  }
  const vma = derefVma(first, mm, 'vm_start', fn);
  const unmap = unmapAllInit(vmi, vma);
  unmapVmas(mm, unmap, fn);
  yield mmapReadUnlock(mm, fn);
  mm.setFlag(MMF_OOM_SKIP);
  yield mmapWriteLock(mm, fn);
  unmap.mmWrLocked = true;
  mm.mmMt.setRcu(false);
  return { vmi, vma, unmap };
}

/** The end both versions share: the tree destroyed, the write lock dropped, the charge returned. */
function* exitMmapDone(mm: Mm, fn: string, nrAccounted: number): Task {
  mm.mmMt.destroy();
  yield mmapWriteUnlock(mm, fn);
  vmUnacctMemory(mm, nrAccounted);
}

/** exit_mmap as in 7.0: no XA_ZERO checks; unmap descriptors bound every walk. */
function* exitMmap70(mm: Mm, who: string): Task {
  const fn = `exit_mmap (${who})`;
  const got = yield* exitMmapUnmap(mm, fn, false);
  let nrAccounted = 0;
  if (got) {
    unmapPgtableInit(got.unmap);
    yield* freePgtables(mm, got.unmap, fn);
    yield vmAreaFreeing(mm, fn);
    nrAccounted = tearDownVmas(mm, got.vmi, got.vma, Number.MAX_SAFE_INTEGER, fn);
  }
  yield* exitMmapDone(mm, fn, nrAccounted);
}

/** exit_mmap as in 6.8–6.18: every walk stops at XA_ZERO_ENTRY, the mark of a failed dup_mmap. */
function* exitMmap618(mm: Mm, who: string): Task {
  const fn = `exit_mmap (${who})`;
  const got = yield* exitMmapUnmap(mm, fn, true);
  let nrAccounted = 0;
  if (got) {
    const { vmi, unmap } = got;
    let vma = got.vma;
    vmaIterSet(vmi, vma.vmEnd);
    unmapPgtableInit(unmap);
    yield* freePgtables(mm, unmap, fn);
    vmaIterSet(vmi, vma.vmEnd);
    yield vmAreaFreeing(mm, fn);
    let count = 0;
    for (;;) {
      if (vma.vmFlags & VM_ACCOUNT) nrAccounted += vma.pages;
      vma.detached = true;
      removeVma(vma, fn);
      count++;
      const next = vmaNext(vmi);
      if (next === undefined || isZero(next)) break;
      vma = derefVma(next, mm, 'vm_start', fn);
    }
    if (count !== mm.mapCount) {
      throw new ModelViolation('map-count-mismatch', `kernel BUG in exit_mmap: removed ${count} VMAs but ${mm.name}.map_count is ${mm.mapCount}`);
    }
  }
  yield* exitMmapDone(mm, fn, nrAccounted);
}

/** __mmput: the address space's last user is gone. */
export function* __mmput(mm: Mm, who: string): Task {
  mmArg('__mmput', mm);
  whoArg('__mmput', who);
  // ksm_exit and khugepaged_exit run before exit_mmap.
  yield* mmSlotExit(mm.kernel.ksm, mm, who, mmdrop);
  yield* mmSlotExit(mm.kernel.khugepaged, mm, who, mmdrop);
  yield* exitMmap(mm, who);
  if (mm.exeFile) {
    mm.exeFile.refs--;
    mm.exeFile = null;
  }
  if (mm.onMmlist) {
    yield mmlistLock(`__mmput (${who})`);
    const list = mm.kernel.mmlist;
    list.splice(list.indexOf(mm), 1);
    mm.onMmlist = false;
    yield write('mmlist', `__mmput (${who}): list_del(&${mm.name}->mmlist)`);
    yield mmlistUnlock(`__mmput (${who})`);
  }
  mmdrop(mm, who);
}

/** mmput: drop an mm_users reference; the last one runs __mmput in this task. */
export function* mmput(mm: Mm, who: string): Task {
  mmArg('mmput', mm);
  whoArg('mmput', who);
  yield write(fieldId(mm.name, 'mm_users'), `${who}: mmput(${mm.name})`);
  mm.mmUsers = decRef(mm.mmUsers, fieldId(mm.name, 'mm_users'));
  if (mm.mmUsers === 0) yield* __mmput(mm, who);
}

/**
 * mmdrop → __mmdrop, with check_mm's complaints: the mm_struct must not be freed with pages,
 * swap entries or page tables still accounted to it.
 */
export function mmdrop(mm: Mm, who: string): void {
  mmArg('mmdrop', mm);
  whoArg('mmdrop', who);
  if (mm.mmCount === 1) checkMm(mm);
  mm.mmdrop(who);
}

function checkMm(mm: Mm): void {
  const pt = mm.pt;
  if (pt.anonPages !== 0 || pt.filePages !== 0 || pt.swapEntries !== 0) {
    throw new ModelViolation('bad-rss-counter',
      `BUG: Bad rss-counter state ${mm.name}: anon ${pt.anonPages} file ${pt.filePages} swap ${pt.swapEntries}`);
  }
  if (pt.tables.size !== 0) {
    throw new ModelViolation('pgtable-leak', `BUG: non-zero pgtables_bytes on freeing ${mm.name}: ${pt.tables.size} PTE tables`);
  }
}

