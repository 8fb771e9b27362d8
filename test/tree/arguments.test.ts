/**
 * Bad arguments to the advanced API, the constructor, the allocator and the tree's other methods
 * get the same clear errors as the normal API (TypeError / RangeError naming the argument, or the
 * kernel's MapleError), before anything changes.
 */
import { describe, expect, it } from 'vitest';
import { MapleError, MapleTree, MAX_INDEX, NodeAllocator } from '../../src/index.js';

function filled(options: ConstructorParameters<typeof MapleTree>[0] = {}): MapleTree<number> {
  const t = new MapleTree<number>(options);
  for (let i = 0; i < 100; i++) t.storeRange(i * 10, i * 10 + 5, i + 1);
  return t;
}

/** Calls `fn` and checks it throws `type` with a message naming `name`, leaving the tree as it was. */
function refuses(t: MapleTree, fn: () => unknown, type: new (...a: never[]) => Error, name: string): void {
  const before = t.dump();
  const live = t.allocator.live;
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(type);
  expect((thrown as Error).message).toContain(name);
  expect(t.dump()).toBe(before);
  expect(t.allocator.live).toBe(live);
}

const notIndices: [unknown, new (...a: never[]) => Error][] = [
  [Number.NaN, RangeError], [-1, RangeError], [1.5, RangeError], [MAX_INDEX + 1, RangeError], [Infinity, RangeError],
  ['5', TypeError], [null, TypeError], [undefined, TypeError], [5n, TypeError], [{}, TypeError],
];

describe('MaState methods check their arguments', () => {
  const forward = ['find', 'findRange', 'next', 'nextRange'] as const;
  const backward = ['findRev', 'findRangeRev', 'prev', 'prevRange'] as const;
  for (const call of forward) {
    it(`${call}(max) refuses a max that is not an index (the probe: find(NaN) returned an entry)`, () => {
      const t = filled();
      for (const [bad, type] of notIndices) refuses(t, () => t.state(0)[call](bad as number), type, 'max');
    });
  }
  for (const call of backward) {
    it(`${call}(min) refuses a min that is not an index`, () => {
      const t = filled();
      for (const [bad, type] of notIndices) refuses(t, () => t.state(500)[call](bad as number), type, 'min');
    });
  }

  it('a cursor whose public index or last was set to a non-index is refused at its next call', () => {
    const t = filled();
    for (const field of ['index', 'last'] as const) {
      for (const call of ['walk', 'find', 'store', 'erase', 'storeGfp'] as const) {
        const mas = t.state(10);
        (mas as unknown as Record<string, unknown>)[field] = Number.NaN;
        const run = (): unknown => call === 'find' ? mas.find(100) : call === 'store' ? mas.store(1) : call === 'storeGfp' ? mas.storeGfp(1, 'kernel') : mas[call]();
        refuses(t, run, RangeError, `mas.${field}`);
      }
    }
  });

  it('set and setRange refuse non-indices', () => {
    const t = filled();
    const mas = t.state(0);
    for (const [bad, type] of notIndices) {
      refuses(t, () => mas.set(bad as number), type, 'index');
      refuses(t, () => mas.setRange(bad as number, 5), type, 'first');
      refuses(t, () => mas.setRange(5, bad as number), type, 'last');
    }
  });

  it('emptyArea / emptyAreaRev refuse a size that is not a positive integer (the probe: "5" and -1 gave areas)', () => {
    const t = filled({ allocRange: true });
    for (const call of ['emptyArea', 'emptyAreaRev'] as const) {
      refuses(t, () => t.state(0)[call](0, 1e6, '5' as unknown as number), TypeError, 'size');
      refuses(t, () => t.state(0)[call](0, 1e6, -1), RangeError, 'size');
      refuses(t, () => t.state(0)[call](0, 1e6, 2.5), RangeError, 'size');
      refuses(t, () => t.state(0)[call](0, 1e6, 0), MapleError, 'size');
      refuses(t, () => t.state(0)[call](Number.NaN, 1e6, 5), RangeError, 'min');
      refuses(t, () => t.state(0)[call](0, '9' as unknown as number, 5), TypeError, 'max');
      // A well-formed search still works after the refusals.
      const mas = t.state(0);
      mas[call](0, 1e6, 3);
      expect(mas.last - mas.index).toBe(2);
    }
  });

  it('allocCyclic refuses a missing cursor, bad bounds and a non-allocation tree (the probe: null gave a deep TypeError)', () => {
    const t = filled({ allocRange: true });
    refuses(t, () => t.state(0).allocCyclic(1, 0, 10, null as never), TypeError, 'cursor');
    refuses(t, () => t.state(0).allocCyclic(1, 0, 10, {} as never), TypeError, 'cursor.next');
    refuses(t, () => t.state(0).allocCyclic(1, -1, 10, { next: 0 }), RangeError, 'min');
    refuses(t, () => t.allocCyclic(1, 0, 10, null as never), TypeError, 'cursor');
    const plain = filled();
    refuses(plain, () => plain.state(0).allocCyclic(1, 0, 2000, { next: 0 }), MapleError, 'allocRange');
    expect(t.state(0).allocCyclic(7, 0, 2000, { next: 0 }).index).toBe(6);
  });

  it('storeGfp and preallocate refuse unknown gfp values', () => {
    const t = filled();
    for (const bad of ['GFP_KERNEL', 'bogus', 1, null, undefined]) {
      const type = typeof bad === 'string' ? RangeError : TypeError;
      refuses(t, () => t.state(3, 400).storeGfp(1, bad as never), type, 'gfp');
      refuses(t, () => t.state(3, 400).preallocate(1, bad as never), type, 'gfp');
    }
  });

  it('new MaState refuses something that is not a tree', () => {
    const t = filled();
    const Ctor = t.state(0).constructor as new (...a: unknown[]) => unknown;
    expect(() => new Ctor(5, 0)).toThrow(TypeError);
    expect(() => new Ctor(null, 0)).toThrow(/tree/);
  });
});

describe('constructor options are checked', () => {
  it('refuses a non-object, unknown keys and wrong types (the probe: 5 and {allocRange: "yes"} were taken)', () => {
    expect(() => new MapleTree(5 as never)).toThrow(TypeError);
    expect(() => new MapleTree(null as never)).toThrow(/options must be an object/);
    expect(() => new MapleTree([] as never)).toThrow(TypeError);
    expect(() => new MapleTree({ allocRange: 'yes' } as never)).toThrow(/options.allocRange must be a boolean/);
    expect(() => new MapleTree({ rcu: 1 } as never)).toThrow(/options.rcu/);
    expect(() => new MapleTree({ allocrange: true } as never)).toThrow(/unknown key "allocrange"/);
  });

  it('refuses an allocator that is not a NodeAllocator at once, not at the first store', () => {
    expect(() => new MapleTree({ allocator: {} as never })).toThrow(/options.allocator must be a NodeAllocator/);
    expect(() => new MapleTree({ allocator: null as never })).toThrow(TypeError);
    class Counting extends NodeAllocator {}
    const t = new MapleTree({ allocator: new Counting() });
    t.storeRange(0, 100, 1);
    expect(t.load(50)).toBe(1);
  });

  it('accepts the documented options, undefined included', () => {
    const t = new MapleTree({ allocRange: true, rcu: true, allocator: new NodeAllocator() });
    expect([t.isAlloc, t.rcu]).toEqual([true, true]);
    const u = new MapleTree(undefined);
    expect([u.isAlloc, u.rcu]).toEqual([false, false]);
  });
});

describe('the tree and the allocator check the rest', () => {
  it('setRcu refuses a non-boolean (the probe: "yes" was stored)', () => {
    const t = filled();
    expect(() => t.setRcu('yes' as never)).toThrow(/on must be a boolean/);
    expect(t.rcu).toBe(false);
  });

  it('dup refuses an unknown gfp instead of reporting ENOMEM', () => {
    const t = filled();
    refuses(t, () => t.dup('bogus' as never), RangeError, 'gfp');
    expect(t.dup('kernel').load(10)).toBe(2);
  });

  it('dump refuses an unknown format', () => {
    const t = filled();
    expect(() => t.dump('bogus' as never)).toThrow(/format must be one of 'dec', 'hex'/);
    expect(t.dump('hex')).toContain('maple_tree');
  });

  it('forEach refuses a non-function', () => {
    const t = filled();
    expect(() => t.forEach('x' as never)).toThrow(/fn must be a function/);
  });

  it('failWhen and setCallback refuse non-functions (the probe: failWhen("x") failed later, deep inside)', () => {
    const a = new NodeAllocator();
    expect(() => a.failWhen('x' as never)).toThrow(/pred must be a function or null/);
    expect(() => a.setCallback(5 as never)).toThrow(/fn must be a function or null/);
    a.failWhen(null);
    a.setCallback(null);
    expect(a.allocate(1, 'kernel')).toBe(true);
  });

  it('allocate refuses an unknown gfp', () => {
    const a = new NodeAllocator();
    expect(() => a.allocate(1, 'GFP_ATOMIC' as never)).toThrow(RangeError);
    expect(a.events).toBe(0);
  });
});
