/**
 * The memory syscalls run synchronously, outside any exploration: each drives its task (syscalls.ts)
 * to the end on the explorer's one scheduler and throws MmError on a negative return. `sync` decides
 * allocations like runSync's options (default: every allocation succeeds).
 */
import { runSync, type SyncOptions } from '../explore/sync.js';
import { check } from './errno.js';
import type { File } from './file.js';
import type { Mm } from './mm.js';
import { sysBrk, sysFault, sysMadvise, sysMmap, sysMprotect, sysMunmap } from './syscalls.js';

/** mmap(2); `file` null maps anonymous memory. Returns the address. */
export function mmap(mm: Mm, addr: number, len: number, prot: number, flags: number, file: File | null = null, offset = 0, sync?: SyncOptions): number {
  return check(runSync(sysMmap(mm, addr, len, prot, flags, file, offset), sync), 'mmap');
}

/** munmap(2) */
export function munmap(mm: Mm, addr: number, len: number, sync?: SyncOptions): void {
  check(runSync(sysMunmap(mm, addr, len), sync), 'munmap');
}

/** mprotect(2) */
export function mprotect(mm: Mm, addr: number, len: number, prot: number, sync?: SyncOptions): void {
  check(runSync(sysMprotect(mm, addr, len, prot), sync), 'mprotect');
}

/** madvise(2) */
export function madvise(mm: Mm, addr: number, len: number, advice: number, sync?: SyncOptions): void {
  check(runSync(sysMadvise(mm, addr, len, advice), sync), 'madvise');
}

/** brk(2): the break after the call (the old one if it could not move). */
export function brk(mm: Mm, value: number, sync?: SyncOptions): number {
  return runSync(sysBrk(mm, value), sync);
}

/** Touches `addr` (a page fault); throws MmError EFAULT where a real process would get SIGSEGV. */
export function fault(mm: Mm, addr: number, writeAccess = false, sync?: SyncOptions): void {
  check(runSync(sysFault(mm, addr, writeAccess), sync), 'page fault');
}
