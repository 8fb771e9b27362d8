/**
 * The memory syscalls run synchronously, outside any exploration: each drives its task (syscalls.ts)
 * to the end on the explorer's one scheduler and throws MmError on a negative return, naming the
 * call's arguments. `sync` decides allocations like runSync's options (default: every allocation
 * succeeds).
 */
import { runSync, type SyncOptions } from '../explore/sync.js';
import { functionArg, optionsArg } from './args.js';
import { check } from './errno.js';
import type { File } from './file.js';
import type { Mm } from './mm.js';
import { sysBrk, sysFault, sysMadvise, sysMmap, sysMprotect, sysMunmap } from './syscalls.js';

const hex = (n: number): string => (n < 0 ? String(n) : `0x${n.toString(16)}`);

/** Checks `sync` (runSync's options), as part of the syscall's arguments. */
function syncArg(fn: string, sync: unknown): SyncOptions | undefined {
  const o = optionsArg(fn, 'sync', sync, ['allocate', 'choose']);
  if (o['allocate'] !== undefined) functionArg(fn, 'sync.allocate', o['allocate']);
  if (o['choose'] !== undefined) functionArg(fn, 'sync.choose', o['choose']);
  return sync as SyncOptions | undefined;
}

/** mmap(2); `file` null maps anonymous memory. Returns the address. */
export function mmap(mm: Mm, addr: number, len: number, prot: number, flags: number, file: File | null = null, offset = 0, sync?: SyncOptions): number {
  const options = syncArg('mmap', sync);
  return check(runSync(sysMmap(mm, addr, len, prot, flags, file, offset), options), `mmap of addr ${hex(addr)} len ${hex(len)}`);
}

/** munmap(2) */
export function munmap(mm: Mm, addr: number, len: number, sync?: SyncOptions): void {
  const options = syncArg('munmap', sync);
  check(runSync(sysMunmap(mm, addr, len), options), `munmap of addr ${hex(addr)} len ${hex(len)}`);
}

/** mprotect(2) */
export function mprotect(mm: Mm, addr: number, len: number, prot: number, sync?: SyncOptions): void {
  const options = syncArg('mprotect', sync);
  check(runSync(sysMprotect(mm, addr, len, prot), options), `mprotect of addr ${hex(addr)} len ${hex(len)} prot ${hex(prot)}`);
}

/** madvise(2) */
export function madvise(mm: Mm, addr: number, len: number, advice: number, sync?: SyncOptions): void {
  const options = syncArg('madvise', sync);
  check(runSync(sysMadvise(mm, addr, len, advice), options), `madvise of addr ${hex(addr)} len ${hex(len)} advice ${advice}`);
}

/** brk(2): the break after the call (the old one if it could not move). */
export function brk(mm: Mm, value: number, sync?: SyncOptions): number {
  const options = syncArg('brk', sync);
  return runSync(sysBrk(mm, value), options);
}

/** Touches `addr` (a page fault); throws MmError EFAULT where a real process would get SIGSEGV. */
export function fault(mm: Mm, addr: number, writeAccess = false, sync?: SyncOptions): void {
  const options = syncArg('page fault', sync);
  check(runSync(sysFault(mm, addr, writeAccess), options), `page fault at addr ${hex(addr)}`);
}
