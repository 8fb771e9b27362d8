/**
 * The memory syscalls as tasks, with their locking (vm_mmap_pgoff, __vm_munmap, do_mprotect_pkey,
 * do_madvise, brk, and the page-fault entry): each takes the mmap lock, does the work, drops it.
 * These are what run under the explorer; Mm's methods run them synchronously.
 *
 * Each checks its arguments when called, before the task exists (args.ts): a value of the wrong
 * type throws TypeError / RangeError, and a value the kernel refuses whatever the mm holds throws the
 * kernel's errno as an MmError naming the argument. What can only fail against the mm's state is
 * returned as a negative errno by the task, as the kernel returns it.
 */
import type { Task } from '../explore/protocol.js';
import { brkArg, faultArgs, liveMmArg, madviseArgs, mmapArgs, mprotectArgs, munmapArgs } from './args.js';
import { doBrk } from './brk.js';
import { MmError } from './errno.js';
import { handleMmFault } from './fault.js';
import type { File } from './file.js';
import { mmapReadLock, mmapReadUnlock, mmapWriteLock, mmapWriteUnlock } from './locks.js';
import { doMadvise } from './madvise.js';
import type { Mm } from './mm.js';
import { doMmap } from './mmap.js';
import { doMprotect } from './mprotect.js';
import { doVmiMunmap } from './munmap.js';

function* underWriteLock(mm: Mm, who: string, body: () => Task<number>): Task<number> {
  yield mmapWriteLock(mm, who);
  const ret = yield* body();
  yield mmapWriteUnlock(mm, who);
  return ret;
}

/** Throws a refusal; passes checked arguments through. */
function accepted<T>(checked: T | MmError): T {
  if (checked instanceof MmError) throw checked;
  return checked;
}

/** mmap(2) (vm_mmap_pgoff): the address, or a negative errno. */
export function sysMmap(mm: Mm, addr: number, len: number, prot: number, flags: number, file: File | null = null, offset = 0): Task<number> {
  liveMmArg('mmap', mm);
  accepted(mmapArgs(addr, len, prot, flags, file, offset));
  return underWriteLock(mm, 'mmap', () => doMmap(mm, addr, len, prot, flags, file, offset));
}

/** munmap(2) (__vm_munmap) */
export function sysMunmap(mm: Mm, addr: number, len: number): Task<number> {
  liveMmArg('munmap', mm);
  accepted(munmapArgs(addr, len));
  return underWriteLock(mm, 'munmap', () => doVmiMunmap(mm, addr, len));
}

/** mprotect(2) */
export function sysMprotect(mm: Mm, addr: number, len: number, prot: number): Task<number> {
  liveMmArg('mprotect', mm);
  accepted(mprotectArgs(addr, len, prot));
  return underWriteLock(mm, 'mprotect', () => doMprotect(mm, addr, len, prot));
}

/** madvise(2) */
export function sysMadvise(mm: Mm, addr: number, len: number, advice: number): Task<number> {
  liveMmArg('madvise', mm);
  accepted(madviseArgs(addr, len, advice));
  return underWriteLock(mm, 'madvise', () => doMadvise(mm, addr, len, advice));
}

/** brk(2): the new break, or the old one when it cannot move. */
export function sysBrk(mm: Mm, brk: number): Task<number> {
  liveMmArg('brk', mm);
  brkArg(brk);
  return underWriteLock(mm, 'brk', () => doBrk(mm, brk));
}

/** A user page fault (lock_mm_and_find_vma, handle_mm_fault): 0, -EFAULT (SIGSEGV) or -ENOMEM. */
export function sysFault(mm: Mm, addr: number, writeAccess: boolean): Task<number> {
  liveMmArg('page fault', mm);
  faultArgs(addr, writeAccess);
  return faultTask(mm, addr, writeAccess);
}

function* faultTask(mm: Mm, addr: number, writeAccess: boolean): Task<number> {
  yield mmapReadLock(mm, 'page fault');
  const ret = yield* handleMmFault(mm, addr, writeAccess, 'page fault');
  yield mmapReadUnlock(mm, 'page fault');
  return ret;
}
