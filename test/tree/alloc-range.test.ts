/**
 * allocRange / allocRRange / allocCyclic (mtree_alloc_range, mtree_alloc_rrange,
 * mas_alloc_cyclic, mtree_alloc_cyclic), including alloc_cyclic_testing from
 * lib/test_maple_tree.c (Linux 6.18) and the error cases.
 */
import { describe, expect, it } from 'vitest';
import { masAllocCyclic } from '../../src/tree/alloc-range.js';
import { MAX_INDEX } from '../../src/tree/constants.js';
import { ZERO_ENTRY } from '../../src/tree/entry.js';
import { Mas } from '../../src/tree/mas.js';
import { NodeAllocator } from '../../src/tree/alloc.js';
import { MapleTree } from '../../src/tree/tree.js';

const code = (c: string): unknown => expect.objectContaining({ code: c });

describe('allocRange / allocRRange', () => {
  it('EINVAL: non-allocation tree, reserved entry, min > max, size 0, window too small', () => {
    expect(() => new MapleTree().allocRange(1, 'x')).toThrow(code('EINVAL'));
    const t = new MapleTree({ allocRange: true });
    expect(() => t.allocRange(1, ZERO_ENTRY as unknown as string)).toThrow(code('EINVAL'));
    expect(() => t.allocRange(1, 'x', 10, 5)).toThrow(code('EINVAL'));
    expect(() => t.allocRange(0, 'x', 0, 5)).toThrow(code('EINVAL'));
    expect(() => t.allocRRange(7, 'x', 0, 5)).toThrow(code('EINVAL'));
    expect(() => t.allocRange(1.5, 'x')).toThrow(RangeError);
    expect(t.isEmpty).toBe(true);
  });

  it('takes the lowest / highest fit and EBUSY when full; the tree keeps validating', () => {
    const t = new MapleTree<string>({ allocRange: true });
    for (let i = 0; i < 400; i++) t.storeRange(i * 10, i * 10 + 6, `r${i}`);
    expect(t.height).toBeGreaterThan(1);
    expect(t.allocRange(3, 'a', 0, 4000)).toBe(7);
    expect(t.allocRange(3, 'b', 0, 4000)).toBe(17);
    expect(t.allocRRange(3, 'c', 0, 3995)).toBe(3987);
    expect(t.allocRRange(1, 'd', 0, MAX_INDEX)).toBe(MAX_INDEX);
    expect(t.load(MAX_INDEX)).toBe('d');
    expect(() => t.allocRange(4, 'e', 0, 3999)).toThrow(code('EBUSY'));
    expect(() => t.allocRRange(4, 'e', 0, 3999)).toThrow(code('EBUSY'));
    t.validate();
  });

  it("asks for mas_prealloc_calc's count from the leaf the search found, as mtree_alloc_range does", () => {
    // mas_insert runs on the state mas_empty_area left on a leaf: mas_wr_walk starts there and sees
    // no vacant level above, so a split asks for height * 2 + 1 nodes, and a store that fits asks
    // for none (outside RCU mode).
    const alloc = new NodeAllocator();
    const t = new MapleTree<number>({ allocRange: true, allocator: alloc });
    for (let i = 0; i < 400; i++) t.storeRange(i * 10, i * 10 + 6, i + 1);
    const asked: { count: number; height: number }[] = [];
    alloc.failWhen((info) => {
      asked.push({ count: info.count, height: t.height });
      return false;
    });
    for (let k = 0; k < 300; k++) t.allocRange(1, 1000 + k, 0);
    alloc.failWhen(null);
    t.validate();
    expect(asked.length).toBeGreaterThan(0);
    for (const a of asked) expect(a.count).toBe(a.height * 2 + 1);
    // The normal API's insert walks from the root and counts only the levels that may split.
    const u = new MapleTree<number>({ allocRange: true, allocator: alloc });
    for (let i = 0; i < 400; i++) u.storeRange(i * 10, i * 10 + 6, i + 1);
    const viaInsert: number[] = [];
    alloc.failWhen((info) => {
      viaInsert.push(info.count);
      return false;
    });
    for (let k = 0; k < 300; k++) {
      const i = firstFree(u);
      u.insertRange(i, i, 1000 + k);
    }
    alloc.failWhen(null);
    expect(Math.min(...viaInsert)).toBeLessThan(u.height * 2 + 1);
  });
});

/** The lowest free index of `t` (a linear probe: the test trees are small). */
function firstFree(t: MapleTree<number>): number {
  let i = 0;
  while (t.load(i) !== undefined) i++;
  return i;
}

describe('alloc_cyclic_testing', () => {
  it('mas_alloc_cyclic hands out 2, 3, 4 ... and leaves the cursor on the index', () => {
    const t = new MapleTree({ allocRange: true });
    const mas = new Mas(t, 0);
    const cursor = { next: 0 };
    for (let i = 0; i < 100; i++) {
      const r = masAllocCyclic(mas, t, 2, MAX_INDEX, cursor);
      expect(r).toEqual({ index: i + 2, wrapped: false });
      expect([mas.index, mas.last]).toEqual([i + 2, i + 2]);
      expect(cursor.next).toBe(i + 3);
    }
  });

  it('mtree_alloc_cyclic hands out 2, 3, 4 ...', () => {
    const t = new MapleTree({ allocRange: true });
    const cursor = { next: 0 };
    for (let i = 0; i < 100; i++) {
      expect(t.allocCyclic(t, 2, MAX_INDEX, cursor).index).toBe(i + 2);
      expect(cursor.next).toBe(i + 3);
      expect(t.load(i + 2)).toBe(t);
    }
  });

  it('an exhausted window wraps to the freed index', () => {
    const t = new MapleTree({ allocRange: true });
    const cursor = { next: 0 };
    for (let i = 0; i < 1023; i++) {
      expect(t.allocCyclic(t, 2, 1024, cursor).index).toBe(i + 2);
      expect(cursor.next).toBe(i + 3);
    }
    t.erase(123);
    expect(t.load(123)).toBeUndefined();
    expect(t.allocCyclic(t, 2, 1024, cursor)).toEqual({ index: 123, wrapped: true });
    expect(cursor.next).toBe(124);
    t.erase(100);
    expect(t.allocCyclic(t, 2, 1024, cursor)).toEqual({ index: 100, wrapped: true });
    expect(cursor.next).toBe(101);
    expect(() => t.allocCyclic(t, 2, 1024, cursor)).toThrow(code('EBUSY'));
    t.validate();
  });

  it('overflow: taking MAX_INDEX wraps the cursor to 0 and the next success reports the wrap', () => {
    const t = new MapleTree({ allocRange: true });
    const cursor = { next: MAX_INDEX - 1 };
    expect(t.allocCyclic(t, 2, MAX_INDEX, cursor)).toEqual({ index: MAX_INDEX - 1, wrapped: false });
    expect(t.allocCyclic(t, 2, MAX_INDEX, cursor)).toEqual({ index: MAX_INDEX, wrapped: false });
    expect(cursor.next).toBe(0);
    expect(t.allocWrapped).toBe(true);
    expect(t.allocCyclic(t, 2, MAX_INDEX, cursor)).toEqual({ index: 2, wrapped: true });
    expect(t.allocWrapped).toBe(false);
    expect(t.allocCyclic(t, 2, MAX_INDEX, cursor)).toEqual({ index: 3, wrapped: false });
  });

  it('allocCyclic refuses non-allocation trees and reserved entries', () => {
    expect(() => new MapleTree().allocCyclic('x', 0, 10, { next: 0 })).toThrow(code('EINVAL'));
    const t = new MapleTree({ allocRange: true });
    expect(() => t.allocCyclic(ZERO_ENTRY as unknown as string, 0, 10, { next: 0 })).toThrow(code('EINVAL'));
    expect(() => t.allocCyclic('x', 0, 10, { next: -1 })).toThrow(RangeError);
  });
});
