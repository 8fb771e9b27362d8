// check_rcu_simulated of tools/testing/radix-tree/maple.c (Linux 6.18): a writer and a reader state
// on one RCU-mode tree, interleaved by hand — the reader, inside rcu_read_lock, walks before and
// after each store and must see the value the store left.
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX } from '../../src/index.js';
import { xaMkValue } from './helpers.js';

describe('check_rcu_simulated', () => {
  const nrEntries = 1000;
  const target = 4320;
  const val = 0xdead;

  function fill(writer: ReturnType<MapleTree['state']>): void {
    for (let i = 0; i <= nrEntries; i++) {
      writer.setRange(i * 10, i * 10 + 5);
      writer.storeGfp(xaMkValue(i), 'kernel');
    }
  }

  it('overwrites of the entry, part of it, more than it, more than its node and the whole tree', () => {
    const t = new MapleTree();
    const writer = t.state(0, 0);
    const reader = t.state(target, target);
    t.setRcu(true);
    fill(writer);

    // [first, last] written with 0xdead, and what the reader at `target` must read afterwards.
    const cases: Array<[number, number, unknown]> = [
      [target, target + 5, xaMkValue(val)], // the entry
      [target, target + 2, xaMkValue(val)], // its first half
      [target + 2, target + 5, xaMkValue(target / 10)], // its second half: target keeps its value
      [target - 5, target + 15, xaMkValue(val)], // more than the entry
      [target - 400, target + 400, xaMkValue(val)], // more than the node
    ];
    for (const [first, last, after] of cases) {
      writer.setRange(first, last);
      t.rcuReadLock();
      expect(reader.walk()).toBe(xaMkValue(target / 10));
      writer.storeGfp(xaMkValue(val), 'kernel');
      expect(reader.walk()).toBe(after);
      t.rcuReadUnlock();
      // Restore.
      writer.storeGfp(xaMkValue(target / 10), 'kernel');
      reader.reset();
    }

    writer.setRange(0, MAX_INDEX);
    t.rcuReadLock();
    expect(reader.walk()).toBe(xaMkValue(target / 10));
    writer.storeGfp(xaMkValue(val), 'kernel');
    expect(reader.walk()).toBe(xaMkValue(val));
    t.rcuReadUnlock();
    t.validate();
  });

  it('mas_next and mas_prev of a reader across a store beside it', () => {
    const t = new MapleTree();
    const writer = t.state(0, 0);
    const reader = t.state(target, target);
    t.setRcu(true);
    fill(writer);

    writer.setRange(target, target + 5);
    reader.setRange(target, target);
    t.rcuReadLock();
    expect(reader.walk()).toBe(xaMkValue(target / 10));
    reader.prev(0);
    writer.storeGfp(xaMkValue(val), 'kernel');
    expect(reader.next(MAX_INDEX)).toBe(xaMkValue(val));
    t.rcuReadUnlock();
    writer.storeGfp(xaMkValue(target / 10), 'kernel');

    reader.reset();
    writer.setRange(target, target + 5);
    reader.setRange(target, target);
    t.rcuReadLock();
    expect(reader.walk()).toBe(xaMkValue(target / 10));
    reader.next(MAX_INDEX);
    writer.storeGfp(xaMkValue(val), 'kernel');
    expect(reader.prev(0)).toBe(xaMkValue(val));
    t.rcuReadUnlock();
    t.validate();
  });
});
