/**
 * NodeAllocator: the maple node cache (kmem_cache "maple_node") as the tree sees it, with the
 * userspace test shim's contract (tools/testing/shared/linux.c) and fault injection.
 *
 * Nodes are ordinary JavaScript objects; the allocator decides whether an allocation succeeds and
 * keeps the books. One `allocate(count)` call is one allocation event (a single kmem_cache_alloc,
 * or a sheaf prefill / bulk allocation, which is all-or-nothing).
 */

import { checkFunction, checkGfp, type GFP_VALUES } from './args.js';

/** GFP classes. 'kernel' may block and succeeds unless a fault is injected; the others never block. */
export type Gfp = (typeof GFP_VALUES)[number];

export interface AllocationInfo {
  /** Nodes asked for in this event. */
  readonly count: number;
  readonly gfp: Gfp;
  /** 1-based number of this allocation event since the allocator was made. */
  readonly nth: number;
}

export class NodeAllocator {
  #live = 0;
  #total = 0;
  #events = 0;
  #nonKernel = 0;
  #failAt = 0;
  #failWhen: ((info: AllocationInfo) => boolean) | null = null;
  #callback: (() => void) | null = null;
  #callbackArmed = false;

  /** Nodes allocated and not yet freed (mt_nr_allocated). */
  get live(): number {
    return this.#live;
  }

  /** Nodes ever allocated since the last resetTotal (mt_nr_tallocated). */
  get total(): number {
    return this.#total;
  }

  /** Allocation events so far (successful or not). */
  get events(): number {
    return this.#events;
  }

  /**
   * Allocates `count` nodes, all or nothing. Returns false for a failure (ENOMEM to the caller).
   */
  allocate(count: number, gfp: Gfp): boolean {
    if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    checkGfp(gfp, 'gfp');
    // mt_set_callback: the hook runs at the start of the next allocation after a failed one.
    if (this.#callbackArmed && this.#callback) {
      this.#callbackArmed = false;
      this.#callback();
    }
    const nth = ++this.#events;
    let ok = true;
    if (this.#failAt === nth) {
      this.#failAt = 0;
      ok = false;
    } else if (this.#failWhen && this.#failWhen({ count, gfp, nth })) {
      ok = false;
    } else if (gfp !== 'kernel') {
      // The shim fails non-blocking allocations unless the non_kernel budget covers them.
      if (this.#nonKernel >= count) this.#nonKernel -= count;
      else ok = false;
    }
    if (!ok) {
      this.#callbackArmed = this.#callback !== null;
      return false;
    }
    this.#live += count;
    this.#total += count;
    return true;
  }

  /** Returns `count` nodes to the cache (kfree, kfree_rcu, leftovers of a preallocation). */
  free(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
    if (count > this.#live) throw new RangeError(`freeing ${count} nodes but only ${this.#live} are live`);
    this.#live -= count;
  }

  /** mt_set_non_kernel: how many nodes non-blocking allocations may still take. */
  setNonKernel(budget: number): void {
    if (!Number.isSafeInteger(budget) || budget < 0) throw new RangeError(`budget must be a non-negative integer, got ${budget}`);
    this.#nonKernel = budget;
  }

  /** mt_set_callback: `fn` runs at the start of the next allocation after a failed one. */
  setCallback(fn: (() => void) | null): void {
    checkFunction(fn, 'fn', true);
    this.#callback = fn;
    this.#callbackArmed = false;
  }

  /** Fails the n-th allocation event from now, once (n = 1: the next one). */
  failNth(n: number): void {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
    this.#failAt = this.#events + n;
  }

  /** Fails every allocation event for which `pred` returns true (persistent), until cleared with null. */
  failWhen(pred: ((info: AllocationInfo) => boolean) | null): void {
    checkFunction(pred, 'pred', true);
    this.#failWhen = pred;
  }

  /** mt_zero_nr_tallocated */
  resetTotal(): void {
    this.#total = 0;
  }
}
