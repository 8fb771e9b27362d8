/**
 * What the walkers may touch, as the explorer's footprints (explore/protocol.ts): whatever they
 * like, except two families. The VMA tree, the VMAs, the page tables and the rmap locks (the file's
 * i_mmap_rwsem, the anon_vma's rwsem) they touch only under some mm's mmap_lock — for_each_vma,
 * find_vma, unmap_page_range and exit_mmap's unlinking all run under it — unless a walker's own
 * door is an rmap walk (uprobe's build_map_info on its file, reclaim's rmap_walk_anon). A VMA's
 * own lock, write sequence and pages are never theirs (a parent thread's fault has its own).
 * The explorer checks every step against them; the fork may touch anything (forkFootprint, below).
 *
 * So while dup_mmap write-holds both mms' mmap_lock, its loop's steps on what the walkers touch
 * only under that lock — the copy's tree, the per-VMA write marks, the i_mmap and anon_vma inserts
 * — are steps no walker can tell from the same steps run later, and are not scheduling points.
 */
import type { Footprint } from '../../explore/protocol.js';

/** What a subject is, as the footprints below tell subjects apart: a bit set of these. */
const MMAP_LOCK = 1;
/** An mm's tree, VMA list or page tables (`mm#3.mm_mt`, `mm#3.vmas`, `mm#3.pgtables`). */
const MM_STATE = 2;
const PGTABLES = 4;
/** A file's i_mmap_rwsem or an anon_vma's rwsem. */
const RMAP_LOCK = 8;
const ANON_VMA = 16;
const ANON_VMA_LOCK = 32;
/** A VMA's own lock, vm_lock_seq and pages. */
const ONE_VMA = 64;

function classify(subject: string): number {
  let c = 0;
  if (subject.startsWith('mm#')) {
    if (subject.endsWith('.mmap_lock')) c |= MMAP_LOCK;
    const what = subject.slice(subject.indexOf('.') + 1);
    if (what === 'mm_mt' || what === 'vmas' || what === 'pgtables') c |= MM_STATE;
    if (subject.endsWith('.pgtables')) c |= PGTABLES;
  }
  if (subject.startsWith('anon_vma#')) {
    c |= ANON_VMA;
    if (subject.endsWith('.rwsem')) c |= ANON_VMA_LOCK | RMAP_LOCK;
  }
  if (subject.endsWith('.i_mmap_rwsem')) c |= RMAP_LOCK;
  if (subject.startsWith('vma#')) c |= ONE_VMA;
  return c;
}

/**
 * Each subject's class, worked out once: the explorer asks the footprints about every step of
 * every execution, and the ids recur (names.ts makes each once), so a lookup replaces the string
 * scans. Bounded, for a parent of very many VMAs; past the bound the class is worked out each time.
 */
const CLASSES = new Map<string, number>();
const CLASSES_LIMIT = 1 << 16;

function classOf(subject: string): number {
  let c = CLASSES.get(subject);
  if (c === undefined) {
    c = classify(subject);
    if (CLASSES.size < CLASSES_LIMIT) CLASSES.set(subject, c);
  }
  return c;
}

/** An mm's mmap_lock (Mm.lockId): the walkers' guard locks. */
export function isMmapLock(lockId: string): boolean {
  return (classOf(lockId) & MMAP_LOCK) !== 0;
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
    touches: (s) => (classOf(s) & (MM_STATE | RMAP_LOCK | ONE_VMA)) === 0 || free(s),
    guards: isMmapLock,
    guardedBy: (s, lockId) => {
      const c = classOf(s);
      // Under any mm's lock: a broken child's tree can hand out the parent's VMAs (foreign-vma).
      if ((c & MM_STATE) !== 0) return true;
      return (c & RMAP_LOCK) !== 0 && (lockId !== parentLock || rmapUnderParent(s));
    },
  };
}

/** uprobe registration: build_map_info walks the probed file's i_mmap (`iMmapLock`) under i_mmap_lock_read; install_breakpoint may prepare an anon_vma in any mm. */
export function uprobeFootprint(parentLock: string | null, iMmapLock: string): Footprint {
  return walkerFootprint({ parentLock, free: (s) => s === iMmapLock, rmapUnderParent: (s) => (classOf(s) & ANON_VMA) !== 0 });
}

/** Reclaim: rmap_walk_anon takes the anon_vma's lock and changes the PTEs of every mm mapping the folio. */
export function reclaimFootprint(parentLock: string | null): Footprint {
  return walkerFootprint({ parentLock, free: (s) => (classOf(s) & (ANON_VMA_LOCK | PGTABLES)) !== 0 });
}

/** Whether `subject` is an mm's VMA tree (`mm#3.mm_mt`). */
function isTreeSubject(subject: string): boolean {
  return subject.startsWith('mm#') && subject.endsWith(TREE);
}

/** `mm#3.mm_mt` → `mm#3.mmap_lock`: the lock under which an mm's VMA tree is written; null for any other subject. */
function treeWriteLock(subject: string): string | null {
  return isTreeSubject(subject) ? `${subject.slice(0, -TREE.length)}.mmap_lock` : null;
}
const TREE = '.mm_mt';

/**
 * The forking task's footprint: it may touch anything, but it writes an mm's VMA tree (and the
 * VMAs in it) only while it write-holds that mm's mmap_lock — dup_mmap's copy under both mms'
 * locks, the recoveries under them, exit_mmap's teardown of the child under the child's — the
 * kernel's rule (the mmap_lock is the tree's external lock, mm_init). The explorer checks every
 * declared write against it; the copy loop's undeclared stores run under both locks.
 */
export function forkFootprint(): Footprint {
  return { touches: () => true, writeLock: treeWriteLock };
}

/**
 * The scanners' footprint (ksmd, khugepaged): a walker's, whose reads of an mm's tree are pure —
 * each step of for_each_vma reads the next VMA's vm_flags and nothing else (scanners.ts). Under
 * the mm's mmap_lock, which they hold for reading while they walk, no fork can change that tree,
 * so their walk's steps are no decisions of the fork's (explore/protocol.ts, Footprint.pureRead).
 */
export function scannerFootprint(parentLock: string | null): Footprint {
  return { ...walkerFootprint({ parentLock }), pureRead: isTreeSubject };
}
