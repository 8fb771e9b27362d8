/**
 * The locks of the address-space model as explorer operations, named like the kernel's helpers.
 * Each returns the operation for the task to yield (`yield mmapWriteLock(mm, who)`): the scheduler
 * blocks the task until the lock is free. An operation, not a generator of one: a lock is taken at
 * most steps of the model, and a generator per lock was a fifth of a step's allocations.
 */
import { lock, trylock, unlock, type LockOp, type Task, type UnlockOp } from '../explore/protocol.js';
import type { AnonVma } from './anon-vma.js';
import type { AddressSpace } from './file.js';
import type { Mm } from './mm.js';
import { fieldId } from './names.js';

/** The global locks' ids in traces. */
export const MMLIST_LOCK = 'mmlist_lock';
export const DUP_MMAP_SEM = 'dup_mmap_sem';
/** The global mutex over the partial recovery's maple node reserve (a design, never merged). */
export const NODE_RESERVE_MUTEX = 'maple_node_reserve_mutex';

/** The per-VMA lock of a VMA (vm_refcnt / vm_lock), held for reading by lock_vma_under_rcu. */
export function vmaLockId(vma: { readonly name: string }): string {
  return fieldId(vma.name, 'vm_lock');
}

export function mmapWriteLock(mm: Mm, who: string): LockOp {
  return lock(mm.lockId, 'write', `${who}: mmap_write_lock(${mm.name})`);
}

export function mmapWriteUnlock(mm: Mm, who: string): UnlockOp {
  return unlock(mm.lockId, 'write', `${who}: mmap_write_unlock(${mm.name})`);
}

/**
 * mmap_write_lock_killable: takes the lock, unless it must wait while a fatal signal is pending, in
 * which case it gives up (false; the caller returns -EINTR). A free lock is taken even then.
 */
export function* mmapWriteLockKillable(mm: Mm, who: string, fatalSignal: boolean): Task<boolean> {
  if (!fatalSignal) {
    yield mmapWriteLock(mm, who);
    return true;
  }
  return (yield trylock(mm.lockId, 'write', `${who}: mmap_write_lock_killable(${mm.name})`)) as boolean;
}

export function mmapReadLock(mm: Mm, who: string): LockOp {
  return lock(mm.lockId, 'read', `${who}: mmap_read_lock(${mm.name})`);
}

export function mmapReadUnlock(mm: Mm, who: string): UnlockOp {
  return unlock(mm.lockId, 'read', `${who}: mmap_read_unlock(${mm.name})`);
}

/** mmap_read_trylock: true when taken. */
export function mmapReadTrylock(mm: Mm, who: string): LockOp {
  return trylock(mm.lockId, 'read', `${who}: mmap_read_trylock(${mm.name})`);
}

export function iMmapLockWrite(mapping: AddressSpace, who: string): LockOp {
  return lock(mapping.lockId, 'write', `${who}: i_mmap_lock_write`);
}

export function iMmapUnlockWrite(mapping: AddressSpace, who: string): UnlockOp {
  return unlock(mapping.lockId, 'write', `${who}: i_mmap_unlock_write`);
}

export function iMmapLockRead(mapping: AddressSpace, who: string): LockOp {
  return lock(mapping.lockId, 'read', `${who}: i_mmap_lock_read`);
}

export function iMmapUnlockRead(mapping: AddressSpace, who: string): UnlockOp {
  return unlock(mapping.lockId, 'read', `${who}: i_mmap_unlock_read`);
}

export function anonVmaLockWrite(av: AnonVma, who: string): LockOp {
  return lock(av.lockId, 'write', `${who}: anon_vma_lock_write`);
}

export function anonVmaUnlockWrite(av: AnonVma, who: string): UnlockOp {
  return unlock(av.lockId, 'write', `${who}: anon_vma_unlock_write`);
}

export function mmlistLock(who: string): LockOp {
  return lock(MMLIST_LOCK, 'write', `${who}: spin_lock(&mmlist_lock)`);
}

export function mmlistUnlock(who: string): UnlockOp {
  return unlock(MMLIST_LOCK, 'write', `${who}: spin_unlock(&mmlist_lock)`);
}
