/**
 * MapleTree: the kernel's maple tree (struct maple_tree) and its normal API (mtree_*, mt_*).
 */
import { NodeAllocator, type Gfp } from './alloc.js';
import { mtreeAllocCyclic, mtreeAllocRange, type AllocSearch, type CyclicCursor, type CyclicResult } from './alloc-range.js';
import { checkBoolean, checkEntry, checkFunction, checkGfp, checkIndex, checkOneOf, checkOptions, checkRange } from './args.js';
import { MAPLE_HEIGHT_MAX, MAX_INDEX } from './constants.js';
import { dumpTree } from './dump.js';
import { compactNodes } from './compact.js';
import type { WrState } from './wr-state.js';
import { dupTree } from './dup.js';
import { ZERO_ENTRY, type ZeroEntry } from './entry.js';
import { MapleError } from './errors.js';
import { chunkOf, META, metaEnd, metaIsLeaf, NodeStore, regionOf, type MapleNode } from './node.js';
import { MaState } from './state.js';
import { validateTree } from './validate.js';
import { lookup } from './walk.js';
import { mtFind, mtFindAfter, mtNext, mtPrev } from './iterate.js';
import { Mas } from './mas.js';
import { masFind, masFindRev, masSet, masWalk } from './navigate.js';
import { mtDestroyWalk, settleFrees, storeEntry, type StoreRetry } from './write.js';

export interface MapleTreeOptions {
  /** MT_FLAGS_ALLOC_RANGE: track gaps so allocRange/allocRRange can find free ranges. */
  readonly allocRange?: boolean;
  /** MT_FLAGS_USE_RCU: writers copy nodes instead of changing them under readers. */
  readonly rcu?: boolean;
  /** Where nodes come from; a fresh NodeAllocator by default. */
  readonly allocator?: NodeAllocator;
}

/** One stored range: `[index, last]` holds `entry`. */
export interface MapleRange<T> {
  readonly index: number;
  readonly last: number;
  readonly entry: T;
}

export class MapleTree<T = unknown> {
  root: MapleNode | null = null;
  rootEntry: unknown = undefined;
  height = 0;
  readonly isAlloc: boolean;
  rcu: boolean;
  readonly allocator: NodeAllocator;
  /** The arenas this tree's nodes live in. */
  readonly nodes: NodeStore;
  /** Bumped by every modification, so a cursor can tell the tree changed under it. */
  writeSeq = 0;
  /** @internal The write path's reusable write state, taken by a store while it runs. */
  wrSpare: WrState | null = null;
  /** @internal mtree_alloc_range's reusable search state, taken by an allocation while it runs. */
  allocSpare: AllocSearch | null = null;

  constructor(options: MapleTreeOptions = {}) {
    checkOptions(options, 'options', ['allocRange', 'rcu', 'allocator']);
    const { allocRange = false, rcu = false, allocator = new NodeAllocator() } = options;
    checkBoolean(allocRange, 'options.allocRange');
    checkBoolean(rcu, 'options.rcu');
    if (!(allocator instanceof NodeAllocator)) throw new TypeError('options.allocator must be a NodeAllocator (or an instance of a subclass)');
    this.isAlloc = allocRange;
    this.rcu = rcu;
    this.allocator = allocator;
    this.nodes = new NodeStore(this.isAlloc);
  }

  /**
   * MA_STATE: an advanced-API cursor over [index, last].
   *
   * Cost: O(1); its first operation walks from the root, O(height).
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.storeRange(10, 19, 'a');
   * const mas = mt.state(15);
   * mas.walk();                   // 'a'; mas.index and mas.last are now 10 and 19
   * ```
   */
  state(index: number, last: number = index): MaState<T> {
    return new MaState<T>(this as MapleTree, index, last);
  }

  /**
   * mt_set_in_rcu / mt_clear_in_rcu
   *
   * Cost: O(1).
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.setRcu(true);
   * mt.storeRange(0, 9, 'a');     // writes from now on copy the nodes they change
   * ```
   */
  setRcu(on: boolean): void {
    checkBoolean(on, 'on');
    this.rcu = on;
  }

  /**
   * rcu_read_lock for this tree: a reader that keeps a cursor across writes in RCU mode holds it, so
   * the nodes it may still be looking at are not reused until rcuReadUnlock (their grace period).
   *
   * Cost: O(1).
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>({ rcu: true });
   * mt.storeRange(0, 9, 'a');
   * mt.rcuReadLock();
   * const mas = mt.state(5);
   * mas.walk();                   // 'a'
   * mt.storeRange(20, 29, 'b');   // the node mas is on is not reused while the lock is held
   * mt.rcuReadUnlock();
   * ```
   */
  rcuReadLock(): void {
    this.nodes.readers++;
  }

  /**
   * rcu_read_unlock
   *
   * Cost: O(1).
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>({ rcu: true });
   * mt.rcuReadLock();
   * mt.load(0);
   * mt.rcuReadUnlock();           // a second unlock would throw RangeError
   * ```
   */
  rcuReadUnlock(): void {
    if (this.nodes.readers === 0) throw new RangeError('rcuReadUnlock without rcuReadLock');
    this.nodes.readers--;
  }

  /** mtree_empty */
  get isEmpty(): boolean {
    return this.root === null && this.rootEntry === undefined;
  }

  /**
   * mtree_load: the entry at `index`, or undefined (ZERO_ENTRY reads as undefined).
   *
   * Cost: O(height) = O(log n), with no allocation.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.storeRange(10, 19, 'a');
   * mt.load(12);                  // 'a'
   * mt.load(20);                  // undefined
   * ```
   */
  load(index: number): T | undefined {
    checkIndex(index, 'index');
    const entry = lookup(this, index);
    return entry === ZERO_ENTRY ? undefined : (entry as T | undefined);
  }

  /**
   * mtree_store: stores `entry` at `index`; storing undefined erases.
   *
   * Cost: O(log n): a walk, then a write that touches one leaf, or O(height) nodes when it splits
   * or rebalances. Throws MapleError ENOMEM, the tree unchanged, when the allocator refuses nodes.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.store(5, 'five');
   * mt.load(5);                   // 'five'
   * mt.store(5, undefined);       // erases index 5
   * ```
   */
  store(index: number, entry: T | ZeroEntry | undefined): void {
    checkEntry(entry);
    checkIndex(index, 'index');
    this.#write(index, index, entry, 'kernel');
  }

  /**
   * mtree_store_range: stores `entry` over [first, last], replacing whatever is there.
   *
   * Cost: O(log n), as store; a range that spans many entries is written in one spanning store,
   * O(height) nodes. Throws ENOMEM, the tree unchanged, when nodes are refused.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.storeRange(0, 99, 'low');
   * mt.storeRange(50, 149, 'mid'); // overwrites [50, 99] of 'low'
   * mt.find(0);                   // { index: 0, last: 49, entry: 'low' }
   * ```
   */
  storeRange(first: number, last: number, entry: T | ZeroEntry | undefined): void {
    checkEntry(entry);
    checkRange(first, last);
    this.#write(first, last, entry, 'kernel');
  }

  /**
   * mtree_insert: like store, but EEXIST if `index` is occupied.
   *
   * Cost: O(log n), as store, plus one walk to check that the index is free.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.insert(7, 'a');
   * try {
   *   mt.insert(7, 'b');
   * } catch (e) {
   *   (e as MapleError).code;     // 'EEXIST'
   * }
   * ```
   */
  insert(index: number, entry: T | ZeroEntry): void {
    checkEntry(entry);
    checkIndex(index, 'index');
    this.#insert(index, index, entry);
  }

  /**
   * mtree_insert_range: EEXIST unless all of [first, last] is empty.
   *
   * Cost: O(log n), as storeRange, plus one walk to check that the range is empty.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.insertRange(0x1000, 0x1fff, 'text');
   * mt.insertRange(0x2000, 0x2fff, 'data'); // fine: the ranges touch, they do not overlap
   * ```
   */
  insertRange(first: number, last: number, entry: T | ZeroEntry): void {
    checkEntry(entry);
    checkRange(first, last);
    this.#insert(first, last, entry);
  }

  /** mas_insert after the checks: EEXIST unless [first, last] is empty. */
  #insert(first: number, last: number, entry: unknown): void {
    this.#checkVacant(first, last);
    // mas_insert runs again after mas_nomem: the range must still be empty.
    this.#write(first, last, entry, 'kernel', () => {
      this.#checkVacant(first, last);
      return true;
    });
  }

  #checkVacant(first: number, last: number): void {
    const r = this.#rangeAt(first);
    if (r.entry !== undefined || r.last < last) {
      throw new MapleError('EEXIST', `[${first}, ${last}] is not empty`);
    }
  }

  /**
   * mtree_erase: erases the whole range containing `index`; returns what it held.
   *
   * Cost: O(log n): a walk and a store of undefined over the range found.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.storeRange(10, 19, 'a');
   * mt.erase(15);                 // 'a': the whole range [10, 19] is gone
   * mt.load(10);                  // undefined
   * ```
   */
  erase(index: number): T | ZeroEntry | undefined {
    checkIndex(index, 'index');
    // mas_erase: the walk finds the entry and its range; the store of NULL over that range follows.
    const nav = this.#nav;
    masSet(nav, index);
    const entry = masWalk(nav);
    if (entry === undefined) return undefined;
    const retry = this.#eraseSpare ?? new EraseRetry();
    this.#eraseSpare = null;
    retry.index = index;
    retry.entry = entry;
    retry.gone = false;
    try {
      this.#write(nav.index, nav.last, undefined, 'kernel', retry.walk);
    } catch (e) {
      // A range emptied while nodes were allocated leaves nothing to erase: not ENOMEM.
      if (!retry.gone) {
        this.#eraseSpare = retry;
        throw e;
      }
    }
    const erased = retry.gone ? undefined : retry.entry;
    retry.entry = undefined;
    this.#eraseSpare = retry;
    return erased as T | ZeroEntry | undefined;
  }

  /** The retry state of the erase in progress, spare between erases (see EraseRetry). */
  #eraseSpare: EraseRetry | null = null;

  // allocation (tree-read: src/tree/alloc-range.ts) ------------------------------------------
  /** MT_FLAGS_ALLOC_WRAPPED: the last allocCyclic took MAX_INDEX; the next success reports a wrap. */
  allocWrapped = false;

  /**
   * mtree_alloc_range: stores `entry` at the lowest free range of `size` indices inside [min, max]
   * and returns its start. EBUSY when none fits; EINVAL for a non-allocation tree, a reserved
   * entry, min > max, size 0 or a window smaller than size.
   *
   * Cost: O(log n): the gap search descends by the largest gap each node records, then one store.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>({ allocRange: true });
   * mt.storeRange(0, 0xfff, 'taken');
   * mt.allocRange(0x100, 'new', 0, 0xffff); // 0x1000: the lowest free 0x100 indices
   * ```
   */
  allocRange(size: number, entry: T, min = 0, max = MAX_INDEX): number {
    return mtreeAllocRange(this, size, entry, min, max, false);
  }

  /**
   * mtree_alloc_rrange: like allocRange, but takes the highest free range.
   *
   * Cost: O(log n), as allocRange.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>({ allocRange: true });
   * mt.allocRRange(0x100, 'top', 0, 0xffff); // 0xff00: the highest free 0x100 indices in [0, 0xffff]
   * ```
   */
  allocRRange(size: number, entry: T, min = 0, max = MAX_INDEX): number {
    return mtreeAllocRange(this, size, entry, min, max, true);
  }

  /**
   * mtree_alloc_cyclic: stores `entry` at one free index in [min, max], searching from
   * `cursor.next` and wrapping to `min` once. Returns the index and `wrapped` (the kernel's return
   * value 1); `cursor.next` becomes index + 1, or 0 after MAX_INDEX. EBUSY when [min, max] is full.
   *
   * Cost: O(log n): at most two gap searches (from cursor.next, then from min) and one store.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>({ allocRange: true });
   * const cursor = { next: 0 };
   * mt.allocCyclic('a', 1, 3, cursor); // { index: 1, wrapped: false }; cursor.next is 2
   * mt.allocCyclic('b', 1, 3, cursor); // { index: 2, wrapped: false }
   * ```
   */
  allocCyclic(entry: T, min: number, max: number, cursor: CyclicCursor): CyclicResult {
    return mtreeAllocCyclic(this, entry, min, max, cursor);
  }
  // end of allocation ---------------------------------------------------------------------------

  // reads (tree-read: src/tree/iterate.ts, src/tree/navigate.ts) ------------------------------
  /** The cursor the normal API's searches reuse (they run to completion, so one is enough). */
  readonly #nav: Mas = new Mas(this as MapleTree, 0);

  /** The range #nav ended on; `E` is T for the reads that skip ZERO_ENTRY, T | ZeroEntry for those that return it. */
  #range<E>(entry: unknown): MapleRange<E> | undefined {
    if (entry === undefined) return undefined;
    return { index: this.#nav.index, last: this.#nav.last, entry: entry as E };
  }

  /**
   * mt_find: the first non-empty range intersecting [index, max] (ZERO_ENTRY ranges are skipped),
   * or undefined. To continue a search, call again from `last + 1` (mind the wrap past MAX_INDEX,
   * or use findAfter).
   *
   * Cost: O(log n) for the walk, plus the empty slots skipped.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.storeRange(10, 19, 'a');
   * mt.storeRange(40, 49, 'b');
   * mt.find(20);                  // { index: 40, last: 49, entry: 'b' }
   * mt.find(20, 30);              // undefined: nothing starts or lies in [20, 30]
   * ```
   */
  find(index: number, max = MAX_INDEX): MapleRange<T> | undefined {
    checkIndex(index, 'index');
    checkIndex(max, 'max');
    return this.#range<T>(mtFind(this.#nav, index, max));
  }

  /**
   * mt_find_after: as find, but `index` 0 means the previous search wrapped, so nothing is found.
   *
   * Cost: O(log n), as find.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.storeRange(10, 19, 'a');
   * const r = mt.find(0)!;        // [10, 19]
   * mt.findAfter(r.last + 1);     // undefined: nothing after it
   * ```
   */
  findAfter(index: number, max = MAX_INDEX): MapleRange<T> | undefined {
    checkIndex(index, 'index');
    checkIndex(max, 'max');
    return this.#range<T>(mtFindAfter(this.#nav, index, max));
  }

  /**
   * mt_next: the first non-empty range after the one containing `index`, starting at most at
   * `max`. Like the kernel's, it returns ZERO_ENTRY ranges.
   *
   * Cost: O(log n): a walk to the range holding index, then a step to the next slot.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.storeRange(10, 19, 'a');
   * mt.storeRange(40, 49, 'b');
   * mt.next(15);                  // { index: 40, last: 49, entry: 'b' }
   * ```
   */
  next(index: number, max = MAX_INDEX): MapleRange<T | ZeroEntry> | undefined {
    checkIndex(index, 'index');
    checkIndex(max, 'max');
    return this.#range<T | ZeroEntry>(mtNext(this.#nav, index, max));
  }

  /**
   * mt_prev: the last non-empty range before the one containing `index`, ending at least at
   * `min`. Like the kernel's, it returns ZERO_ENTRY ranges. Unlike the kernel's, `min` holds for a
   * tree that is only a [0, 0] root-pointer entry too (MaState.prev keeps the kernel's shortcut).
   *
   * Cost: O(log n), as next.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.storeRange(10, 19, 'a');
   * mt.storeRange(40, 49, 'b');
   * mt.prev(45);                  // { index: 10, last: 19, entry: 'a' }
   * ```
   */
  prev(index: number, min = 0): MapleRange<T | ZeroEntry> | undefined {
    checkIndex(index, 'index');
    checkIndex(min, 'min');
    return this.#range<T | ZeroEntry>(mtPrev(this.#nav, index, min));
  }
  // end of reads ---------------------------------------------------------------------------------

  /**
   * A tree holding `items`, [first, last, entry] triples stored in order (a later one overwrites
   * where it overlaps an earlier one), so `MapleTree.from(tree)` copies a tree's contents. Costs one
   * storeRange per item: O(log n) each, less for items in ascending order (they append).
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0, 9, 'a'], [10, 19, 'b']]);
   * mt.size;                      // 2
   * const copy = MapleTree.from(mt); // the same contents (not the same node shapes: see dup)
   * ```
   */
  static from<T>(items: Iterable<readonly [number, number, T]>, options?: MapleTreeOptions): MapleTree<T> {
    if (typeof (items as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] !== 'function') {
      throw new TypeError('items must be an iterable of [first, last, entry] triples');
    }
    const tree = new MapleTree<T>(options);
    let i = 0;
    for (const item of items) {
      if (!Array.isArray(item) || item.length !== 3) throw new TypeError(`items[${i}] must be a [first, last, entry] triple`);
      tree.storeRange(item[0], item[1], item[2]);
      i++;
    }
    return tree;
  }

  /**
   * Whether an entry covers `index` (load(index) !== undefined; a ZERO_ENTRY range reads as
   * empty). O(height).
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * mt.storeRange(10, 19, 'a');
   * mt.has(10);                   // true
   * mt.has(20);                   // false
   * ```
   */
  has(index: number): boolean {
    return this.load(index) !== undefined;
  }

  /**
   * Non-empty ranges intersecting [min, max] in order, as [first, last, entry]. Safe while the tree
   * changes: it resumes after the last range it returned and sees the current contents ahead. One
   * cursor steps through the leaves, so a whole pass costs O(n) (plus O(height) per resume after
   * a change).
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0, 9, 'a'], [20, 29, 'b'], [40, 49, 'c']]);
   * [...mt.entries(5, 25)];       // [[0, 9, 'a'], [20, 29, 'b']]
   * ```
   */
  *entries(min = 0, max = MAX_INDEX): IterableIterator<[number, number, T]> {
    yield* this.#ranges(min, max, false);
  }

  /**
   * Non-empty ranges intersecting [min, max] from the highest down, as [first, last, entry]. Safe
   * while the tree changes like entries(): it resumes before the last range it returned. O(n) for a
   * whole pass.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0, 9, 'a'], [20, 29, 'b']]);
   * [...mt.entriesReverse()];     // [[20, 29, 'b'], [0, 9, 'a']]
   * ```
   */
  *entriesReverse(min = 0, max = MAX_INDEX): IterableIterator<[number, number, T]> {
    yield* this.#ranges(min, max, true);
  }

  /**
   * entries() and entriesReverse(): a mas_find (mas_find_rev) loop that, when the tree changed
   * under it, looks again from just past (before) the range it returned last.
   */
  *#ranges(min: number, max: number, reverse: boolean): IterableIterator<[number, number, T]> {
    checkIndex(min, 'min');
    checkIndex(max, 'max');
    if (min > max) return;
    const mas = new Mas(this as MapleTree, reverse ? max : min);
    let seq = this.writeSeq;
    for (;;) {
      const entry = reverse ? masFindRev(mas, min) : masFind(mas, max);
      // mas_find_rev_setup hands back a root-pointer entry whatever min is: keep to [min, max].
      if (entry === undefined || (reverse ? mas.last < min : mas.index > max)) return;
      const atEnd = reverse ? mas.index <= min : mas.last >= max;
      if (entry !== ZERO_ENTRY) {
        yield [mas.index, mas.last, entry as T];
        if (this.writeSeq !== seq) {
          seq = this.writeSeq;
          if (atEnd) return;
          masSet(mas, reverse ? mas.index - 1 : mas.last + 1);
          continue;
        }
      }
      if (atEnd) return;
    }
  }


  /**
   * The [first, last] of every non-empty range intersecting [min, max], in order. O(n).
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0, 9, 'a'], [20, 29, 'b']]);
   * [...mt.keys()];               // [[0, 9], [20, 29]]
   * ```
   */
  *keys(min = 0, max = MAX_INDEX): IterableIterator<[number, number]> {
    for (const [first, last] of this.entries(min, max)) yield [first, last];
  }

  /**
   * The entry of every non-empty range intersecting [min, max], in order. O(n).
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0, 9, 'a'], [20, 29, 'b']]);
   * [...mt.values()];             // ['a', 'b']
   * ```
   */
  *values(min = 0, max = MAX_INDEX): IterableIterator<T> {
    for (const [, , entry] of this.entries(min, max)) yield entry;
  }

  /**
   * The tree as an iterable of [first, last, entry]: entries() over everything.
   *
   * Cost: O(n) for a whole pass, as entries().
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0, 9, 'a'], [20, 29, 'b']]);
   * for (const [first, last, entry] of mt) console.log(first, last, entry);
   * ```
   */
  [Symbol.iterator](): IterableIterator<[number, number, T]> {
    return this.entries();
  }

  /**
   * Calls `fn(entry, first, last)` for every non-empty range in order. It walks the nodes
   * directly; if `fn` changes the tree, it carries on like `entries()` from after the last range
   * it reported, so it never skips or repeats a range. O(n), the cheapest full pass.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0, 9, 'a'], [20, 29, 'b']]);
   * let pages = 0;
   * mt.forEach((entry, first, last) => { pages += last - first + 1; }); // pages is 20
   * ```
   */
  forEach(fn: (entry: T, first: number, last: number) => void): void {
    checkFunction(fn, 'fn', false);
    const root = this.root;
    if (root === null) {
      const e = this.rootEntry;
      if (e !== undefined && e !== ZERO_ENTRY) fn(e as T, 0, 0);
      return;
    }
    // The tree's spare bounds buffer, as erase keeps its retry state: a forEach nested in fn on the
    // same tree finds it taken and makes its own.
    const bounds = this.#forEachSpare ?? new Float64Array(2 * (MAPLE_HEIGHT_MAX + 1));
    this.#forEachSpare = null;
    try {
      bounds[0] = 0;
      bounds[1] = MAX_INDEX;
      const resume = this.#visit(root.id, 0, bounds, fn, this.writeSeq);
      if (resume < 0 || resume > MAX_INDEX) return;
      for (const [first, last, entry] of this.entries(resume)) fn(entry, first, last);
    } finally {
      this.#forEachSpare = bounds;
    }
  }

  /** forEach's bounds buffer, spare between calls (see forEach). */
  #forEachSpare: Float64Array | null = null;

  /**
   * Visits a subtree (by node id) in order; returns -1 when done, or where to resume after a change.
   * The node's bounds are bounds[2·depth] and bounds[2·depth + 1]: passed as arguments they would
   * be boxed by V8 at every call above 2^31, and so would any variable merging them with pivots.
   */
  #visit(id: number, depth: number, bounds: Float64Array, fn: (entry: T, first: number, last: number) => void, seq: number): number {
    const c = chunkOf(id);
    const p = this.nodes.piv[c]!;
    const s = regionOf(id, c);
    const r = s << this.nodes.pivotShift;
    const meta = p[r + META]!;
    const end = metaEnd(meta);
    const slot = this.nodes.slot[c]!;
    const min = bounds[2 * depth]!;
    const max = bounds[2 * depth + 1]!;
    if (metaIsLeaf(meta)) {
      // Each inner slot's bounds straight from the pivots, the first and last slots apart.
      const first = slot[s];
      const firstLast = end > 0 ? p[r]! : max;
      if (first !== undefined && first !== ZERO_ENTRY) {
        fn(first as T, min, firstLast);
        if (this.writeSeq !== seq) return firstLast + 1;
      }
      for (let i = 1; i < end; i++) {
        const e = slot[s + i];
        if (e === undefined || e === ZERO_ENTRY) continue;
        const hi = p[r + i]!;
        fn(e as T, p[r + i - 1]! + 1, hi);
        if (this.writeSeq !== seq) return hi + 1;
      }
      const e = slot[s + end];
      if (end > 0 && e !== undefined && e !== ZERO_ENTRY) {
        fn(e as T, p[r + end - 1]! + 1, max);
        if (this.writeSeq !== seq) return max + 1;
      }
      return -1;
    }
    const below = 2 * depth + 2;
    for (let i = 0; i <= end; i++) {
      bounds[below] = i > 0 ? p[r + i - 1]! + 1 : min;
      bounds[below + 1] = i < end ? p[r + i]! : max;
      const res = this.#visit(slot[s + i] as number, depth + 1, bounds, fn, seq);
      if (res >= 0) return res;
    }
    return -1;
  }

  /**
   * The number of non-empty ranges (ZERO_ENTRY ranges not counted). Counts the leaves' slots
   * without a cursor: O(n) for n ranges, nothing kept between calls.
   */
  get size(): number {
    const root = this.root;
    if (root === null) return this.rootEntry !== undefined && this.rootEntry !== ZERO_ENTRY ? 1 : 0;
    return this.#count(root.id);
  }

  #count(id: number): number {
    const c = chunkOf(id);
    const s = regionOf(id, c);
    const meta = this.nodes.piv[c]![(s << this.nodes.pivotShift) + META]!;
    const end = metaEnd(meta);
    const slot = this.nodes.slot[c]!;
    let n = 0;
    if (metaIsLeaf(meta)) {
      for (let i = 0; i <= end; i++) {
        const e = slot[s + i];
        if (e !== undefined && e !== ZERO_ENTRY) n++;
      }
      return n;
    }
    for (let i = 0; i <= end; i++) n += this.#count(slot[s + i] as number);
    return n;
  }

  /**
   * Empties the tree (Map.clear); the same as destroy(). O(nodes).
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0, 9, 'a']]);
   * mt.clear();
   * mt.isEmpty;                   // true
   * ```
   */
  clear(): void {
    this.destroy();
  }

  /**
   * mtree_dup: a copy with the same node shapes.
   *
   * Cost: O(nodes): each node is copied once (one allocation of all of them up front); no walk, no
   * rebalancing.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0, 9, 'a'], [20, 29, 'b']]);
   * const copy = mt.dup();
   * copy.storeRange(0, 9, 'changed');
   * mt.load(0);                   // 'a': the copy is independent
   * ```
   */
  dup(gfp: Gfp = 'kernel'): MapleTree<T> {
    checkGfp(gfp, 'gfp');
    const copy = new MapleTree<T>({ allocRange: this.isAlloc, rcu: this.rcu, allocator: this.allocator });
    dupTree(this, copy, gfp);
    return copy;
  }

  /**
   * mtree_destroy: frees every node; the tree is empty afterwards.
   *
   * Cost: O(nodes).
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0, 9, 'a']]);
   * mt.destroy();
   * mt.allocator.live;            // 0: every node went back to the allocator
   * ```
   */
  destroy(): void {
    const root = this.root;
    this.root = null;
    this.rootEntry = undefined;
    this.height = 0;
    this.writeSeq++;
    if (root !== null) mtDestroyWalk(this as MapleTree, root);
    this.nodes.quiesce(!this.rcu);
    settleFrees(this as MapleTree);
    compactNodes(this as MapleTree);
  }

  /**
   * mt_validate: throws a TreeInvariantError naming the node and the broken rule.
   *
   * Cost: O(nodes): every node, pivot, gap and parent link is checked.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0, 9, 'a'], [20, 29, 'b']]);
   * mt.validate();                // returns quietly: the tree keeps every rule
   * ```
   */
  validate(): void {
    validateTree(this);
  }

  /**
   * mt_dump-like text.
   *
   * Cost: O(nodes).
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0x1000, 0x1fff, 'a']]);
   * console.log(mt.dump('hex'));  // the root and its ranges, one line each
   * ```
   */
  dump(format: 'dec' | 'hex' = 'dec'): string {
    checkOneOf(format, 'format', ['dec', 'hex']);
    return dumpTree(this, format);
  }

  /** The range containing `index`, empty or not (mas_walk). */
  #rangeAt(index: number): MapleRange<unknown> {
    const mas = this.#nav;
    masSet(mas, index);
    const entry = masWalk(mas);
    return { index: mas.index, last: mas.last, entry };
  }

  /**
   * The mas_store_gfp loop: GFP_NOWAIT first, then once more with `gfp` through mas_nomem; `retry`
   * is what to do again if the tree changed meanwhile. Throws ENOMEM when the nodes are refused.
   */
  #write(first: number, last: number, entry: unknown, gfp: Gfp, retry?: StoreRetry): void {
    const tree = this as MapleTree;
    // The normal API returns no old entry: the store need not look for one.
    const done = gfp === 'kernel'
      ? storeEntry(tree, first, last, entry, 'nowait', undefined, 'kernel', retry, false)
      : storeEntry(tree, first, last, entry, gfp, undefined, undefined, retry, false);
    if (done === null) throw new MapleError('ENOMEM', `no memory for the nodes a store over [${first}, ${last}] may need`);
  }
}

/**
 * mas_erase's `goto write_retry`: after mas_nomem, walk again at the index erased, in case the
 * range holding it changed meanwhile (it may be gone: then there is nothing to erase). A tree keeps
 * one spare, so an erase allocates no closure; an erase made from inside the allocator, while the
 * spare is taken, makes its own.
 */
class EraseRetry {
  index = 0;
  entry: unknown = undefined;
  gone = false;
  readonly walk: StoreRetry = (mas) => {
    masSet(mas, this.index);
    this.entry = masWalk(mas);
    this.gone = this.entry === undefined;
    return !this.gone;
  };
}
