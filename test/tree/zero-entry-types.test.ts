/**
 * The reads that can hand back XA_ZERO_ENTRY say so in their types (MapleTree.next/prev/erase and
 * every MaState walk, step and store), and the reads that hide it (load, find, entries) do not.
 * The type assertions are checked by `npm run typecheck`; each is paired with a run showing the
 * value really is (or is never) ZERO_ENTRY, so the types describe behaviour rather than hope.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isZeroEntry, ZERO_ENTRY, type ZeroEntry } from '../../src/tree/entry.js';
import type { MapleRange } from '../../src/tree/tree.js';
import { MapleTree } from '../../src/tree/tree.js';
import type { MaState } from '../../src/tree/state.js';

type Slot = string | ZeroEntry | undefined;

/** [10, 19] 'a', [20, 29] ZERO_ENTRY, [30, 39] 'b'. */
function tree(): MapleTree<string> {
  const mt = new MapleTree<string>();
  mt.storeRange(10, 19, 'a');
  mt.storeRange(20, 29, ZERO_ENTRY);
  mt.storeRange(30, 39, 'b');
  return mt;
}

describe('ZERO_ENTRY in the types of the reads that return it', () => {
  it('ZeroEntry is the type of ZERO_ENTRY alone, and isZeroEntry narrows to it', () => {
    expectTypeOf(ZERO_ENTRY).toEqualTypeOf<ZeroEntry>();
    expectTypeOf<ZeroEntry['name']>().toEqualTypeOf<'XA_ZERO_ENTRY'>();
    expectTypeOf<ZeroEntry['value']>().toEqualTypeOf<257>();
    const slot: Slot = tree().state(25).walk();
    if (isZeroEntry(slot)) expectTypeOf(slot).toEqualTypeOf<ZeroEntry>();
    else expectTypeOf(slot).toEqualTypeOf<string | undefined>();
    expect(isZeroEntry(slot)).toBe(true);
  });

  it('MapleTree.next and prev: a ZERO_ENTRY range, as the kernel returns it', () => {
    const mt = tree();
    expectTypeOf(mt.next).returns.toEqualTypeOf<MapleRange<string | ZeroEntry> | undefined>();
    expectTypeOf(mt.prev).returns.toEqualTypeOf<MapleRange<string | ZeroEntry> | undefined>();
    expect(mt.next(15)).toEqual({ index: 20, last: 29, entry: ZERO_ENTRY });
    expect(mt.prev(35)).toEqual({ index: 20, last: 29, entry: ZERO_ENTRY });
  });

  it('MapleTree.erase returns the ZERO_ENTRY it removed', () => {
    const mt = tree();
    expectTypeOf(mt.erase).returns.toEqualTypeOf<string | ZeroEntry | undefined>();
    expect(mt.erase(25)).toBe(ZERO_ENTRY);
    expect(mt.next(15)).toEqual({ index: 30, last: 39, entry: 'b' });
  });

  it('load, find, findAfter and the iterators hide it, and their types keep to T', () => {
    const mt = tree();
    expectTypeOf(mt.load).returns.toEqualTypeOf<string | undefined>();
    expectTypeOf(mt.find).returns.toEqualTypeOf<MapleRange<string> | undefined>();
    expectTypeOf(mt.findAfter).returns.toEqualTypeOf<MapleRange<string> | undefined>();
    expectTypeOf(mt.entries).returns.toEqualTypeOf<IterableIterator<[number, number, string]>>();
    expect(mt.load(25)).toBeUndefined();
    expect(mt.find(20)).toEqual({ index: 30, last: 39, entry: 'b' });
    expect(mt.findAfter(20)).toEqual({ index: 30, last: 39, entry: 'b' });
    expect([...mt.entries()].map((e) => e[2])).toEqual(['a', 'b']);
  });

  it('MaState<T>: every walk, step, store and erase may return ZERO_ENTRY', () => {
    const mt = tree();
    const mas = mt.state(12);
    expectTypeOf(mas).toEqualTypeOf<MaState<string>>();
    for (const read of [mas.walk, mas.find, mas.findRange, mas.findRev, mas.findRangeRev, mas.next, mas.nextRange, mas.prev, mas.prevRange, mas.store, mas.erase]) {
      expectTypeOf(read).returns.toEqualTypeOf<Slot>();
    }
    expect(mas.walk()).toBe('a');
    expect(mas.next(100)).toBe(ZERO_ENTRY);
    expect(mas.nextRange(100)).toBe('b');
    expect(mas.prev(0)).toBe(ZERO_ENTRY);
    expect(mas.prevRange(0)).toBe('a');
    mas.set(0);
    expect([mas.find(100), mas.find(100), mas.find(100)]).toEqual(['a', ZERO_ENTRY, 'b']);
    mas.set(100);
    expect([mas.findRev(0), mas.findRev(0), mas.findRev(0)]).toEqual(['b', ZERO_ENTRY, 'a']);
    mas.set(15);
    expect(mas.findRange(100)).toBe('a');
    expect(mas.findRange(100)).toBe(ZERO_ENTRY);
    mas.set(35);
    expect(mas.findRangeRev(0)).toBe('b');
    expect(mas.findRangeRev(0)).toBe(ZERO_ENTRY);
    const over = mt.state(20, 29);
    expect(over.store('z')).toBe(ZERO_ENTRY);
    expect(mt.state(20).erase()).toBe('z');
  });

  it('a state of an untyped tree stays unknown', () => {
    expectTypeOf(new MapleTree().state(0).walk()).toEqualTypeOf<unknown>();
  });
});
