// The node store: regions of the per-tree arenas, reused only after a grace period, copied whole
// by dup. Checked against the reference model and through the node handles.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX } from '../../src/index.js';
import { MAPLE_ARANGE_64, MT_PIVOTS, type MapleNode } from '../../src/internals.js';
import { RangeModel } from './reference-model.js';

function firstLeaf(t: MapleTree): MapleNode {
  let n = t.root!;
  while (!n.isLeaf) n = n.child(0);
  return n;
}

function contents(t: MapleTree): [number, number, unknown][] {
  return [...t.entries()];
}

describe('grace periods', () => {
  it('a node replaced under rcuReadLock keeps its pivots and entries until the lock is dropped', () => {
    const t = new MapleTree<number>({ rcu: true });
    for (let i = 0; i < 200; i++) t.storeRange(i * 10, i * 10 + 5, i);
    t.rcuReadLock();
    const leaf = firstLeaf(t);
    const pivots = [...leaf.pivots];
    const entries = Array.from({ length: leaf.end + 1 }, (_, i) => leaf.slot(i));
    t.storeRange(1, 2, -1);
    expect(leaf.dead).toBe(true);
    // Many more writes, each wanting fresh nodes: none may take the dead leaf's region.
    for (let i = 0; i < 500; i++) t.storeRange(i * 3, i * 3 + 1, i);
    expect(leaf.dead).toBe(true);
    expect([...leaf.pivots]).toEqual(pivots);
    expect(Array.from({ length: entries.length }, (_, i) => leaf.slot(i))).toEqual(entries);
    t.rcuReadUnlock();
    t.validate();
  });

  it('without readers, churn reuses regions instead of growing the arenas', () => {
    const t = new MapleTree<number>({ rcu: true });
    for (let i = 0; i < 2000; i++) t.storeRange(i * 10, i * 10 + 5, i);
    let seed = 1;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      const a = rnd(20000);
      t.storeRange(a, a + rnd(30), i % 3 === 0 ? undefined : i);
    }
    const high = t.nodes.regions;
    for (let i = 0; i < 20000; i++) {
      const a = rnd(20000);
      t.storeRange(a, a + rnd(30), i % 3 === 0 ? undefined : i);
    }
    // Live nodes plus one write's worth of pending ones, give or take the tree's drift in size.
    expect(t.nodes.regions).toBeLessThan(high * 1.5);
    expect(t.nodes.regions).toBeLessThanOrEqual(t.allocator.live + 64);
    t.validate();
  });

  it('rcuReadUnlock without rcuReadLock is a programming error', () => {
    expect(() => new MapleTree().rcuReadUnlock()).toThrow(RangeError);
  });

  it('destroy hands every region back', () => {
    const t = new MapleTree<number>();
    for (let i = 0; i < 1000; i++) t.store(i, i);
    t.destroy();
    expect(t.allocator.live).toBe(0);
    expect(t.nodes.regions).toBe(0);
    for (let i = 0; i < 1000; i++) t.store(i, i);
    expect(t.load(999)).toBe(999);
    t.validate();
  });
});

describe('handles of reused regions', () => {
  /** Every handle the store holds describes its region: the type its metadata records, gaps only
   *  for arange_64 nodes of an allocation tree. */
  function handlesMatchRegions(t: MapleTree): void {
    const store = t.nodes;
    for (let id = 0; id < store.handles.length; id++) {
      const h = store.handles[id];
      if (h === undefined || h.dead) continue;
      expect(h.id).toBe(id);
      expect(h.type).toBe((h.pv[h.at + 15]! >> 8) & 0xf);
      expect(h.gaps !== null).toBe(t.isAlloc && h.type === MAPLE_ARANGE_64);
      expect(h.pivots.length).toBe(MT_PIVOTS[h.type]);
    }
  }

  it('outside RCU mode, a freed region keeps its handle for the next node there', () => {
    const t = new MapleTree<number>({ allocRange: true });
    for (let i = 0; i < 300; i++) t.storeRange(i * 10, i * 10 + 5, i);
    const leaf = firstLeaf(t);
    t.storeRange(1, 2, -1);
    expect(leaf.dead).toBe(true);
    // The next writes end the grace period and hand the region out again, with the same handle.
    for (let i = 0; i < 50 && t.nodes.handles[leaf.id] === leaf && leaf.dead; i++) t.storeRange(3000 + i * 7, 3000 + i * 7 + 2, i);
    expect(t.nodes.handles[leaf.id]).toBe(leaf);
    expect(leaf.dead).toBe(false);
    handlesMatchRegions(t);
    t.validate();
  });

  it('in RCU mode, a reused region gets a new handle, so a reader holding the old one sees it gone', () => {
    const t = new MapleTree<number>({ rcu: true });
    for (let i = 0; i < 300; i++) t.storeRange(i * 10, i * 10 + 5, i);
    const leaf = firstLeaf(t);
    t.storeRange(1, 2, -1);
    for (let i = 0; i < 200; i++) t.storeRange(3000 + i * 7, 3000 + i * 7 + 2, i);
    expect(t.nodes.handles[leaf.id]).not.toBe(leaf);
  });

  const op = fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 40 }), fc.option(fc.integer(), { nil: undefined }));

  it('handles stay true to their regions through churn, and a cursor walks on (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.boolean(), fc.boolean(), (ops, allocRange, rcu) => {
        const t = new MapleTree<number>({ allocRange, rcu });
        const model = new RangeModel();
        const mas = t.state(0);
        for (const [a, len, e] of ops) {
          t.storeRange(a, a + len, e);
          model.storeRange(a, a + len, e);
          // A cursor kept across writes: its node may have been freed and its handle reused.
          const found = mas.find(MAX_INDEX);
          if (found === undefined) mas.set(0);
          else expect(model.load(mas.index)).toBe(found);
        }
        t.validate();
        handlesMatchRegions(t);
        expect(contents(t)).toEqual(model.ranges.map((r) => [r.index, r.last, r.entry]));
      }),
      { numRuns: 150, seed: 0x4a7d },
    );
  });
});

describe('dup copies the arenas', () => {
  const op = fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 40 }), fc.option(fc.integer(), { nil: undefined }));

  it('the copy and the original change independently (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.array(op, { maxLength: 200 }), fc.array(op, { maxLength: 200 }), fc.boolean(), fc.boolean(),
        (before, onOriginal, onCopy, allocRange, rcu) => {
          const t = new MapleTree<number>({ allocRange, rcu });
          const model = new RangeModel();
          for (const [a, len, e] of before) {
            t.storeRange(a, a + len, e);
            model.storeRange(a, a + len, e);
          }
          const c = t.dup();
          const copyModel = new RangeModel();
          copyModel.ranges = model.ranges.map((r) => ({ ...r }));
          for (const [a, len, e] of onOriginal) {
            t.storeRange(a, a + len, e);
            model.storeRange(a, a + len, e);
          }
          for (const [a, len, e] of onCopy) {
            c.storeRange(a, a + len, e);
            copyModel.storeRange(a, a + len, e);
          }
          t.validate();
          c.validate();
          expect(contents(t)).toEqual(model.ranges.map((r) => [r.index, r.last, r.entry]));
          expect(contents(c)).toEqual(copyModel.ranges.map((r) => [r.index, r.last, r.entry]));
        }),
      { numRuns: 150, seed: 0xd0b },
    );
  });
});

describe('memory after a long RCU reader', () => {
  /** A tree whose reader held rcuReadLock across many writes, so the arenas grew far past the live nodes. */
  function afterLongReader(allocRange: boolean): { t: MapleTree<number>; model: RangeModel } {
    const t = new MapleTree<number>({ rcu: true, allocRange });
    const model = new RangeModel();
    for (let i = 0; i < 3000; i++) {
      t.storeRange(i * 10, i * 10 + 5, i);
      model.storeRange(i * 10, i * 10 + 5, i);
    }
    t.rcuReadLock();
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 20000; i++) {
      const a = rnd(30000);
      const b = a + rnd(20);
      const v = i % 4 === 0 ? undefined : i;
      t.storeRange(a, b, v);
      model.storeRange(a, b, v);
    }
    return { t, model };
  }

  for (const allocRange of [false, true]) {
    it(`dup under the reader copies live nodes only (allocRange ${allocRange})`, () => {
      const { t, model } = afterLongReader(allocRange);
      expect(t.nodes.capacity).toBeGreaterThan(4 * t.allocator.live);
      const before = t.allocator.live;
      const copy = t.dup();
      // The copy's arenas hold exactly the nodes it was given, whatever the original's high-water mark.
      expect(copy.nodes.capacity).toBe(t.allocator.live - before);
      copy.validate();
      expect(contents(copy)).toEqual(model.visible());
      t.rcuReadUnlock();
      copy.storeRange(5, 6, -1);
      expect(t.load(5)).toBe(model.load(5));
      copy.validate();
      copy.destroy();
      t.destroy();
      expect(t.allocator.live).toBe(0);
    });

    it(`the first write after the reader leaves gives the arenas back (allocRange ${allocRange})`, () => {
      const { t, model } = afterLongReader(allocRange);
      const high = t.nodes.capacity;
      // A cursor kept across the compaction walks again instead of reading moved nodes.
      const mas = t.state(0);
      expect(mas.find(100)).toBe(model.visible(0, 100)[0]![2]);
      const seen = mas.last;
      t.rcuReadUnlock();
      t.storeRange(1, 1, -2);
      model.storeRange(1, 1, -2);
      expect(t.nodes.capacity).toBeLessThan(high / 4);
      expect(t.nodes.capacity).toBeLessThanOrEqual(t.allocator.live + 64);
      t.validate();
      expect(contents(t)).toEqual(model.visible());
      const want = model.visible(0, 200).find(([a]) => a > seen);
      expect(mas.find(200)).toBe(want?.[2]);
      t.destroy();
      expect(t.allocator.live).toBe(0);
    });
  }
});
