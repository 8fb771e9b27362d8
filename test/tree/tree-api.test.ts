import { describe, expect, it } from 'vitest';
import { MapleError, MapleTree, MAX_INDEX, NodeAllocator, ZERO_ENTRY } from '../../src/index.js';
import fc from 'fast-check';
import { dupTree, RETRY_ENTRY } from '../../src/internals.js';

describe('root cases', () => {
  it('an empty tree has height 0 and loads nothing', () => {
    const t = new MapleTree();
    expect(t.isEmpty).toBe(true);
    expect(t.height).toBe(0);
    expect(t.load(0)).toBeUndefined();
    expect(t.load(MAX_INDEX)).toBeUndefined();
    expect([...t]).toEqual([]);
    t.validate();
  });

  it('a lone [0,0] entry lives in the root pointer without nodes', () => {
    const t = new MapleTree();
    t.store(0, 'a');
    expect(t.height).toBe(0);
    expect(t.root).toBeNull();
    expect(t.allocator.live).toBe(0);
    expect(t.load(0)).toBe('a');
    expect(t.load(1)).toBeUndefined();
    expect([...t]).toEqual([[0, 0, 'a']]);
  });

  it('a NULL store keeps the root entry unless it covers index 0', () => {
    const t = new MapleTree();
    t.store(0, 'a');
    t.storeRange(2, 5, undefined);
    expect(t.load(0)).toBe('a');
    t.storeRange(0, 5, undefined);
    expect(t.isEmpty).toBe(true);
  });

  it('any other store expands the root into one leaf, keeping the root entry', () => {
    const t = new MapleTree();
    t.store(0, 'a');
    t.storeRange(10, 20, 'b');
    expect(t.height).toBe(1);
    expect(t.allocator.live).toBe(1);
    expect([...t]).toEqual([[0, 0, 'a'], [10, 20, 'b']]);
    t.validate();
  });

  it('ZERO_ENTRY at [0,0] needs a leaf (internal entries never sit in the root pointer)', () => {
    const t = new MapleTree();
    t.store(0, ZERO_ENTRY);
    expect(t.height).toBe(1);
    expect(t.load(0)).toBeUndefined();
  });

  it('a store over everything makes a one-slot leaf; NULL over everything empties the tree', () => {
    const t = new MapleTree();
    for (let i = 0; i < 100; i++) t.store(i * 3, i);
    t.storeRange(0, MAX_INDEX, 'all');
    expect(t.height).toBe(1);
    expect(t.allocator.live).toBe(1);
    expect([...t]).toEqual([[0, MAX_INDEX, 'all']]);
    // Over that one slot, NULL is an exact fit: the kernel writes it in place and keeps the leaf.
    t.storeRange(0, MAX_INDEX, undefined);
    expect(t.height).toBe(1);
    expect(t.allocator.live).toBe(1);
    expect([...t]).toEqual([]);
    // With more than one range in the leaf, NULL over everything is mas_new_root: an empty tree.
    t.storeRange(1, 3, 'x');
    t.storeRange(0, MAX_INDEX, undefined);
    expect(t.isEmpty).toBe(true);
    expect(t.allocator.live).toBe(0);
  });
});

describe('growth and shrinkage', () => {
  it('grows to height 4 and collapses back to empty', () => {
    const t = new MapleTree();
    let i = 0;
    while (t.height < 4) {
      t.storeRange(i * 4, i * 4 + 2, i);
      i++;
    }
    t.validate();
    expect(t.load(4 * 7 + 1)).toBe(7);
    const heights = new Set<number>();
    for (let j = 0; j < i; j++) {
      expect(t.erase(j * 4)).toBe(j);
      t.validate();
      heights.add(t.height);
    }
    expect([...heights].sort()).toEqual([0, 1, 2, 3, 4].filter((h) => heights.has(h)));
    expect(heights.has(1)).toBe(true);
    expect(t.isEmpty).toBe(true);
    expect(t.allocator.live).toBe(0);
  });

  it('NULL ranges merge with their neighbours', () => {
    const t = new MapleTree();
    t.storeRange(10, 19, 'a');
    t.storeRange(20, 29, 'b');
    t.storeRange(30, 39, 'c');
    t.storeRange(50, 59, 'd');
    t.erase(20);
    t.erase(10);
    t.erase(30);
    // [0, 49] is one NULL slot, then 'd', then the trailing NULL.
    expect(t.root!.end).toBe(2);
    expect(t.root!.pivots[0]).toBe(49);
    t.validate();
    // When NULL expansion reaches [0, MAX_INDEX] the tree empties (mas_new_root).
    t.erase(50);
    expect(t.isEmpty).toBe(true);
    expect(t.allocator.live).toBe(0);
  });
});

describe('normal API', () => {
  it('store splits and overwrites ranges', () => {
    const t = new MapleTree<string>();
    t.storeRange(0, 100, 'x');
    t.storeRange(40, 60, 'y');
    expect([...t]).toEqual([[0, 39, 'x'], [40, 60, 'y'], [61, 100, 'x']]);
    t.store(50, undefined);
    expect([...t]).toEqual([[0, 39, 'x'], [40, 49, 'y'], [51, 60, 'y'], [61, 100, 'x']]);
  });

  it('insert refuses occupied ranges, ZERO_ENTRY included', () => {
    const t = new MapleTree();
    t.insert(64, ZERO_ENTRY);
    expect(t.load(64)).toBeUndefined();
    expect(() => t.insert(64, 'x')).toThrow(expect.objectContaining({ code: 'EEXIST', errno: -17 }));
    expect(() => t.insertRange(60, 70, 'x')).toThrow(MapleError);
    t.insertRange(60, 63, 'x');
    expect(t.load(60)).toBe('x');
  });

  it('erase removes the whole range and returns it; ZERO_ENTRY is returned raw', () => {
    const t = new MapleTree();
    t.storeRange(5, 9, 'v');
    expect(t.erase(7)).toBe('v');
    expect(t.load(5)).toBeUndefined();
    expect(t.erase(7)).toBeUndefined();
    t.storeRange(5, 9, ZERO_ENTRY);
    expect(t.erase(5)).toBe(ZERO_ENTRY);
  });

  it('find, findAfter, next and prev', () => {
    const t = new MapleTree();
    for (const i of [10, 20, 30]) t.storeRange(i, i + 4, i);
    t.storeRange(25, 26, ZERO_ENTRY);
    expect(t.find(0)).toEqual({ index: 10, last: 14, entry: 10 });
    expect(t.find(12)).toEqual({ index: 10, last: 14, entry: 10 });
    expect(t.find(21, 29)).toEqual({ index: 20, last: 24, entry: 20 });
    expect(t.find(25, 29)).toBeUndefined();
    expect(t.findAfter(0)).toBeUndefined();
    expect(t.next(10)).toEqual({ index: 20, last: 24, entry: 20 });
    expect(t.next(20, 19)).toBeUndefined();
    expect(t.prev(30)).toEqual({ index: 25, last: 26, entry: ZERO_ENTRY });
    expect(t.prev(20)).toEqual({ index: 10, last: 14, entry: 10 });
    expect(t.prev(10)).toBeUndefined();
    expect([...t.entries(0, 25)]).toEqual([[10, 14, 10], [20, 24, 20]]);
    expect(t.size).toBe(3);
  });

  it('iteration sees changes ahead of it and never repeats a range', () => {
    const t = new MapleTree();
    for (let i = 0; i < 200; i++) t.storeRange(i * 10, i * 10 + 5, i);
    const seen: number[] = [];
    for (const [first, , v] of t) {
      seen.push(v as number);
      if (first === 500) {
        t.erase(600);
        t.storeRange(700, 705, 'new');
      }
      if (first < 1000) t.storeRange(first, first + 5, 'rewritten');
    }
    expect(seen.length).toBe(199);
    expect(seen).not.toContain(60);
    expect(seen).toContain('new');
  });

  it('allocRange and allocRRange find the lowest and highest fit', () => {
    const t = new MapleTree({ allocRange: true });
    t.storeRange(0, 99, 'a');
    t.storeRange(200, 299, 'b');
    expect(t.allocRange(50, 'x', 0, 1000)).toBe(100);
    expect(t.allocRange(60, 'y', 0, 1000)).toBe(300);
    expect(t.allocRRange(10, 'z', 0, 1000)).toBe(991);
    expect(() => t.allocRange(1002, 'w', 0, 1000)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(() => t.allocRange(700, 'w', 0, 1000)).toThrow(expect.objectContaining({ code: 'EBUSY', errno: -16 }));
    expect(() => new MapleTree().allocRange(1, 'w')).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(() => t.allocRange(1, ZERO_ENTRY)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(new MapleTree({ allocRange: true }).allocRRange(4, 'e')).toBe(MAX_INDEX - 3);
    t.validate();
  });
});

describe('errors name their argument and change nothing', () => {
  it('rejects bad indices', () => {
    const t = new MapleTree();
    expect(() => t.load(-1)).toThrow(/index/);
    expect(() => t.load(1.5)).toThrow(RangeError);
    expect(() => t.load(Number.NaN)).toThrow(RangeError);
    expect(() => t.load(MAX_INDEX + 1)).toThrow(RangeError);
    expect(() => t.load('3' as unknown as number)).toThrow(TypeError);
    expect(() => t.storeRange(5, 4, 'x')).toThrow(expect.objectContaining({ code: 'EINVAL', errno: -22 }));
    expect(() => t.storeRange(0, -1, 'x')).toThrow(/last/);
    expect(() => t.allocRange(0, 'x')).toThrow(/size/);
  });

  it('refuses advanced entries with EINVAL', () => {
    const t = new MapleTree();
    expect(() => t.store(1, RETRY_ENTRY)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(t.isEmpty).toBe(true);
  });
});

describe('allocation failures', () => {
  it('a failed allocation leaves the tree exactly as it was (fail-nth sweep)', () => {
    const build = (alloc: NodeAllocator): MapleTree => {
      const t = new MapleTree({ allocRange: true, allocator: alloc });
      for (let i = 0; i < 300; i++) t.storeRange(i * 10, i * 10 + 4, i);
      return t;
    };
    const writes: [string, (t: MapleTree) => void][] = [
      ['split store', (t) => t.storeRange(1505, 1506, 'x')],
      ['spanning store', (t) => t.storeRange(700, 2300, 'y')],
      ['spanning NULL store', (t) => t.storeRange(705, 2305, undefined)],
      ['erase', (t) => t.erase(1500)],
      ['alloc range', (t) => t.allocRange(3, 'z', 1000, 2000)],
      ['dup', (t) => t.dup()],
    ];
    for (const [name, write] of writes) {
      for (let n = 1; ; n++) {
        const alloc = new NodeAllocator();
        const t = build(alloc);
        const before = t.dump();
        const live = alloc.live;
        // Fail the n-th allocation persistently so the mas_nomem retry fails too.
        const from = alloc.events;
        alloc.failWhen((info) => info.nth === from + n || info.nth === from + n + 1);
        let failed = false;
        try {
          write(t);
        } catch (e) {
          expect(e, name).toBeInstanceOf(MapleError);
          expect((e as MapleError).code).toBe('ENOMEM');
          failed = true;
        }
        if (!failed) {
          t.validate();
          break;
        }
        expect(t.dump(), `${name}, n=${n}`).toBe(before);
        expect(alloc.live, `${name}, n=${n}`).toBe(live);
        t.validate();
      }
    }
  });

  it('non-blocking allocations need the non-kernel budget; the callback runs after a failure', () => {
    const a = new NodeAllocator();
    expect(a.allocate(1, 'nowait')).toBe(false);
    let called = 0;
    a.setCallback(() => called++);
    expect(a.allocate(2, 'atomic')).toBe(false);
    a.setNonKernel(2);
    expect(a.allocate(2, 'nowait')).toBe(true);
    expect(called).toBe(1);
    expect(a.live).toBe(2);
    a.failNth(2);
    expect(a.allocate(1, 'kernel')).toBe(true);
    expect(a.allocate(1, 'kernel')).toBe(false);
    expect(a.allocate(1, 'kernel')).toBe(true);
    a.free(4);
    expect(a.live).toBe(0);
    expect(() => a.free(1)).toThrow(RangeError);
  });
});

describe('dup', () => {
  it('copies node by node with the same shape', () => {
    const t = new MapleTree({ allocRange: true });
    for (let i = 0; i < 2000; i++) t.storeRange(i * 7, i * 7 + 3, i);
    const c = t.dup();
    c.validate();
    expect(c.dump()).toBe(t.dump());
    expect(c.height).toBe(t.height);
    c.store(7, 'changed');
    expect(t.load(7)).toBe(1);
    expect(() => new MapleTree().dup.call(t)).not.toThrow();
  });

  // kernel-copy.ts points a copied tree's slots at copied VMAs this way instead of a store per range.
  it('with a map, gives the tree that storing each mapped entry over its own range would', () => {
    // Ranges laid out one after another (trees of one leaf up to three levels), some erased again.
    const ranges = fc.array(fc.tuple(fc.nat(30), fc.nat(20), fc.boolean()), { minLength: 1, maxLength: 400, size: 'max' });
    fc.assert(fc.property(ranges, fc.boolean(), (ops, allocRange) => {
      const t = new MapleTree<unknown>({ allocRange });
      let at = 0;
      ops.forEach(([gap, len], i) => {
        t.storeRange(at + gap, at + gap + len, i % 7 === 0 ? ZERO_ENTRY : i);
        at += gap + len + 1;
      });
      at = 0;
      for (const [gap, len, erase] of ops) {
        if (erase) t.storeRange(at + gap, at + gap + len, undefined);
        at += gap + len + 1;
      }
      const map = (e: unknown): unknown => (typeof e === 'number' ? `m${e}` : e);
      const before = t.dump();
      const mapped = new MapleTree<unknown>({ allocRange });
      dupTree(t as MapleTree, mapped as MapleTree, 'kernel', map);
      const stored = t.dup();
      for (const [first, last, e] of [...t]) stored.storeRange(first, last, map(e));
      mapped.validate();
      expect(mapped.dump()).toBe(stored.dump());
      expect([...mapped]).toEqual([...t].map(([first, last, e]) => [first, last, map(e)]));
      expect(t.dump()).toBe(before);
    }), { numRuns: 60 });
  });

  it('with a map, maps every leaf of a three-level tree', () => {
    for (const allocRange of [false, true]) {
      const t = new MapleTree<unknown>({ allocRange });
      for (let i = 0; i < 300; i++) t.storeRange(i * 10, i * 10 + 5, i);
      expect(t.height).toBe(3);
      const mapped = new MapleTree<unknown>({ allocRange });
      dupTree(t as MapleTree, mapped as MapleTree, 'kernel', (e) => `m${String(e)}`);
      mapped.validate();
      expect([...mapped]).toEqual([...t].map(([first, last, e]) => [first, last, `m${String(e)}`]));
    }
  });

  it('with a map, maps a lone root entry too', () => {
    const t = new MapleTree<unknown>();
    t.store(0, 1);
    const mapped = new MapleTree<unknown>();
    dupTree(t as MapleTree, mapped as MapleTree, 'kernel', (e) => `m${String(e)}`);
    expect(mapped.load(0)).toBe('m1');
    expect(t.load(0)).toBe(1);
    expect(() => dupTree(t as MapleTree, new MapleTree() as MapleTree, 'kernel', 3 as unknown as () => unknown)).toThrow(TypeError);
  });
});

describe('RCU mode', () => {
  it('replaces nodes instead of changing them, marking the old ones dead', () => {
    const t = new MapleTree({ rcu: true });
    for (let i = 0; i < 100; i++) t.storeRange(i * 10, i * 10 + 5, i);
    let leaf = t.root!;
    while (!leaf.isLeaf) leaf = leaf.child(0);
    t.store(3, 'x');
    expect(leaf.dead).toBe(true);
    expect(t.load(3)).toBe('x');
    t.validate();
  });
});
