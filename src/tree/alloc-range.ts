/**
 * Allocating ranges in allocation trees (MT_FLAGS_ALLOC_RANGE): mtree_alloc_range,
 * mtree_alloc_rrange, mas_alloc_cyclic and mtree_alloc_cyclic (Linux 6.18 lib/maple_tree.c).
 *
 * The search is the cursor gap search (empty-area.ts); the store goes through the tree's insert,
 * so a failed allocation (ENOMEM, injected or not) leaves the tree as it was.
 *
 * allocCyclic's in/out cursor is an object `{ next: number }`: the search starts at
 * max(min, cursor.next); on success cursor.next becomes the allocated index + 1, or 0 when that
 * index was MAX_INDEX (the kernel's `*next` wrapping past ULONG_MAX, which also sets the tree's
 * MT_FLAGS_ALLOC_WRAPPED so the next successful call reports a wrap).
 */
import { checkAllocSize, checkIndex, checkWindow } from './args.js';
import { MAX_INDEX } from './constants.js';
import { masEmptyArea, masEmptyAreaRev } from './empty-area.js';
import { isReservedEntry } from './entry.js';
import { ERRNO, MapleError, type MapleErrorCode } from './errors.js';
import { Mas, masReset } from './mas.js';
import { storeEntry, type StoreRetry } from './wr-store.js';
import type { MapleTree } from './tree.js';

/** The in/out cursor of allocCyclic (the kernel's `unsigned long *next`). */
export interface CyclicCursor {
  next: number;
}

/** The result of allocCyclic: the index taken, and whether the search wrapped (the kernel's 1). */
export interface CyclicResult {
  readonly index: number;
  readonly wrapped: boolean;
}

function codeOf(errno: number): MapleErrorCode {
  return errno === ERRNO.EINVAL ? 'EINVAL' : errno === ERRNO.ENOMEM ? 'ENOMEM' : 'EBUSY';
}

function checkAllocatable(tree: MapleTree, entry: unknown, what: string): void {
  if (!tree.isAlloc) throw new MapleError('EINVAL', `${what} needs a tree made with { allocRange: true }`);
  if (isReservedEntry(entry)) throw new MapleError('EINVAL', `entry ${String(entry)} is reserved`);
}

/** The arguments of mas_alloc_cyclic / mtree_alloc_cyclic, checked before anything changes. */
export function checkCyclicArgs(tree: MapleTree, entry: unknown, min: unknown, max: unknown, cursor: unknown): void {
  checkIndex(min, 'min');
  checkIndex(max, 'max');
  if (typeof cursor !== 'object' || cursor === null) throw new TypeError(`cursor must be an object { next: number }, got ${cursor === null ? 'null' : typeof cursor}`);
  checkIndex((cursor as { next?: unknown }).next, 'cursor.next');
  checkAllocatable(tree, entry, 'allocCyclic');
  checkWindow(min, max);
}

/** The error for mas_empty_area's (or _rev's) return `errno`, naming the size and the window. */
export function gapSearchError(errno: number, size: number, min: number, max: number): MapleError {
  const code = codeOf(errno);
  const why = code === 'EINVAL'
    ? `size ${size} does not fit the window [${min}, ${max}]`
    : `no free range of ${size} in [${min}, ${max}]`;
  return new MapleError(code, why);
}

/**
 * mtree_alloc_range / mtree_alloc_rrange: store `entry` over the lowest (rev: highest) free range
 * of `size` indices inside [min, max]; returns its first index. EINVAL for a non-allocation tree,
 * a reserved entry, min > max, size 0 or a window smaller than size; EBUSY when nothing fits.
 *
 * As in the kernel, the insert (mas_insert) starts from the leaf the search stopped on: one walk
 * from the root per allocation. When the tree changes while nodes are allocated, the search runs
 * again (the kernel's `goto retry` after mas_nomem), and EBUSY if the window has filled meanwhile.
 */
export function mtreeAllocRange(tree: MapleTree, size: number, entry: unknown, min: number, max: number, rev: boolean): number {
  checkAllocSize(size, 'size');
  checkIndex(min, 'min');
  checkIndex(max, 'max');
  checkAllocatable(tree, entry, rev ? 'allocRRange' : 'allocRange');
  checkWindow(min, max);
  const a = tree.allocSpare ?? new AllocSearch(tree);
  tree.allocSpare = null;
  try {
    const mas = a.mas.init(0, 0);
    a.min = min;
    a.max = max;
    a.size = size;
    a.rev = rev;
    a.ret = rev ? masEmptyAreaRev(mas, min, max, size) : masEmptyArea(mas, min, max, size);
    if (a.ret !== 0) throw gapSearchError(a.ret, size, min, max);
    const start = mas.index;
    a.at = start;
    const done = storeEntry(tree, start, start + size - 1, entry, 'nowait', undefined, 'kernel', a.again, false, mas);
    if (a.ret !== 0) throw gapSearchError(a.ret, size, min, max);
    if (done === null) throw new MapleError('ENOMEM', `no memory for the nodes a store over [${a.at}, ${a.at + size - 1}] may need`);
    return a.at;
  } finally {
    a.mas.node = null;
    tree.allocSpare = a;
  }
}

/**
 * The state of one mtree_alloc_range: its cursor, its window, and its `goto retry` (the search
 * again, when the tree changed while nodes were allocated). A tree keeps one spare, so an
 * allocation makes no state or closure; one made from inside the allocator, while the spare is
 * taken, makes its own.
 */
export class AllocSearch {
  readonly mas: Mas;
  min = 0;
  max = 0;
  size = 0;
  rev = false;
  /** The search's errno (0: found). */
  ret = 0;
  /** Where the range went. */
  at = 0;

  constructor(tree: MapleTree) {
    this.mas = new Mas(tree, 0);
  }

  readonly again: StoreRetry = (again) => {
    this.ret = this.rev ? masEmptyAreaRev(again, this.min, this.max, this.size) : masEmptyArea(again, this.min, this.max, this.size);
    if (this.ret !== 0) return false;
    this.at = again.index;
    again.last = this.at + this.size - 1;
    return true;
  };
}

/**
 * mas_alloc_cyclic: take one free index in [min, max], searching from cursor.next and wrapping to
 * min once; see the module comment for the cursor. Throws EBUSY when the window is full.
 */
export function masAllocCyclic(mas: Mas, entry: unknown, min: number, max: number, cursor: CyclicCursor): CyclicResult {
  const tree = mas.tree;
  const from = Math.max(min, cursor.next);
  let ret = masEmptyArea(mas, from, max, 1);
  let wrapped = false;
  if (tree.allocWrapped && ret === 0) {
    tree.allocWrapped = false;
    wrapped = true;
  }
  if (ret < 0 && from > min) {
    masReset(mas);
    ret = masEmptyArea(mas, min, max, 1);
    if (ret === 0) wrapped = true;
  }
  if (ret < 0) throw gapSearchError(ret, 1, min, max);
  const index = mas.index;
  tree.insertRange(index, index, entry as never);
  if (index === MAX_INDEX) {
    cursor.next = 0;
    tree.allocWrapped = true;
  } else {
    cursor.next = index + 1;
  }
  return { index, wrapped };
}

/** mtree_alloc_cyclic: masAllocCyclic on a fresh cursor, after the allocation-tree checks. */
export function mtreeAllocCyclic(tree: MapleTree, entry: unknown, min: number, max: number, cursor: CyclicCursor): CyclicResult {
  checkCyclicArgs(tree, entry, min, max, cursor);
  return masAllocCyclic(new Mas(tree, 0), entry, min, max, cursor);
}
