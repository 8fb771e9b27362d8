// check_rcu_simulated of tools/testing/radix-tree/maple.c (Linux 6.18): a writer and a reader state
// on one RCU-mode tree (MT_FLAGS_ALLOC_RANGE, as maple.c's main sets it up), interleaved by hand —
// the reader, inside rcu_read_lock, walks before and after each store and must see the value the
// store left. mas_lock/mas_unlock around the writer map to nothing: our tree has no write lock.
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX, type MaState } from '../../src/index.js';
import { xaMkValue } from './helpers.js';

describe('check_rcu_simulated', () => {
  const nrEntries = 1000;
  const target = 4320;
  const val = 0xdead;

  /** Ranges [i*10, i*10+5] holding xa_mk_value(i), written through the writer state. */
  function fill(writer: MaState): void {
    for (let i = 0; i <= nrEntries; i++) {
      writer.index = i * 10;
      writer.last = i * 10 + 5;
      writer.storeGfp(xaMkValue(i), 'kernel');
    }
  }

  /** Not checked by the kernel: the fill moved index/last by hand, so make sure it wrote every range. */
  function expectFilled(t: MapleTree): void {
    const want: Array<[number, number, unknown]> = [];
    for (let i = 0; i <= nrEntries; i++) want.push([i * 10, i * 10 + 5, xaMkValue(i)]);
    expect([...t.entries()]).toEqual(want);
  }

  it('walks, then mas_prev/mas_next, of a reader across writer stores (one tree, cleared and refilled half way)', () => {
    const t = new MapleTree({ allocRange: true });
    const writer = t.state(0, 0);
    const reader = t.state(target, target);
    t.setRcu(true);
    fill(writer);
    expectFilled(t);

    // [first, last] overwritten with 0xdead, and what the reader at `target` must read afterwards.
    const cases: Array<[string, number, number, unknown]> = [
      ['the entry', target, target + 5, xaMkValue(val)],
      ['its first half', target, target + 2, xaMkValue(val)],
      ['its second half: target keeps its value', target + 2, target + 5, xaMkValue(target / 10)],
      ['more than the entry', target - 5, target + 15, xaMkValue(val)],
      ['more than the node', target - 400, target + 400, xaMkValue(val)],
    ];
    for (const [what, first, last, after] of cases) {
      writer.setRange(first, last);
      t.rcuReadLock();
      expect(reader.walk(), `${what}: before`).toBe(xaMkValue(target / 10));
      writer.storeGfp(xaMkValue(val), 'kernel');
      expect(reader.walk(), `${what}: after`).toBe(after);
      t.rcuReadUnlock();
      // Put the old value back over the same range; the reader starts over.
      writer.storeGfp(xaMkValue(target / 10), 'kernel');
      reader.reset();
    }

    // The whole tree overwritten: nothing is restored afterwards.
    writer.setRange(0, MAX_INDEX);
    t.rcuReadLock();
    expect(reader.walk(), 'whole tree: before').toBe(xaMkValue(target / 10));
    writer.storeGfp(xaMkValue(val), 'kernel');
    expect(reader.walk(), 'whole tree: after').toBe(xaMkValue(val));
    t.rcuReadUnlock();

    // Empty the tree and write the same ranges again.
    writer.setRange(0, MAX_INDEX);
    writer.storeGfp(undefined, 'kernel');
    writer.setRange(0, 0);
    fill(writer);
    expectFilled(t);
    t.validate();

    // The reader steps back with mas_prev, the writer replaces target's entry, mas_next sees it.
    reader.reset();
    writer.setRange(target, target + 5);
    reader.setRange(target, target);
    t.rcuReadLock();
    expect(reader.walk(), 'next check: before').toBe(xaMkValue(target / 10));
    reader.prev(0);
    writer.storeGfp(xaMkValue(val), 'kernel');
    expect(reader.next(MAX_INDEX), 'next check: after').toBe(xaMkValue(val));
    t.rcuReadUnlock();
    writer.storeGfp(xaMkValue(target / 10), 'kernel');

    // The mirror image: step forward with mas_next, store, then mas_prev must see the new value.
    reader.reset();
    writer.setRange(target, target + 5);
    reader.setRange(target, target);
    t.rcuReadLock();
    expect(reader.walk(), 'prev check: before').toBe(xaMkValue(target / 10));
    reader.next(MAX_INDEX);
    writer.storeGfp(xaMkValue(val), 'kernel');
    expect(reader.prev(0), 'prev check: after').toBe(xaMkValue(val));
    t.rcuReadUnlock();
    t.validate();
  });
});
