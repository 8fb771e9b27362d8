/**
 * MaState: the kernel's struct ma_state as the advanced API's cursor — the tree's one maple state
 * (Mas, mas.ts) with argument checks and the node reservation of mas_preallocate. It walks and
 * navigates (navigate.ts, empty-area.ts) and writes (write.ts) at its [index, last].
 */
import type { Gfp } from './alloc.js';
import { checkAllocSize, checkEntry, checkGfp, checkIndex, checkRange, checkWindow } from './args.js';
import { checkCyclicArgs, gapSearchError, masAllocCyclic, type CyclicCursor, type CyclicResult } from './alloc-range.js';
import { masEmptyArea, masEmptyAreaRev } from './empty-area.js';
import type { ZeroEntry } from './entry.js';
import { MapleError } from './errors.js';
import { Mas } from './mas.js';
import {
  masFind, masFindRange, masFindRangeRev, masFindRev, masNext, masNextRange, masPause, masPrev, masPrevRange, masReset,
  masSet, masSetRange, masWalk,
} from './navigate.js';
import type { MapleTree } from './tree.js';
import { preallocCount, storeEntry, type Reservation, type StoreRetry } from './write.js';

/** What a slot read through the state can hold. */
type Slot<T> = T | ZeroEntry | undefined;

/**
 * `T` is the tree's entry type. The walks and steps return what the slot holds, so their results
 * are `T | ZeroEntry | undefined`: XA_ZERO_ENTRY is not hidden here as the normal API hides it.
 */
export class MaState<T = unknown> extends Mas {
  /** Nodes held from mas_preallocate until a store uses them or destroy() frees them. */
  readonly #reserve: Reservation = { count: 0 };
  #preallocated = false;

  constructor(tree: MapleTree, index: number, last: number = index) {
    if (typeof tree !== 'object' || tree === null || !('writeSeq' in tree)) throw new TypeError('tree must be a MapleTree');
    checkRange(index, last, 'index');
    super(tree, index, last);
  }

  /** Nodes this state holds (mas_allocated). */
  get allocated(): number {
    return this.#reserve.count;
  }

  // navigation (navigate.ts, empty-area.ts); the bounds are checked like the normal API's
  /**
   * mas_walk: the entry at index (XA_ZERO_ENTRY included), and [index, last] set to the range
   * holding it, empty or not.
   *
   * Cost: O(height) from a fresh state; O(1) when the state is already on the leaf holding index.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a']]);
   * const mas = mt.state(12);
   * mas.walk();                   // 'a'; mas.index 10, mas.last 19
   * mas.set(25);
   * mas.walk();                   // undefined; [mas.index, mas.last] is the empty range holding 25
   * ```
   */
  walk(): T | ZeroEntry | undefined { this.#checkPosition(); return masWalk(this) as Slot<T>; }
  /**
   * mas_find: the first entry at or after index and up to max (XA_ZERO_ENTRY included), [index,
   * last] set to its range; undefined past max. Call again to go on.
   *
   * Cost: O(height) for the first call; O(1) amortised for each later one, stepping along the
   * leaves.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a'], [30, 39, 'b']]);
   * const mas = mt.state(0);
   * mas.find(100);                // 'a' (mas.index 10)
   * mas.find(100);                // 'b' (mas.index 30)
   * mas.find(100);                // undefined
   * ```
   */
  find(max: number): T | ZeroEntry | undefined { this.#checkBound(max, 'max'); return masFind(this, max) as Slot<T>; }
  /**
   * mas_find_range: like find, but after the first entry each call moves to the next range, empty
   * or not.
   *
   * Cost: O(height) for the first call; O(1) amortised for each later one.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a']]);
   * const mas = mt.state(0);
   * mas.findRange(100);           // 'a' for [10, 19]
   * mas.findRange(100);           // undefined for the empty range after it (mas.index 20)
   * ```
   */
  findRange(max: number): T | ZeroEntry | undefined { this.#checkBound(max, 'max'); return masFindRange(this, max) as Slot<T>; }
  /**
   * mas_find_rev: the first entry at or before index and down to min, searching backwards.
   *
   * Cost: O(height) for the first call; O(1) amortised for each later one.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a'], [30, 39, 'b']]);
   * const mas = mt.state(100);
   * mas.findRev(0);               // 'b'
   * mas.findRev(0);               // 'a'
   * ```
   */
  findRev(min: number): T | ZeroEntry | undefined { this.#checkBound(min, 'min'); return masFindRev(this, min) as Slot<T>; }
  /**
   * mas_find_range_rev: like findRev, but after the first entry each call moves to the previous
   * range, empty or not.
   *
   * Cost: O(height) for the first call; O(1) amortised for each later one.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a']]);
   * const mas = mt.state(25);
   * mas.findRangeRev(0);          // 'a' for [10, 19]
   * mas.findRangeRev(0);          // undefined for the empty [0, 9]
   * ```
   */
  findRangeRev(min: number): T | ZeroEntry | undefined { this.#checkBound(min, 'min'); return masFindRangeRev(this, min) as Slot<T>; }
  /**
   * mas_next: the next entry after the current range, up to max (XA_ZERO_ENTRY included).
   *
   * Cost: O(1) amortised from an active state; O(height) from a fresh or paused one.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a'], [30, 39, 'b']]);
   * const mas = mt.state(12);
   * mas.walk();                   // 'a'
   * mas.next(100);                // 'b'
   * ```
   */
  next(max: number): T | ZeroEntry | undefined { this.#checkBound(max, 'max'); return masNext(this, max) as Slot<T>; }
  /**
   * mas_next_range: the next range after the current one, empty or not, up to max.
   *
   * Cost: O(1) amortised from an active state; O(height) from a fresh or paused one.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a'], [30, 39, 'b']]);
   * const mas = mt.state(12);
   * mas.walk();                   // 'a'
   * mas.nextRange(100);           // undefined: the empty [20, 29]
   * ```
   */
  nextRange(max: number): T | ZeroEntry | undefined { this.#checkBound(max, 'max'); return masNextRange(this, max) as Slot<T>; }
  /**
   * mas_prev and the other backward calls below: as in the kernel (mas_prev_setup and
   * mas_find_rev_setup), when the tree is only a [0, 0] root-pointer entry they return it whatever
   * `min` is, although the same contents in a leaf give undefined for min > 0. MapleTree.prev keeps
   * `min`.
   *
   * Cost: O(1) amortised from an active state; O(height) from a fresh or paused one.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a'], [30, 39, 'b']]);
   * const mas = mt.state(35);
   * mas.walk();                   // 'b'
   * mas.prev(0);                  // 'a'
   * ```
   */
  prev(min: number): T | ZeroEntry | undefined { this.#checkBound(min, 'min'); return masPrev(this, min) as Slot<T>; }
  /**
   * mas_prev_range: the range before the current one, empty or not, down to min.
   *
   * Cost: O(1) amortised from an active state; O(height) from a fresh or paused one.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a'], [30, 39, 'b']]);
   * const mas = mt.state(35);
   * mas.walk();                   // 'b'
   * mas.prevRange(0);             // undefined: the empty [20, 29]
   * ```
   */
  prevRange(min: number): T | ZeroEntry | undefined { this.#checkBound(min, 'min'); return masPrevRange(this, min) as Slot<T>; }
  /**
   * mas_pause: lets go of the node the state is on, so the lock may be dropped; the next call walks
   * again from the root.
   *
   * Cost: O(1) (the next navigation pays O(height)).
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a'], [30, 39, 'b']]);
   * const mas = mt.state(0);
   * mas.find(100);                // 'a'
   * mas.pause();
   * mt.storeRange(20, 29, 'new'); // the tree may change while paused
   * mas.find(100);                // 'new'
   * ```
   */
  pause(): void { masPause(this); }
  /**
   * mas_reset: back to the start status; the next call walks from the root at the same index.
   *
   * Cost: O(1).
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a']]);
   * const mas = mt.state(15);
   * mas.walk();
   * mas.reset();
   * mas.status;                   // 'start'
   * ```
   */
  reset(): void { masReset(this); }
  /**
   * mas_set: moves the state to index (index = last = index) and resets it.
   *
   * Cost: O(1) (the next call walks, O(height)).
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a'], [30, 39, 'b']]);
   * const mas = mt.state(15);
   * mas.set(35);
   * mas.walk();                   // 'b'
   * ```
   */
  set(index: number): void { checkIndex(index, 'index'); masSet(this, index); }
  /**
   * mas_set_range: sets [index, last] = [first, last] and resets the state, e.g. before a store.
   *
   * Cost: O(1).
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * const mas = mt.state(0);
   * mas.setRange(100, 199);
   * mas.storeGfp('a', 'kernel');
   * mt.load(150);                 // 'a'
   * ```
   */
  setRange(first: number, last: number): void { checkRange(first, last); masSetRange(this, first, last); }

  /**
   * mas_empty_area: lowest gap of `size` in [min, max]; sets index/last. Throws EINVAL/EBUSY.
   *
   * Cost: O(log n): the search descends by the gaps each node records (allocation-range trees).
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>({ allocRange: true });
   * mt.storeRange(0, 0xfff, 'taken');
   * const mas = mt.state(0);
   * mas.emptyArea(0, 0xffff, 0x100); // mas.index 0x1000, mas.last 0x10ff
   * ```
   */
  emptyArea(min: number, max: number, size: number): void {
    this.#checkArea(min, max, size);
    const ret = masEmptyArea(this, min, max, size);
    if (ret !== 0) throw gapSearchError(ret, size, min, max);
  }

  /**
   * mas_empty_area_rev: highest gap of `size` in [min, max]; sets index/last. Throws EINVAL/EBUSY.
   *
   * Cost: O(log n), as emptyArea.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>({ allocRange: true });
   * const mas = mt.state(0);
   * mas.emptyAreaRev(0, 0xffff, 0x100); // mas.index 0xff00, mas.last 0xffff
   * ```
   */
  emptyAreaRev(min: number, max: number, size: number): void {
    this.#checkArea(min, max, size);
    const ret = masEmptyAreaRev(this, min, max, size);
    if (ret !== 0) throw gapSearchError(ret, size, min, max);
  }

  /**
   * mas_alloc_cyclic
   *
   * Cost: O(log n): at most two gap searches and one store.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>({ allocRange: true });
   * const cursor = { next: 5 };
   * mt.state(0).allocCyclic('a', 1, 9, cursor); // { index: 5, wrapped: false }
   * ```
   */
  allocCyclic(entry: unknown, min: number, max: number, cursor: CyclicCursor): CyclicResult {
    checkCyclicArgs(this.tree, entry, min, max, cursor);
    return masAllocCyclic(this, entry, min, max, cursor);
  }

  // writes (write.ts)

  /**
   * mas_store: stores `entry` over [index, last] and returns what was at `index`. Without a
   * preallocation it allocates with 'nowait' and, on failure, returns undefined with the state in
   * 'error' (ENOMEM) and the tree unchanged — the caller may retry with storeGfp.
   *
   * Cost: O(1) amortised into a leaf the state is on; O(height) nodes when the write splits or
   * rebalances.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[0, 9, 'a']]);
   * const mas = mt.state(20, 29);
   * mas.store('b');               // undefined: nothing was at 20 (the write fit in the leaf, no new node)
   * mt.load(25);                  // 'b'
   * const empty = new MapleTree<string>();
   * const first = empty.state(10, 19);
   * first.store('c');             // undefined, first.status 'error': the new node was GFP_NOWAIT, which
   *                               // a NodeAllocator refuses until setNonKernel; storeGfp would block instead
   * ```
   */
  store(entry: unknown): T | ZeroEntry | undefined {
    return this.#store(entry, 'nowait', this.#reserve.count > 0) as Slot<T>;
  }

  /**
   * mas_store_gfp: a first try with GFP_NOWAIT; when that fails and `gfp` may block, mas_nomem
   * allocates with `gfp` (the allocator's callback runs there, as another writer may while the
   * lock is dropped) and the store is planned again. Throws ENOMEM when that fails too.
   *
   * Cost: as store, plus one retry after a blocking allocation.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * const mas = mt.state(10, 19);
   * mas.storeGfp('a', 'kernel');  // throws MapleError ENOMEM only if even a blocking allocation fails
   * mt.load(10);                  // 'a'
   * ```
   */
  storeGfp(entry: unknown, gfp: Gfp): void {
    checkGfp(gfp, 'gfp');
    if (gfp === 'kernel') this.#store(entry, 'nowait', false, 'kernel');
    else this.#store(entry, gfp, false);
    if (this.status === 'error') throw new MapleError('ENOMEM', `no memory to store over [${this.index}, ${this.last}]`);
  }

  /**
   * mas_preallocate: reserves what this store may need — the kernel's count for its store type
   * (mas_prealloc_calc, with the vacant and sufficient heights of the path) — so storePrealloc
   * cannot fail.
   *
   * Cost: O(height): the walk and the store-type count; the nodes are reserved from the allocator
   * at once.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * const mas = mt.state(0, 9);
   * mas.preallocate('a', 'kernel'); // may throw ENOMEM; then nothing changed
   * mas.storePrealloc('a');       // cannot fail
   * ```
   */
  preallocate(entry: unknown, gfp: Gfp): void {
    checkGfp(gfp, 'gfp');
    this.#checkPosition();
    checkEntry(entry);
    const need = preallocCount(this.tree, this.index, this.last, entry);
    this.#preallocated = true;
    if (need > this.#reserve.count) {
      if (!this.tree.allocator.allocate(need - this.#reserve.count, gfp)) {
        this.destroy();
        this.status = 'error';
        this.error = 'ENOMEM';
        throw new MapleError('ENOMEM', `no memory to preallocate ${need} nodes`);
      }
      this.#reserve.count = need;
    }
  }

  /**
   * mas_store_prealloc: stores using the preallocation, then frees what is left.
   *
   * Cost: as store; no allocation.
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * const mas = mt.state(0, 9);
   * mas.preallocate('a', 'kernel');
   * mas.storePrealloc('a');
   * mas.allocated;                // 0: what was left is freed
   * ```
   */
  storePrealloc(entry: unknown): void {
    if (!this.#preallocated) throw new Error('storePrealloc without a successful preallocate');
    this.#store(entry, 'kernel', true);
    this.destroy();
  }

  /**
   * mas_destroy: frees the nodes this state still holds.
   *
   * Cost: O(1).
   *
   * @example
   * ```ts
   * const mt = new MapleTree<string>();
   * const mas = mt.state(0, 9);
   * mas.preallocate('a', 'kernel');
   * mas.destroy();                // the reserved nodes go back; the tree is unchanged
   * mt.allocator.live;            // 0
   * ```
   */
  destroy(): void {
    if (this.#reserve.count > 0) this.tree.allocator.free(this.#reserve.count);
    this.#reserve.count = 0;
    this.#preallocated = false;
  }

  /**
   * mas_erase: erases the whole range containing index; returns what it held.
   *
   * Cost: O(log n): a walk and a store of undefined over the range found.
   *
   * @example
   * ```ts
   * const mt = MapleTree.from([[10, 19, 'a']]);
   * const mas = mt.state(15);
   * mas.erase();                  // 'a'
   * mt.load(10);                  // undefined
   * ```
   */
  erase(): T | ZeroEntry | undefined {
    this.#checkPosition();
    const index = this.index;
    masSetRange(this, index, index);
    let entry = masWalk(this);
    if (entry === undefined) return undefined;
    // After mas_nomem the kernel walks again from `index`, in case the entry's range changed.
    let gone = false;
    const retry: StoreRetry = (mas) => {
      const probe = new MaState(this.tree, index);
      entry = masWalk(probe);
      mas.index = probe.index;
      mas.last = probe.last;
      gone = entry === undefined;
      return !gone;
    };
    this.#store(undefined, 'nowait', false, 'kernel', retry);
    if (gone) {
      this.error = null;
      masSetRange(this, index, index);
      return undefined;
    }
    if (this.status === 'error') throw new MapleError('ENOMEM', `no memory to erase at ${index}`);
    return entry as Slot<T>;
  }

  /** With `nomem`, a failed allocation is retried once with it (mas_nomem, in the write path). */
  #store(entry: unknown, gfp: Gfp, prealloc: boolean, nomem?: Gfp, retry?: StoreRetry): unknown {
    checkEntry(entry);
    this.#checkPosition();
    if (this.index > this.last) throw new MapleError('EINVAL', `index (${this.index}) is greater than last (${this.last})`);
    const done = storeEntry(this.tree, this.index, this.last, entry, gfp, prealloc ? this.#reserve : undefined, nomem, retry);
    if (done === null) {
      this.status = 'error';
      this.error = 'ENOMEM';
      return undefined;
    }
    this.error = null;
    if (this.tree.root === null) {
      // mas_store_root / mas_new_root leave the state at the start.
      this.index = done.mas.index;
      this.last = done.mas.last;
      masReset(this);
    } else {
      // Otherwise the kernel leaves it active on the leaf holding the range just written.
      masSet(this, done.mas.index);
      masWalk(this);
    }
    return done.old;
  }

  /** index and last are public fields: a caller may have set them to anything. */
  #checkPosition(): void {
    checkIndex(this.index, 'mas.index');
    checkIndex(this.last, 'mas.last');
  }

  #checkBound(value: number, name: string): void {
    checkIndex(value, name);
    this.#checkPosition();
  }

  #checkArea(min: number, max: number, size: number): void {
    checkIndex(min, 'min');
    checkIndex(max, 'max');
    checkAllocSize(size, 'size');
    checkWindow(min, max);
  }
}
