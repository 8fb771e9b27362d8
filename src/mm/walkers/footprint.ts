/**
 * What the walkers may touch, as the explorer's footprints (explore/protocol.ts): whatever they
 * like, except two families. The VMA tree, the VMAs, the page tables and the rmap locks (the file's
 * i_mmap_rwsem, the anon_vma's rwsem) they touch only under some mm's mmap_lock — for_each_vma,
 * find_vma, unmap_page_range and exit_mmap's unlinking all run under it — unless a walker's own
 * door is an rmap walk (uprobe's build_map_info on its file, reclaim's rmap_walk_anon). A VMA's
 * own lock, write sequence and pages are never theirs (a parent thread's fault has its own).
 * The explorer checks every step against them; fork, which declares none, may touch anything.
 *
 * So while dup_mmap write-holds both mms' mmap_lock, its loop's steps on what the walkers touch
 * only under that lock — the copy's tree, the per-VMA write marks, the i_mmap and anon_vma inserts
 * — are steps no walker can tell from the same steps run later, and are not scheduling points.
 */
import type { Footprint } from '../../explore/protocol.js';

/** An mm's mmap_lock (Mm.lockId): the walkers' guard locks. */
export function isMmapLock(lockId: string): boolean {
  return lockId.startsWith('mm#') && lockId.endsWith('.mmap_lock');
}

/** The mm whose tree, VMAs or page tables `subject` names (`mm#3` of `mm#3.mm_mt`), or null. */
function mmOf(subject: string): string | null {
  if (!subject.startsWith('mm#')) return null;
  const dot = subject.indexOf('.');
  const what = subject.slice(dot + 1);
  return what === 'mm_mt' || what === 'vmas' || what === 'pgtables' ? subject.slice(0, dot) : null;
}

function isRmapLock(subject: string): boolean {
  return subject.endsWith('.i_mmap_rwsem') || (subject.startsWith('anon_vma#') && subject.endsWith('.rwsem'));
}

/** A VMA's own lock, vm_lock_seq and pages. */
function ofOneVma(subject: string): boolean {
  return subject.startsWith('vma#');
}

export interface WalkerDoors {
  /**
   * The parent's mmap_lock, when the parent lives on (the process forking): under it a walker
   * reads the parent's tree and changes no rmap. Null when the parent may exit after the fork,
   * and a walker's mmput then tear it down.
   */
  readonly parentLock: string | null;
  /** Subjects the walker touches without an mmap_lock besides the usual (its rmap walk's). */
  readonly free?: (subject: string) => boolean;
  /** Rmap locks it takes under the parent's mmap_lock too (uprobe's install_breakpoint). */
  readonly rmapUnderParent?: (subject: string) => boolean;
}

/**
 * A walker's footprint: anything but an mm's tree, VMAs and page tables, which it touches under an
 * mmap_lock, and the rmap locks, which it takes only under the mmap_lock of an mm it
 * tears down or changes — never the parent's, while it lives on (the process forking) — and a
 * VMA's own lock and pages, never.
 */
export function walkerFootprint(doors: WalkerDoors): Footprint {
  const { parentLock, free = () => false, rmapUnderParent = () => false } = doors;
  return {
    touches: (s) => free(s) || !(mmOf(s) !== null || isRmapLock(s) || ofOneVma(s)),
    guards: isMmapLock,
    guardedBy: (s, lockId) => {
      // Under any mm's lock: a broken child's tree can hand out the parent's VMAs (foreign-vma).
      if (mmOf(s) !== null) return true;
      return isRmapLock(s) && (lockId !== parentLock || rmapUnderParent(s));
    },
  };
}

/** uprobe registration: build_map_info walks the probed file's i_mmap (`iMmapLock`) under i_mmap_lock_read; install_breakpoint may prepare an anon_vma in any mm. */
export function uprobeFootprint(parentLock: string | null, iMmapLock: string): Footprint {
  return walkerFootprint({ parentLock, free: (s) => s === iMmapLock, rmapUnderParent: (s) => s.startsWith('anon_vma#') });
}

/** Reclaim: rmap_walk_anon takes the anon_vma's lock and changes the PTEs of every mm mapping the folio. */
export function reclaimFootprint(parentLock: string | null): Footprint {
  return walkerFootprint({ parentLock, free: (s) => (s.startsWith('anon_vma#') && s.endsWith('.rwsem')) || (s.startsWith('mm#') && s.endsWith('.pgtables')) });
}
