/**
 * MaState: the kernel's struct ma_state as the advanced API's cursor — the tree's one maple state
 * (Mas, mas.ts) with argument checks and the node reservation of mas_preallocate. It walks and
 * navigates (navigate.ts, empty-area.ts) and writes (write.ts) at its [index, last].
 */
import type { Gfp } from './alloc.js';
import { checkAllocSize, checkEntry, checkGfp, checkIndex } from './args.js';
import { checkCyclicArgs, masAllocCyclic, type CyclicCursor, type CyclicResult } from './alloc-range.js';
import { masEmptyArea, masEmptyAreaRev } from './empty-area.js';
import { MapleError, type MapleErrorCode } from './errors.js';
import { Mas } from './mas.js';
import {
  masFind, masFindRange, masFindRangeRev, masFindRev, masNext, masNextRange, masPause, masPrev, masPrevRange, masReset,
  masSet, masSetRange, masWalk,
} from './navigate.js';
import type { MapleTree } from './tree.js';
import { preallocCount, storeEntry, type Reservation, type StoreRetry } from './write.js';

export class MaState extends Mas {
  /** Nodes held from mas_preallocate until a store uses them or destroy() frees them. */
  readonly #reserve: Reservation = { count: 0 };
  #preallocated = false;

  constructor(tree: MapleTree, index: number, last: number = index) {
    if (typeof tree !== 'object' || tree === null || !('writeSeq' in tree)) throw new TypeError('tree must be a MapleTree');
    checkIndex(index, 'index');
    checkIndex(last, 'last');
    super(tree, index, last);
  }

  /** Nodes this state holds (mas_allocated). */
  get allocated(): number {
    return this.#reserve.count;
  }

  // navigation (navigate.ts, empty-area.ts); the bounds are checked like the normal API's
  walk(): unknown { this.#checkPosition(); return masWalk(this); }
  find(max: number): unknown { this.#checkBound(max, 'max'); return masFind(this, max); }
  findRange(max: number): unknown { this.#checkBound(max, 'max'); return masFindRange(this, max); }
  findRev(min: number): unknown { this.#checkBound(min, 'min'); return masFindRev(this, min); }
  findRangeRev(min: number): unknown { this.#checkBound(min, 'min'); return masFindRangeRev(this, min); }
  next(max: number): unknown { this.#checkBound(max, 'max'); return masNext(this, max); }
  nextRange(max: number): unknown { this.#checkBound(max, 'max'); return masNextRange(this, max); }
  /**
   * mas_prev and the other backward calls below: as in the kernel (mas_prev_setup and
   * mas_find_rev_setup), when the tree is only a [0, 0] root-pointer entry they return it whatever
   * `min` is, although the same contents in a leaf give undefined for min > 0. MapleTree.prev keeps
   * `min`.
   */
  prev(min: number): unknown { this.#checkBound(min, 'min'); return masPrev(this, min); }
  prevRange(min: number): unknown { this.#checkBound(min, 'min'); return masPrevRange(this, min); }
  pause(): void { masPause(this); }
  reset(): void { masReset(this); }
  set(index: number): void { checkIndex(index, 'index'); masSet(this, index); }
  setRange(first: number, last: number): void { checkIndex(first, 'first'); checkIndex(last, 'last'); masSetRange(this, first, last); }

  /** mas_empty_area: lowest gap of `size` in [min, max]; sets index/last. Throws EINVAL/EBUSY. */
  emptyArea(min: number, max: number, size: number): void {
    this.#checkArea(min, max, size);
    this.#check(masEmptyArea(this, min, max, size), `no gap of ${size} in [${min}, ${max}]`);
  }

  /** mas_empty_area_rev: highest gap of `size` in [min, max]; sets index/last. Throws EINVAL/EBUSY. */
  emptyAreaRev(min: number, max: number, size: number): void {
    this.#checkArea(min, max, size);
    this.#check(masEmptyAreaRev(this, min, max, size), `no gap of ${size} in [${min}, ${max}]`);
  }

  /** mas_alloc_cyclic */
  allocCyclic(entry: unknown, min: number, max: number, cursor: CyclicCursor): CyclicResult {
    checkCyclicArgs(this.tree, entry, min, max, cursor);
    return masAllocCyclic(this, entry, min, max, cursor);
  }

  // writes (write.ts)

  /**
   * mas_store: stores `entry` over [index, last] and returns what was at `index`. Without a
   * preallocation it allocates with 'nowait' and, on failure, returns undefined with the state in
   * 'error' (ENOMEM) and the tree unchanged — the caller may retry with storeGfp.
   */
  store(entry: unknown): unknown {
    return this.#store(entry, 'nowait', this.#reserve.count > 0);
  }

  /**
   * mas_store_gfp: a first try with GFP_NOWAIT; when that fails and `gfp` may block, mas_nomem
   * allocates with `gfp` (the allocator's callback runs there, as another writer may while the
   * lock is dropped) and the store is planned again. Throws ENOMEM when that fails too.
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

  /** mas_store_prealloc: stores using the preallocation, then frees what is left. */
  storePrealloc(entry: unknown): void {
    if (!this.#preallocated) throw new Error('storePrealloc without a successful preallocate');
    this.#store(entry, 'kernel', true);
    this.destroy();
  }

  /** mas_destroy: frees the nodes this state still holds. */
  destroy(): void {
    if (this.#reserve.count > 0) this.tree.allocator.free(this.#reserve.count);
    this.#reserve.count = 0;
    this.#preallocated = false;
  }

  /** mas_erase: erases the whole range containing index; returns what it held. */
  erase(): unknown {
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
    return entry;
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
  }

  #check(ret: number, what: string): void {
    if (ret === 0) return;
    const code: MapleErrorCode = ret === -16 ? 'EBUSY' : 'EINVAL';
    throw new MapleError(code, code === 'EBUSY' ? what : 'invalid gap search arguments');
  }
}
