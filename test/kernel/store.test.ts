// Store-path tests of lib/test_maple_tree.c (Linux 6.18): NULL stores at the root, root expansion,
// deficient nodes, splits at the bounds, overwrites and the range stores of check_ranges.
import { describe, expect, it } from 'vitest';
import { InternalEntry, MapleTree, MAX_INDEX } from '../../src/index.js';
import { xaMkValue } from './helpers.js';

describe('check_store_null', () => {
  const ptr = { name: 'mas' };

  it('NULL over [0, MAX] of an empty tree leaves it empty', () => {
    const t = new MapleTree({ allocRange: true });
    const mas = t.state(0, MAX_INDEX);
    mas.storeGfp(undefined, 'kernel');
    expect(t.isEmpty).toBe(true);
  });

  it('NULL over any range of an empty tree leaves it empty', () => {
    const t = new MapleTree({ allocRange: true });
    const mas = t.state(0, MAX_INDEX);
    mas.setRange(3, 10);
    mas.storeGfp(undefined, 'kernel');
    expect(t.isEmpty).toBe(true);
  });

  it('NULL over [0, MAX] or [0, n] of a single-entry tree empties it', () => {
    for (const last of [MAX_INDEX, 5]) {
      const t = new MapleTree({ allocRange: true });
      const mas = t.state(0, MAX_INDEX);
      mas.set(0);
      mas.storeGfp(ptr, 'kernel');
      mas.setRange(0, last);
      mas.storeGfp(undefined, 'kernel');
      expect(t.isEmpty).toBe(true);
    }
  });

  it('NULL over [m, n], m > 0, keeps the single entry', () => {
    const t = new MapleTree({ allocRange: true });
    const mas = t.state(0, MAX_INDEX);
    mas.set(0);
    mas.storeGfp(ptr, 'kernel');
    mas.setRange(2, 5);
    mas.storeGfp(undefined, 'kernel');
    expect(t.isEmpty).toBe(false);
  });

  it('NULL over [0, MAX] of a tree with a node empties it', () => {
    const t = new MapleTree({ allocRange: true });
    const mas = t.state(0, MAX_INDEX);
    mas.setRange(1, 3);
    mas.storeGfp(ptr, 'kernel');
    mas.setRange(0, MAX_INDEX);
    mas.storeGfp(undefined, 'kernel');
    expect(t.isEmpty).toBe(true);
  });
});

describe('check_root_expand', () => {
  // The kernel stores the address of a function, then that address with a low tag bit set.
  const fn = { name: 'check_prev_entry' };
  // ptr | 1: an ordinary (value-like) entry in the kernel.
  const tagged1 = { name: 'check_prev_entry | 1' };
  // ptr | 2: looks like an internal entry above 4096, which mas_store_root must put in a node.
  const tagged2 = new InternalEntry('check_prev_entry | 2', 0x40000000);

  it('walks of an empty tree, then of a tree holding only index 1', () => {
    const t = new MapleTree({ allocRange: true });
    const mas = t.state(0, 0);
    mas.set(3);
    expect(mas.walk()).toBeUndefined();
    expect(mas.index).toBe(0);
    expect(mas.last).toBe(MAX_INDEX);
    mas.set(1);
    mas.storeGfp(fn, 'kernel');
    mas.set(0);
    expect(mas.walk()).toBeUndefined();
    mas.set(1);
    expect(mas.walk()).toBe(fn);
    mas.set(2);
    expect(mas.walk()).toBeUndefined();
  });

  it('a root entry at 0: walks beyond it and over a range starting at it', () => {
    const t = new MapleTree();
    const mas = t.state(0, 0);
    mas.set(0);
    mas.storeGfp(fn, 'kernel');
    mas.set(5);
    expect(mas.walk()).toBeUndefined();
    expect(mas.index).toBe(1);
    expect(mas.last).toBe(MAX_INDEX);
    mas.setRange(0, 100);
    expect(mas.walk()).toBe(fn);
    expect(mas.last).toBe(0);
  });

  it('a value-like root entry: next finds nothing after it, prev finds it', () => {
    const t = new MapleTree();
    const mas = t.state(0, 0);
    mas.set(0);
    mas.storeGfp(tagged1, 'kernel');
    expect(mas.next(MAX_INDEX)).toBeUndefined();
    // The kernel only fails when both differ.
    expect(mas.index === 1 || mas.last === MAX_INDEX).toBe(true);
    mas.set(1);
    const prev = mas.prev(0);
    expect(mas.index === 0 || mas.last === 0).toBe(true);
    expect(prev).toBe(tagged1);
  });

  it('an internal-looking entry at 0 (expanded into a node): next finds nothing, prev finds it', () => {
    const t = new MapleTree();
    const mas = t.state(0, 0);
    mas.set(0);
    mas.storeGfp(tagged2, 'kernel');
    expect(mas.next(MAX_INDEX)).toBeUndefined();
    expect(mas.index === MAX_INDEX || mas.last === MAX_INDEX).toBe(true);
    mas.set(1);
    const prev = mas.prev(0);
    expect(mas.index === 0 || mas.last === 0).toBe(true);
    expect(prev).toBe(tagged2);
  });
});

describe('check_deficient_node', () => {
  it('0-9, 20-38 then 10-11, one index at a time, leave a valid tree', () => {
    const t = new MapleTree({ allocRange: true });
    const mas = t.state(0, 0);
    const put = (from: number, to: number): void => {
      for (let count = from; count < to; count++) {
        mas.set(count);
        mas.storeGfp(xaMkValue(count), 'kernel');
      }
    };
    put(0, 10);
    put(20, 39);
    put(10, 12);
    t.validate();
  });
});
