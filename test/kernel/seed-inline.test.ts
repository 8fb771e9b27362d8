// The inline insert/load block of maple_tree_seed() and check_spanning_relatives, from
// lib/test_maple_tree.c (Linux 6.18).
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX } from '../../src/index.js';
import { checkInsertRange, checkLoad } from './checks.js';
import { xaMkValue } from './helpers.js';

/** check_insert: mtree_insert succeeds. */
const checkInsert = (t: MapleTree, index: number, ptr: unknown): void => checkInsertRange(t, index, index, ptr, 0);

/** check_dup_insert: a second insert at an occupied index fails with EEXIST. */
const checkDupInsert = (t: MapleTree, index: number, ptr: unknown): void => checkInsertRange(t, index, index, ptr, -17);

describe('check_load_insert_inline', () => {
  const set = [5015, 5014, 5017, 25, 1000, 1001, 1002, 1003, 1005, 0, 5003, 5002];
  // The kernel stores two pointers: the tree's own address and the set array's.
  const treePtr = { stands_for: '&tree' };
  const ptr = { stands_for: '&set' };

  it('insert at 0 and 5003 around empty indices', () => {
    const t = new MapleTree();
    checkLoad(t, set[0]!, undefined);
    checkInsert(t, set[9]!, treePtr);
    checkLoad(t, set[9]!, treePtr);
    checkLoad(t, set[0]!, undefined);
    checkInsert(t, set[10]!, ptr);
    checkLoad(t, set[9]!, treePtr);
    checkLoad(t, set[11]!, undefined);
    checkLoad(t, set[10]!, ptr);
    t.validate();
  });

  it('a duplicate insert fails, and neighbours inserted later read back', () => {
    const t = new MapleTree();
    checkInsert(t, set[0]!, treePtr);
    checkDupInsert(t, set[0]!, treePtr);
    checkLoad(t, set[0]!, treePtr);
    checkLoad(t, set[1]!, undefined);
    checkInsert(t, set[1]!, ptr);
    checkLoad(t, set[1]!, ptr);
    checkLoad(t, set[0]!, treePtr);
    checkInsert(t, set[6]!, ptr);
    checkInsert(t, set[7]!, treePtr);
    checkLoad(t, set[0]!, treePtr);
    checkLoad(t, set[1]!, ptr);
    checkLoad(t, set[6]!, ptr);
    checkLoad(t, set[7]!, treePtr);
    t.validate();
  });

  it('inserting into a NULL hole', () => {
    const t = new MapleTree();
    checkInsert(t, set[5]!, ptr);
    checkInsert(t, set[7]!, treePtr);
    checkInsert(t, set[6]!, ptr);
    checkLoad(t, set[5]!, ptr);
    checkLoad(t, set[6]!, ptr);
    checkLoad(t, set[7]!, treePtr);
    t.validate();
  });

  it('inserts in mixed order, through the first split, read back after each', () => {
    const t = new MapleTree();
    const want = new Map<number, unknown>();
    const insert = (i: number, p: unknown): void => {
      checkInsert(t, set[i]!, p);
      want.set(i, p);
    };
    const loadAll = (...which: number[]): void => {
      for (const i of which) checkLoad(t, set[i]!, want.get(i));
    };
    insert(0, ptr);
    insert(1, treePtr);
    insert(2, ptr);
    insert(3, treePtr);
    loadAll(0, 1, 2, 3);
    insert(4, ptr); // 1000: the kernel notes this one splits
    loadAll(0, 1, 2, 3, 4);
    insert(5, treePtr);
    loadAll(0, 1, 2, 3, 4, 5);
    insert(6, ptr);
    loadAll(0, 1, 2, 3, 4, 5, 6);
    insert(7, treePtr);
    loadAll(0);
    insert(8, ptr);
    insert(9, treePtr);
    loadAll(0, 1, 2, 3, 4, 5, 6, 9);
    t.validate();
  });
});

describe('check_spanning_relatives', () => {
  it('a NULL store spanning several leaves (9365..9955 over [10i, 10i+5], i = 0..1000)', () => {
    const t = new MapleTree({ allocRange: true });
    for (let i = 0; i <= 1000; i++) t.storeRange(i * 10, i * 10 + 5, xaMkValue(i));
    t.storeRange(9365, 9955, undefined);
    t.validate();
    // What the store must leave: the ranges it cut are trimmed, the ones inside it are gone.
    checkLoad(t, 9360, xaMkValue(936));
    checkLoad(t, 9364, xaMkValue(936));
    checkLoad(t, 9365, undefined);
    for (let i = 937; i <= 995; i++) checkLoad(t, i * 10, undefined);
    checkLoad(t, 9955, undefined);
    checkLoad(t, 9956, undefined);
    checkLoad(t, 9960, xaMkValue(996));
    expect(t.find(9365)?.index).toBe(9960);
  });
});

describe('alloc_cyclic_testing', () => {
  it('mas_alloc_cyclic hands out 2, 3, 4, … and leaves the state on the index', () => {
    const t = new MapleTree({ allocRange: true });
    const mas = t.state(0, 0);
    const cursor = { next: 0 };
    for (let i = 0; i < 100; i++) {
      const { index: location } = mas.allocCyclic(t, 2, MAX_INDEX, cursor);
      expect(location - 2).toBe(i);
      expect([mas.index, mas.last]).toEqual([location, location]);
      expect(cursor.next - 3).toBe(i);
    }
  });

  it('mtree_alloc_cyclic does the same and the entry reads back', () => {
    const t = new MapleTree({ allocRange: true });
    const cursor = { next: 0 };
    for (let i = 0; i < 100; i++) {
      const { index: location } = t.allocCyclic(t, 2, MAX_INDEX, cursor);
      expect(location - 2).toBe(i);
      expect(cursor.next - 3).toBe(i);
      expect(t.load(location)).toBe(t);
    }
  });

  it('an exhausted window wraps to the freed index (the mas_reset fix of Dec 2024)', () => {
    const t = new MapleTree({ allocRange: true });
    const cursor = { next: 0 };
    for (let i = 0; i < 1023; i++) {
      const { index: location } = t.allocCyclic(t, 2, 1024, cursor);
      expect(location - 2).toBe(i);
      expect(cursor.next - 3).toBe(i);
      expect(t.load(location)).toBe(t);
    }
    t.erase(123);
    expect(t.load(123)).toBeUndefined();
    let r = t.allocCyclic(t, 2, 1024, cursor);
    expect(r.index).toBe(123);
    expect(cursor.next).toBe(124);
    expect(t.load(r.index)).toBe(t);
    t.erase(100);
    r = t.allocCyclic(t, 2, 1024, cursor);
    expect(r.index).toBe(100);
    expect(cursor.next).toBe(101);
    expect(t.load(r.index)).toBe(t);
  });

  it('overflow: taking MAX_INDEX wraps the cursor, and the next success reports the wrap', () => {
    const t = new MapleTree({ allocRange: true });
    const cursor = { next: MAX_INDEX - 1 };
    expect(t.allocCyclic(t, 2, MAX_INDEX, cursor).wrapped).toBe(false);
    expect(t.allocCyclic(t, 2, MAX_INDEX, cursor).wrapped).toBe(false);
    expect(t.allocCyclic(t, 2, MAX_INDEX, cursor).wrapped).toBe(true);
  });
});

describe('check_locky', () => {
  it('two GFP_NOWAIT stores in RCU mode within a non-kernel budget of two nodes', () => {
    // mas_lock/mas_unlock: our trees have no lock; the stores run to completion in turn.
    // maple.c's main makes this tree with MT_FLAGS_ALLOC_RANGE.
    const t = new MapleTree({ allocRange: true });
    const ms = t.state(2, 2);
    const reader = t.state(2, 2);
    t.allocator.setNonKernel(2);
    t.setRcu(true);
    ms.store(ms);
    expect(ms.error).toBeNull();
    ms.setRange(1, 3);
    ms.store(reader);
    expect(ms.error).toBeNull();
    t.setRcu(false);
    expect([...t.entries()]).toEqual([[1, 3, reader]]);
    t.validate();
  });
});
