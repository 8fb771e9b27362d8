// Rebalancing and allocation-failure tests of tools/testing/radix-tree/maple.c (Linux 6.18).
import { describe, expect, it } from 'vitest';
import { MapleError, MapleTree, MAX_INDEX } from '../../src/index.js';
import { buildFullTree, xaMkValue } from './helpers.js';
import { Mas, masDescend, masNextSibling, masStartNode } from '../../src/internals.js';

describe('check_spanning_store_height', () => {
  it('a spanning store over [90, 140] in a height-3 tree of single indices leaves height 2', () => {
    const t = new MapleTree();
    const mas = t.state(0);
    let index = 0;
    while (t.height !== 3) {
      mas.storeGfp(xaMkValue(index), 'kernel');
      mas.set(++index);
    }
    mas.setRange(90, 140);
    mas.storeGfp(xaMkValue(index), 'kernel');
    expect(t.height).toBe(2);
    t.validate();
  });
});

describe('check_collapsing_rebalance', () => {
  it('erasing a height-6 tree from the right, one entry at a time, collapses it level by level', () => {
    const t = new MapleTree();
    let i = 0;
    while (t.height < 6) {
      t.storeRange(i, i + 10, xaMkValue(i));
      i += 9;
    }
    const mas = t.state(MAX_INDEX);
    do {
      mas.erase();
    } while (mas.prev(0) !== undefined);
    t.validate();
    expect([...t]).toEqual([]);
  });
});

describe('check_nomem', () => {
  it('a store that needs a node fails with ENOMEM when none may be had; the root pointer needs none', () => {
    const t = new MapleTree();
    t.allocator.setNonKernel(0);
    expect(() => t.state(1).storeGfp('ms', 'atomic')).toThrow(MapleError);
    expect(t.isEmpty).toBe(true);
    t.state(0).storeGfp('ms', 'atomic');
    expect(t.load(0)).toBe('ms');
    // mas_store without memory leaves the state in error; mas_nomem's retry with GFP_KERNEL succeeds.
    const ms = t.state(1);
    ms.store('ms');
    expect(ms.status).toBe('error');
    expect(ms.error).toBe('ENOMEM');
    expect(t.load(1)).toBeUndefined();
    t.insert(2, 'mt');
    ms.setRange(1, 1);
    ms.storeGfp('ms', 'kernel');
    expect(t.load(1)).toBe('ms');
    expect(t.load(2)).toBe('mt');
    ms.destroy();
    t.destroy();
    expect(t.allocator.live).toBe(0);
  });
});

describe('check_nomem_writer_race', () => {
  it("a second writer changing the range while mas_nomem allocates is kept: the store is planned again", () => {
    // In RCU mode even the node store needs a node, so the GFP_NOWAIT try fails.
    const t = new MapleTree({ allocRange: true, rcu: true });
    t.allocator.setNonKernel(0);
    t.storeRange(0, 5, xaMkValue(0xa));
    t.storeRange(6, 10, undefined);
    t.storeRange(11, 15, xaMkValue(0xb));
    // writer2: runs when mas_nomem drops the lock to allocate after a failed GFP_NOWAIT try.
    const writer2 = (): void => {
      t.allocator.setCallback(null);
      const m = t.state(6, 10);
      t.allocator.setNonKernel(10);
      m.store(xaMkValue(0xc));
      t.allocator.setNonKernel(0);
      m.destroy();
    };
    t.allocator.setCallback(writer2);
    const mas = t.state(0, 5);
    mas.erase();
    expect(t.load(0)).toBeUndefined();
    expect(t.load(6)).toBe(xaMkValue(0xc));
    t.validate();
    // The same race through mas_store_gfp.
    t.storeRange(0, 5, xaMkValue(0xa));
    t.storeRange(6, 10, undefined);
    t.allocator.setCallback(writer2);
    mas.setRange(0, 5);
    mas.storeGfp(undefined, 'kernel');
    expect(t.load(6)).toBe(xaMkValue(0xc));
    t.validate();
  });
});

describe('check_vma_modification', () => {
  it('a VMA grown downwards over the range before it, then shrunk, through preallocated stores', () => {
    const t = new MapleTree();
    const mas = t.state(0x7fffffffe000, 0x7ffffffff000 - 1);
    mas.preallocate(xaMkValue(1), 'kernel');
    mas.storePrealloc(xaMkValue(1));
    // The next write starts in the previous (empty) range.
    mas.prevRange(0);
    mas.setRange(0x7ffde4ca1000, 0x7ffffffff000 - 1);
    mas.preallocate(xaMkValue(1), 'kernel');
    mas.storePrealloc(xaMkValue(1));
    expect(t.load(0x7ffde4ca1000)).toBe(xaMkValue(1));
    mas.setRange(0x7ffde4ca2000, 0x7ffffffff000 - 1);
    mas.preallocate(undefined, 'kernel');
    mas.storePrealloc(undefined);
    mas.destroy();
    t.validate();
    expect([...t]).toEqual([[0x7ffde4ca1000, 0x7ffde4ca2000 - 1, xaMkValue(1)]]);
  });
});

describe('test_spanning_store_regression', () => {
  it('a store spanning the whole right-hand leaf of a parent, from the previous leaf, keeps the tree valid', () => {
    const t = buildFullTree(false, 3);
    const mas = new Mas(t, 0, 0);
    masStartNode(mas);
    masDescend(mas);
    masDescend(mas);
    let from = 0;
    let to = 0;
    for (;;) {
      // get_last_index: the start of the leaf's last range.
      const node = mas.n;
      const tmp = node.pivots[node.end - 1]! + 1;
      if (!masNextSibling(mas, new Mas(t, 0, 0))) break;
      from = tmp;
      to = mas.max;
    }
    expect(from !== 0 || to !== 0).toBe(true);
    const s = t.state(from, to);
    s.storeGfp(xaMkValue(0xdead), 'kernel');
    t.validate();
    expect(t.load(from)).toBe(xaMkValue(0xdead));
    expect(t.load(to)).toBe(xaMkValue(0xdead));
  });
});
