// Kernel tests that check the tree's exact shape: node counts, data ends, preallocation counts
// (tools/testing/radix-tree/maple.c and lib/test_maple_tree.c, Linux 6.18). They pass only when
// our nodes split, merge and fill the way the kernel's do.
import { describe, expect, it } from 'vitest';
import { MapleError, MapleTree } from '../../src/index.js';
import { planStore } from '../../src/internals.js';
import { checkRevSeq, checkSeq, dataEnd, dfsPreorderCount } from './helpers.js';

describe('check_dfs_preorder', () => {
  it('0..1000 in order: 74 steps (73 nodes); with MT_FLAGS_ALLOC_RANGE 77, in either order', () => {
    const a = new MapleTree();
    checkSeq(a, 1000);
    expect(dfsPreorderCount(a)).toBe(74);
    const b = new MapleTree({ allocRange: true });
    checkSeq(b, 1000);
    expect(dfsPreorderCount(b)).toBe(77);
    const c = new MapleTree({ allocRange: true });
    checkRevSeq(c, 1000);
    expect(dfsPreorderCount(c)).toBe(77);
  });
});

describe('check_seq', () => {
  it('lib/test_maple_tree.c runs it to 16 and to 1000', () => {
    for (const max of [16, 1000]) {
      const t = new MapleTree();
      checkSeq(t, max);
      t.validate();
    }
  });
});

describe('check_rev_seq', () => {
  it('1000 down to 1, toggling RCU mode after each insert', () => {
    const r = new MapleTree();
    checkRevSeq(r, 1000);
    r.validate();
  });
});

describe('check_null_expand', () => {
  it('NULL stores take in the NULLs beside them, changing the data end by the kernel\'s deltas', () => {
    const t = new MapleTree();
    for (let i = 0; i <= 100; i++) t.storeRange(i * 10, i * 10 + 5, i);
    const mas = t.state(959, 959);
    // Expanding NULL at the start.
    mas.walk();
    let end = dataEnd(mas.node);
    mas.setRange(959, 963);
    mas.storeGfp(undefined, 'kernel');
    expect(t.load(963)).toBeUndefined();
    expect(dataEnd(mas.node)).toBe(end);
    // At the end.
    mas.set(880);
    mas.walk();
    end = dataEnd(mas.node);
    mas.setRange(884, 887);
    mas.storeGfp(undefined, 'kernel');
    expect(t.load(884)).toBeUndefined();
    expect(t.load(889)).toBeUndefined();
    expect(dataEnd(mas.node)).toBe(end);
    // At both.
    mas.set(890);
    mas.walk();
    end = dataEnd(mas.node);
    mas.setRange(900, 905);
    mas.storeGfp(undefined, 'kernel');
    for (const i of [899, 900, 905, 906]) expect(t.load(i)).toBeUndefined();
    expect(dataEnd(mas.node)).toBe(end - 2);
    // Across several slots.
    mas.set(800);
    mas.walk();
    end = dataEnd(mas.node);
    mas.setRange(810, 825);
    mas.storeGfp(undefined, 'kernel');
    for (const i of [809, 810, 825, 826]) expect(t.load(i)).toBeUndefined();
    expect(dataEnd(mas.node)).toBe(end - 4);
  });
});

describe('check_prealloc', () => {
  it('reserves exactly what each store type may need, from the vacant and sufficient heights', () => {
    const t = new MapleTree();
    t.allocator.setNonKernel(1000);
    for (let i = 0; i <= 100; i++) t.storeRange(i * 10, i * 10 + 5, i);
    const ptr = 'check_prealloc';
    const mas = t.state(470, 500);
    // Spanning store.
    let plan = planStore(t, 470, 500, ptr);
    expect(plan.type).toBe('spanning_store');
    mas.preallocate(ptr, 'kernel');
    expect(mas.allocated).toBeGreaterThan(0);
    expect(mas.allocated).toBe(1 + (t.height - plan.wr.vacantHeight) * 3);
    mas.destroy();
    expect(mas.allocated).toBe(0);
    mas.preallocate(ptr, 'kernel');
    mas.preallocate(ptr, 'kernel');
    expect(mas.allocated).toBe(1 + (t.height - plan.wr.vacantHeight) * 3);
    mas.storePrealloc(ptr);
    expect(mas.allocated).toBe(0);
    // Slot stores need nothing.
    mas.setRange(6, 9);
    mas.preallocate(ptr, 'kernel');
    expect(mas.allocated).toBe(0);
    mas.storePrealloc(ptr);
    mas.setRange(6, 10);
    mas.preallocate(ptr, 'kernel');
    expect(mas.allocated).toBe(0);
    mas.storePrealloc(ptr);
    // Split.
    mas.setRange(54, 54);
    plan = planStore(t, 54, 54, ptr);
    mas.preallocate(ptr, 'kernel');
    expect(mas.allocated).toBe(1 + (t.height - plan.wr.vacantHeight) * 2);
    mas.storePrealloc(ptr);
    expect(mas.allocated).toBe(0);
    // A spanning store without enough non-blocking memory fails and holds nothing.
    t.allocator.setNonKernel(1);
    mas.setRange(1, 100);
    expect(() => mas.preallocate(ptr, 'nowait')).toThrow(MapleError);
    expect(mas.allocated).toBe(0);
    mas.destroy();
    // The root has two entries, on the verge of insufficiency: the full height is reserved.
    mas.setRange(1, 100);
    mas.preallocate(ptr, 'kernel');
    expect(mas.allocated).toBe(t.height * 3 + 1);
    mas.storePrealloc(ptr);
    expect(mas.allocated).toBe(0);
    mas.setRange(0, 200);
    t.allocator.setNonKernel(1);
    expect(() => mas.preallocate(ptr, 'nowait')).toThrow(MapleError);
    expect(mas.allocated).toBe(0);
    // Chained preallocations in RCU mode: a slot store needs none, a node store one.
    t.setRcu(true);
    mas.setRange(800, 805);
    mas.preallocate(ptr, 'kernel');
    expect(mas.allocated).toBe(0);
    mas.last = 809;
    mas.preallocate(ptr, 'kernel');
    expect(mas.allocated).toBe(1);
    mas.storePrealloc(ptr);
    t.validate();
  });
});

describe('check_spanning_write', () => {
  it('NULL stores across leaves and levels, in allocation and plain trees', () => {
    const fill = (t: MapleTree, from: number): void => {
      for (let i = from; i <= 5000; i++) t.storeRange(i * 10, i * 10 + 5, i);
    };
    let t = new MapleTree();
    fill(t, 0);
    const mas = t.state(1200, 2380);
    mas.storeGfp(undefined, 'kernel');
    mas.set(1205);
    expect(mas.walk()).toBeUndefined();
    t.validate();
    t = new MapleTree();
    fill(t, 1);
    const m2 = t.state(9, 50006);
    m2.storeGfp(undefined, 'kernel');
    // Expanded to [0, MAX]: the tree is empty.
    expect(t.isEmpty).toBe(true);
    t = new MapleTree({ allocRange: true });
    fill(t, 0);
    const m3 = t.state(0, 12900);
    m3.storeGfp(undefined, 'kernel');
    m3.set(1205);
    expect(m3.walk()).toBeUndefined();
    t.validate();
    t = new MapleTree();
    fill(t, 0);
    const m4 = t.state(0, 300);
    m4.storeGfp(undefined, 'kernel');
    m4.set(15);
    expect(m4.walk()).toBeUndefined();
    t.validate();
  });
});
