/**
 * Writes made from inside the allocator (a failWhen predicate, a NodeAllocator subclass's allocate
 * or free, the mas_nomem callback) while another store of the same tree is allocating. The kernel
 * holds the tree lock across a GFP_NOWAIT allocation and drops it only in mas_nomem, where the store
 * is planned again; here any allocation may see such a write, and the outer store must plan again
 * (or refuse) and never corrupt the tree. Checked against the reference model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MapleError, MapleTree, NodeAllocator, type AllocationInfo, type Gfp } from '../../src/index.js';
import { RangeModel } from './reference-model.js';

/** What a write made from inside the allocator does. */
type Nested =
  | { k: 'store'; a: number; b: number; v: number }
  | { k: 'erase'; a: number }
  | { k: 'dup' };

type Outer =
  | { k: 'store'; a: number; b: number; v: number | undefined }
  | { k: 'insert'; a: number; b: number; v: number }
  | { k: 'erase'; a: number }
  | { k: 'masStore'; a: number; b: number; v: number | undefined }
  | { k: 'masErase'; a: number }
  | { k: 'prealloc'; a: number; b: number; v: number };

const SPAN = 400;
const idx = fc.integer({ min: 0, max: SPAN });
const range = fc.tuple(idx, fc.integer({ min: 0, max: 30 })).map(([a, l]) => [a, a + l] as const);
const value = fc.integer({ min: 1, max: 1_000_000 });

const nestedArb: fc.Arbitrary<Nested> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(range, value).map(([[a, b], v]) => ({ k: 'store' as const, a, b, v })) },
  { weight: 2, arbitrary: idx.map((a) => ({ k: 'erase' as const, a })) },
  { weight: 1, arbitrary: fc.constant({ k: 'dup' as const }) },
);

const outerArb: fc.Arbitrary<Outer> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(range, fc.option(value, { nil: undefined })).map(([[a, b], v]) => ({ k: 'store' as const, a, b, v })) },
  { weight: 2, arbitrary: fc.tuple(range, value).map(([[a, b], v]) => ({ k: 'insert' as const, a, b, v })) },
  { weight: 2, arbitrary: idx.map((a) => ({ k: 'erase' as const, a })) },
  { weight: 2, arbitrary: fc.tuple(range, fc.option(value, { nil: undefined })).map(([[a, b], v]) => ({ k: 'masStore' as const, a, b, v })) },
  { weight: 1, arbitrary: idx.map((a) => ({ k: 'masErase' as const, a })) },
  { weight: 1, arbitrary: fc.tuple(range, value).map(([[a, b], v]) => ({ k: 'prealloc' as const, a, b, v })) },
);

/** Where the nested write is made from. */
type Door = 'failWhen' | 'allocate' | 'free' | 'callback';

/** A NodeAllocator whose allocate and free first run a hook (that may write to the tree). */
class HookedAllocator extends NodeAllocator {
  onAllocate: (() => void) | null = null;
  onFree: (() => void) | null = null;

  override allocate(count: number, gfp: Gfp): boolean {
    this.onAllocate?.();
    return super.allocate(count, gfp);
  }

  override free(count: number): void {
    super.free(count);
    this.onFree?.();
  }
}

interface World {
  tree: MapleTree<number>;
  model: RangeModel;
  copies: MapleTree<number>[];
  /**
   * Model updates of nested writes made after the outer write changed the tree (from free(), which
   * the write path calls once it is done): applied, and their results checked, after the outer
   * write's own update. Null when nested writes come before the outer write's change.
   */
  later: (() => void)[] | null;
}

function expectSame(tree: MapleTree<number>, model: RangeModel): void {
  tree.validate();
  expect([...tree.entries()]).toEqual(model.visible());
}

function nestedWrite(w: World, op: Nested): void {
  let check: () => void;
  switch (op.k) {
    case 'store':
      w.tree.storeRange(op.a, op.b, op.v);
      check = () => w.model.storeRange(op.a, op.b, op.v);
      break;
    case 'erase': {
      const got = w.tree.erase(op.a);
      check = () => expect(got).toBe(w.model.erase(op.a));
      break;
    }
    case 'dup': {
      // mtree_dup of a tree whose own store is allocating: the copy is of the tree as it stands.
      const copy = w.tree.dup();
      w.copies.push(copy);
      check = () => expectSame(copy, w.model);
      break;
    }
  }
  if (w.later === null) check();
  else w.later.push(check);
}

function outerWrite(w: World, op: Outer): void {
  const { tree, model } = w;
  switch (op.k) {
    case 'store':
      tree.storeRange(op.a, op.b, op.v);
      model.storeRange(op.a, op.b, op.v);
      return;
    case 'insert':
      // The vacancy is decided after whatever the allocator wrote; the tree must agree either way.
      try {
        tree.insertRange(op.a, op.b, op.v);
      } catch (e) {
        if (!(e instanceof MapleError) || e.code !== 'EEXIST') throw e;
        expect(model.isFree(op.a, op.b)).toBe(false);
        return;
      }
      expect(model.isFree(op.a, op.b)).toBe(true);
      model.storeRange(op.a, op.b, op.v);
      return;
    case 'erase': {
      const got = tree.erase(op.a);
      expect(got).toBe(model.erase(op.a));
      return;
    }
    case 'masStore': {
      const mas = tree.state(op.a, op.b);
      mas.storeGfp(op.v, 'kernel');
      model.storeRange(op.a, op.b, op.v);
      return;
    }
    case 'masErase': {
      const mas = tree.state(op.a);
      expect(mas.erase()).toBe(model.erase(op.a));
      return;
    }
    case 'prealloc': {
      const mas = tree.state(op.a, op.b);
      mas.preallocate(op.v, 'kernel');
      mas.storePrealloc(op.v);
      model.storeRange(op.a, op.b, op.v);
      expect(mas.allocated).toBe(0);
      return;
    }
  }
}

function run(door: Door, options: { allocRange?: boolean; rcu?: boolean }, seedOps: Outer[], nested: Nested[], every: number): void {
  const alloc = new HookedAllocator();
  const tree = new MapleTree<number>({ ...options, allocator: alloc });
  const w: World = { tree, model: new RangeModel(), copies: [], later: door === 'free' ? [] : null };
  for (let i = 0; i < 60; i++) {
    tree.storeRange(i * 7, i * 7 + 3, i + 1);
    w.model.storeRange(i * 7, i * 7 + 3, i + 1);
  }
  let inside = false;
  let calls = 0;
  let next = 0;
  const hook = (): void => {
    // One nested write every `every` allocator calls, never from inside a nested write.
    if (inside || ++calls % every !== 0 || nested.length === 0) return;
    inside = true;
    try {
      nestedWrite(w, nested[next++ % nested.length]!);
    } finally {
      inside = false;
    }
  };
  switch (door) {
    case 'failWhen':
      alloc.failWhen((_info: AllocationInfo) => {
        hook();
        return false;
      });
      break;
    case 'allocate':
      alloc.onAllocate = hook;
      break;
    case 'free':
      alloc.onFree = hook;
      break;
    case 'callback':
      // mt_set_callback runs at the next allocation after a failed one: fail every third.
      alloc.failWhen((info) => info.nth % 3 === 0);
      alloc.setCallback(hook);
      break;
  }
  for (const op of seedOps) {
    try {
      outerWrite(w, op);
      if (w.later !== null) for (const check of w.later.splice(0)) check();
    } catch (e) {
      // Only the injected failures of the 'callback' door may refuse a write, and then with ENOMEM.
      if (door !== 'callback') throw e;
      expect(e).toMatchObject({ code: 'ENOMEM' });
      tree.validate();
      // The model cannot know whether the outer store happened; resynchronise from the tree's
      // contents (the nested writes are already in the model), after checking the tree is sound.
      w.model = new RangeModel();
      for (const [a, b, v] of tree.entries()) w.model.storeRange(a, b, v);
    }
    expectSame(tree, w.model);
  }
  alloc.failWhen(null);
  alloc.setCallback(null);
  alloc.onAllocate = null;
  alloc.onFree = null;
  for (const c of w.copies) c.destroy();
  tree.destroy();
  expect(alloc.live).toBe(0);
}

describe('writes from inside the allocator', () => {
  const doors: Door[] = ['failWhen', 'allocate', 'free', 'callback'];
  const configs = [
    { name: 'plain', options: {} },
    { name: 'allocation tree', options: { allocRange: true } },
    { name: 'RCU allocation tree', options: { allocRange: true, rcu: true } },
  ];
  for (const door of doors) {
    for (const c of configs) {
      it(`${door}, ${c.name}: the outer write plans again and the tree matches the model`, () => {
        fc.assert(
          fc.property(
            fc.array(outerArb, { minLength: 1, maxLength: 60 }),
            fc.array(nestedArb, { minLength: 1, maxLength: 10 }),
            fc.integer({ min: 1, max: 4 }),
            (outer, nested, every) => run(door, c.options, outer, nested, every),
          ),
          { numRuns: 40 },
        );
      });
    }
  }

  it('regression: a store planned before its allocation is not lost when the predicate writes', () => {
    // The probe's failure: the outer store was planned, the predicate stored elsewhere (splitting
    // the leaf the plan pointed at), and the outer store then wrote into a freed node.
    const alloc = new NodeAllocator();
    const tree = new MapleTree<number>({ allocator: alloc });
    for (let i = 0; i < 15; i++) tree.storeRange(i * 10, i * 10 + 5, i + 1);
    let once = true;
    alloc.failWhen(() => {
      if (once) {
        once = false;
        for (let i = 0; i < 40; i++) tree.store(1000 + i * 2, 500 + i);
      }
      return false;
    });
    tree.storeRange(3, 77, 99);
    alloc.failWhen(null);
    tree.validate();
    expect(tree.load(3)).toBe(99);
    expect(tree.load(77)).toBe(99);
    expect(tree.load(1000)).toBe(500);
    expect(tree.load(1078)).toBe(539);
    tree.destroy();
    expect(alloc.live).toBe(0);
  });

  it('regression: an insert whose range the allocator filled fails with EEXIST and changes nothing more', () => {
    const alloc = new HookedAllocator();
    const tree = new MapleTree<number>({ allocator: alloc, rcu: true });
    for (let i = 0; i < 15; i++) tree.storeRange(i * 10, i * 10 + 5, i + 1);
    alloc.onAllocate = () => {
      alloc.onAllocate = null;
      tree.store(7, 70);
    };
    expect(() => tree.insertRange(6, 8, 5)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    tree.validate();
    expect([tree.load(6), tree.load(7), tree.load(8)]).toEqual([undefined, 70, undefined]);
    tree.destroy();
    expect(alloc.live).toBe(0);
  });

  it('regression: allocRange searches again when the allocator filled the area it found', () => {
    // mtree_alloc_range goes back to mas_empty_area after mas_nomem (the kernel's goto retry): the
    // area found first is taken meanwhile, so the entry goes to the next one, not EEXIST.
    const alloc = new HookedAllocator();
    const tree = new MapleTree<number>({ allocator: alloc, allocRange: true, rcu: true });
    for (let i = 0; i < 200; i++) tree.storeRange(i * 10, i * 10 + 5, i + 1);
    alloc.onAllocate = () => {
      alloc.onAllocate = null;
      tree.storeRange(6, 9, 500);
    };
    expect(tree.allocRange(2, 99, 0)).toBe(16);
    tree.validate();
    expect([tree.load(6), tree.load(9), tree.load(16), tree.load(17), tree.load(18)]).toEqual([500, 500, 99, 99, undefined]);
    tree.destroy();
    expect(alloc.live).toBe(0);
  });

  it('regression: an erase whose entry the allocator erased first returns undefined', () => {
    const alloc = new HookedAllocator();
    const tree = new MapleTree<number>({ allocator: alloc, rcu: true });
    for (let i = 0; i < 15; i++) tree.storeRange(i * 10, i * 10 + 5, i + 1);
    alloc.onAllocate = () => {
      alloc.onAllocate = null;
      tree.storeRange(40, 45, undefined);
    };
    expect(tree.erase(42)).toBeUndefined();
    tree.validate();
    expect(tree.load(42)).toBeUndefined();
    expect(tree.load(30)).toBe(4);
    tree.destroy();
    expect(alloc.live).toBe(0);
  });

  it("regression: dup() from inside a subclass's free() copies a sound tree and the books balance", () => {
    // The probe's failure: free() ran while an RCU store was half done, the copy took the
    // half-written arenas, and allocator.live came out short, so a later destroy() threw.
    const alloc = new HookedAllocator();
    const tree = new MapleTree<number>({ allocator: alloc, allocRange: true, rcu: true });
    for (let i = 0; i < 200; i++) tree.storeRange(i * 10, i * 10 + 5, i + 1);
    const copies: MapleTree<number>[] = [];
    alloc.onFree = () => {
      if (copies.length < 20) copies.push(tree.dup());
    };
    // Each copy is taken after one of these writes finished: it must equal the tree at that point.
    const after: string[] = [];
    tree.storeRange(3, 1500, 7);
    after.push(JSON.stringify([...tree.entries()]));
    tree.storeRange(20, 20, 8);
    after.push(JSON.stringify([...tree.entries()]));
    tree.erase(1600);
    after.push(JSON.stringify([...tree.entries()]));
    alloc.onFree = null;
    expect(copies.length).toBeGreaterThanOrEqual(3);
    let at = 0;
    for (const c of copies) {
      c.validate();
      const seen = JSON.stringify([...c.entries()]);
      while (at < after.length && after[at] !== seen) at++;
      expect(at).toBeLessThan(after.length);
    }
    tree.destroy();
    for (const c of copies) c.destroy();
    expect(alloc.live).toBe(0);
  });

  it('regression: dup() from inside a store\'s allocation copies the tree as it stood', () => {
    const alloc = new HookedAllocator();
    const tree = new MapleTree<number>({ allocator: alloc, allocRange: true });
    for (let i = 0; i < 200; i++) tree.storeRange(i * 10, i * 10 + 5, i + 1);
    let copy: MapleTree<number> | null = null;
    alloc.onAllocate = () => {
      alloc.onAllocate = null;
      copy = tree.dup();
    };
    tree.storeRange(3, 1500, 7);
    const c = copy as unknown as MapleTree<number>;
    c.validate();
    expect([c.load(3), c.load(1500), tree.load(1500)]).toEqual([1, 151, 7]);
    tree.destroy();
    c.destroy();
    expect(alloc.live).toBe(0);
  });

  it('regression: a write from inside a subclass\'s free() sees a finished store', () => {
    const alloc = new HookedAllocator();
    const tree = new MapleTree<number>({ allocator: alloc });
    for (let i = 0; i < 200; i++) tree.storeRange(i * 10, i * 10 + 5, i + 1);
    const seen: number[] = [];
    alloc.onFree = () => {
      alloc.onFree = null;
      tree.validate();
      seen.push(tree.load(900)!);
      tree.store(5000, 1);
    };
    tree.storeRange(3, 1500, 7);
    expect(seen).toEqual([7]);
    tree.validate();
    expect(tree.load(5000)).toBe(1);
    tree.destroy();
    expect(alloc.live).toBe(0);
  });
});
