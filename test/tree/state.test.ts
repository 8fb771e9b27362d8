import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MapleError, MapleTree, MaState, NodeAllocator, ZERO_ENTRY } from '../../src/index.js';
import { RangeModel } from './reference-model.js';

function seq(n: number, alloc?: NodeAllocator): MapleTree {
  const t = new MapleTree({ allocRange: true, ...(alloc ? { allocator: alloc } : {}) });
  for (let i = 0; i < n; i++) t.storeRange(i * 10, i * 10 + 5, i);
  return t;
}

describe('MaState writes', () => {
  it('store returns the old entry at index and leaves the cursor on the stored range', () => {
    const t = seq(100);
    t.allocator.setNonKernel(1000);
    const mas = t.state(20, 25);
    expect(mas).toBeInstanceOf(MaState);
    expect(mas.store('x')).toBe(2);
    // As in the kernel, the state is left active on the leaf that holds the range just written.
    expect([mas.index, mas.last, mas.status]).toEqual([20, 25, 'active']);
    expect(t.load(22)).toBe('x');
    // A NULL store grows to the merged NULL range.
    mas.setRange(20, 25);
    mas.store(undefined);
    expect([mas.index, mas.last]).toEqual([16, 29]);
    t.validate();
  });

  it("store allocates 'nowait': without a non-kernel budget it fails into the error status", () => {
    const t = seq(100);
    const before = t.dump();
    // A spanning store needs new nodes (an in-place slot store would need none).
    const mas = t.state(501, 902);
    expect(mas.store('y')).toBeUndefined();
    expect(mas.status).toBe('error');
    expect(mas.error).toBe('ENOMEM');
    expect(t.dump()).toBe(before);
    mas.storeGfp('y', 'kernel');
    expect(t.load(501)).toBe('y');
    t.validate();
  });

  it('storeGfp retries once (mas_nomem) and throws ENOMEM when that fails too', () => {
    const alloc = new NodeAllocator();
    const t = seq(300, alloc);
    alloc.failNth(1);
    t.state(1001, 1002).storeGfp('a', 'kernel');
    expect(t.load(1001)).toBe('a');
    const before = t.dump();
    const live = alloc.live;
    alloc.failWhen(() => true);
    const mas = t.state(0, 2000);
    expect(() => mas.storeGfp('b', 'kernel')).toThrow(MapleError);
    expect(mas.status).toBe('error');
    expect(t.dump()).toBe(before);
    expect(alloc.live).toBe(live);
  });

  it('preallocate holds nodes that storePrealloc uses and destroy returns', () => {
    const alloc = new NodeAllocator();
    const t = seq(300, alloc);
    const live = alloc.live;
    const mas = t.state(100, 2500);
    mas.preallocate('span', 'kernel');
    expect(mas.allocated).toBeGreaterThan(0);
    alloc.failWhen(() => true); // the store itself must not allocate
    mas.storePrealloc('span');
    alloc.failWhen(null);
    expect(mas.allocated).toBe(0);
    expect(t.load(2000)).toBe('span');
    t.validate();
    const m2 = t.state(5, 6);
    m2.preallocate('z', 'kernel');
    m2.destroy();
    expect(m2.allocated).toBe(0);
    t.destroy();
    expect(alloc.live).toBe(0);
    expect(live).toBeGreaterThan(0);
  });

  it('a failed preallocation leaves nothing held and the state in error', () => {
    const alloc = new NodeAllocator();
    const t = seq(50, alloc);
    alloc.failWhen(() => true);
    const mas = t.state(3, 4);
    expect(() => mas.preallocate('x', 'kernel')).toThrow(expect.objectContaining({ code: 'ENOMEM' }));
    expect(mas.allocated).toBe(0);
    expect(mas.status).toBe('error');
  });

  it('erase removes the whole range and returns it, ZERO_ENTRY included', () => {
    const t = seq(20);
    const mas = t.state(33);
    expect(mas.erase()).toBe(3);
    expect(t.load(30)).toBeUndefined();
    expect(t.state(33).erase()).toBeUndefined();
    t.storeRange(40, 41, ZERO_ENTRY);
    expect(t.state(41).erase()).toBe(ZERO_ENTRY);
    t.validate();
  });

  it('navigation and gap search are reachable from the cursor', () => {
    const t = seq(20);
    const mas = t.state(0);
    expect(mas.find(1000)).toBe(0);
    expect(mas.next(1000)).toBe(1);
    expect([mas.index, mas.last]).toEqual([10, 15]);
    mas.reset();
    mas.emptyAreaRev(0, 195, 4);
    expect([mas.index, mas.last]).toEqual([186, 189]);
    mas.reset();
    expect(() => mas.emptyArea(0, 100, 5)).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    mas.reset();
    expect(() => mas.emptyArea(10, 5, 1)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });
});

describe('MaState.store returns what its own walk found', () => {
  it('the entry that was at index, for every store type (property, against the model)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 400 }), fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined })), { minLength: 1, maxLength: 200 }),
        fc.constantFrom({}, { allocRange: true }, { rcu: true }),
        (ops, options) => {
          const t = new MapleTree<number>(options);
          t.allocator.setNonKernel(1e9);
          const model = new RangeModel();
          for (const [a, l, v] of ops) {
            const want = model.rangeAt(a).entry;
            const mas = t.state(a, a + l);
            expect(mas.store(v)).toBe(want);
            model.storeRange(a, a + l, v);
          }
          t.validate();
          expect([...t.entries()]).toEqual(model.visible());
        },
      ),
      { numRuns: 150 },
    );
  });
});
