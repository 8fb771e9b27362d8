/**
 * The edges of the normal and advanced API the adversarial table decided against the kernel:
 * what mtree_insert_range and mt_find accept, and what mas_empty_area and mas_store refuse.
 */
import { describe, expect, it } from 'vitest';
import { MaState, MapleError, MapleTree } from '../../src/index.js';

const errnoOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof MapleError ? e.code : String(e);
  }
  return 'ok';
};

describe('what the kernel accepts', () => {
  it('insert of undefined (NULL) stores nothing into an empty range and is EEXIST over a used one', () => {
    const t = MapleTree.from([[10, 19, 'a']]);
    const before = t.dump();
    t.insert(5, undefined as never);
    expect(t.dump()).toBe(before);
    expect(errnoOf(() => t.insertRange(15, 25, undefined as never))).toBe('EEXIST');
  });

  it('find and entries over a reversed window return nothing, as mt_find does for index > max', () => {
    const t = MapleTree.from([[10, 19, 'a'], [40, 49, 'b']]);
    expect(t.find(45, 10)).toBeUndefined();
    expect([...t.entries(45, 10)]).toEqual([]);
  });
});

describe('what the kernel refuses', () => {
  it('a reversed gap-search window is EINVAL naming max, before the size is looked at', () => {
    const t = new MapleTree<string>({ allocRange: true });
    for (const f of [() => t.allocRange(4, 'x', 100, 10), () => t.allocRRange(4, 'x', 100, 10), () => t.state(0).emptyArea(100, 10, 4)]) {
      expect(f).toThrow(/EINVAL: max \(10\) is below min \(100\)/);
    }
    expect(() => t.allocCyclic('x', 3000, 2000, { next: 0 })).toThrow(/EINVAL: max \(2000\) is below min \(3000\)/);
    expect(t.dump()).toBe(new MapleTree({ allocRange: true }).dump());
  });

  it('a size no window holds is EINVAL naming the size', () => {
    const t = new MapleTree<string>({ allocRange: true });
    expect(() => t.state(0).emptyAreaRev(0, 2 ** 40, 2 ** 53)).toThrow(/EINVAL: size 9007199254740992 does not fit the window/);
  });

  it('a cursor over a reversed range is EINVAL where it is made', () => {
    const t = MapleTree.from([[10, 19, 'a']]);
    expect(errnoOf(() => t.state(20, 10))).toBe('EINVAL');
    expect(errnoOf(() => new MaState(t, 20, 10))).toBe('EINVAL');
    const mas = t.state(15);
    expect(errnoOf(() => mas.setRange(20, 10))).toBe('EINVAL');
    expect([mas.index, mas.last]).toEqual([15, 15]);
  });

  it('store and insert name their index argument', () => {
    const t = new MapleTree();
    expect(() => t.store(-1, 'x')).toThrow(/^index must be/);
    expect(() => t.insert(1.5, 'x')).toThrow(/^index must be/);
  });
});
