// Reader tests of lib/test_maple_tree.c (Linux 6.18): mas_next, mas_prev, mas_find(_rev),
// mas_for_each with pauses and stores in the middle, mt_find / mt_for_each.
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX, ZERO_ENTRY } from '../../src/index.js';
import { masForEach, mtForEach, mtreeEraseIndex } from './checks.js';
import { checkSeq, insertIndex, xaMkValue } from './helpers.js';

describe('check_next_entry', () => {
  it('mas_next steps through 0..30 and stops at its limit', () => {
    const t = new MapleTree();
    const limit = 30;
    expect(t.isEmpty).toBe(true);
    checkSeq(t, limit);
    const mas = t.state(0, 0);
    expect(mas.walk()).toBe(xaMkValue(0));
    for (let i = 1; i <= limit + 1; i++) {
      const entry = mas.next(limit);
      expect(entry).toBe(i > limit ? undefined : xaMkValue(i));
    }
    t.destroy();
  });
});

describe('check_prev_entry', () => {
  it('mas_prev after mas_find gives the entry before', () => {
    const t = new MapleTree({ allocRange: true });
    expect(t.isEmpty).toBe(true);
    checkSeq(t, 30);
    const mas = t.state(16, 16);
    expect(mas.find(MAX_INDEX)).toBe(xaMkValue(16));
    expect(mas.prev(0)).toBe(xaMkValue(15));
    t.destroy();
  });

  it('mas_prev honours its lower limit', () => {
    const t = new MapleTree({ allocRange: true });
    const mas = t.state(16, 16);
    for (let i = 0; i <= 16; i++) {
      mas.setRange(i * 10, i * 10 + 5);
      mas.storeGfp(xaMkValue(i), 'kernel');
    }
    mas.set(20);
    expect(mas.walk()).toBe(xaMkValue(2));
    expect(mas.prev(19)).toBeUndefined();
    mas.set(80);
    expect(mas.walk()).toBe(xaMkValue(8));
    expect(mas.prev(76)).toBeUndefined();
  });
});

describe('check_find', () => {
  it('powers of four (a ZERO_ENTRY at 64) through mas_find, mas_for_each, mt_for_each and mas_prev', () => {
    const t = new MapleTree();
    const top = 4398046511104; // 4^21: the kernel's first value past the entries
    let val = 0;
    insertIndex(t, val++);
    for (let i = 0; i <= 20; i++) {
      if (val !== 64) insertIndex(t, val);
      else t.insert(val, ZERO_ENTRY);
      val *= 4;
    }
    // The value expected for index val: the ZERO_ENTRY at 64, or the indexed value.
    const expected = (v: number): unknown => (v === 64 ? ZERO_ENTRY : xaMkValue(v));

    // mas_find up to 2^28.
    const mas = t.state(0, 0);
    val = 0;
    mas.set(val);
    for (let entry = mas.find(268435456); entry !== undefined; entry = mas.find(268435456)) {
      expect(entry).toBe(expected(val));
      val = val === 0 ? 1 : val * 4;
    }

    // mas_for_each, plain and paused after every entry.
    for (const pause of [false, true]) {
      val = 0;
      mas.set(val);
      masForEach(mas, MAX_INDEX, (entry) => {
        expect(entry).toBe(expected(val));
        val = val === 0 ? 1 : val * 4;
        if (pause) mas.pause();
      });
    }

    // mt_for_each skips the ZERO_ENTRY.
    val = 0;
    mtForEach(t, 300, (entry) => {
      expect(entry).toBe(xaMkValue(val));
      val = val === 0 ? 1 : val * 4;
      if (val === 64) val *= 4;
    });

    // With MAX_INDEX present too.
    val = 0;
    let count = 0;
    insertIndex(t, MAX_INDEX);
    mtForEach(t, MAX_INDEX, (entry) => {
      expect(entry).toBe(val === top ? xaMkValue(MAX_INDEX) : xaMkValue(val));
      val = val === 0 ? 1 : val * 4;
      if (val === 64) val *= 4;
      count++;
      expect(count).toBeLessThanOrEqual(25);
    });
    mtreeEraseIndex(t, MAX_INDEX);

    mas.reset();
    expect(t.find(17, 512)?.entry).toBe(xaMkValue(256));
    mas.reset();
    expect(t.find(17, 20)).toBeUndefined();

    // mas_for_each with pauses over the whole range, MAX_INDEX included.
    insertIndex(t, MAX_INDEX);
    val = 0;
    mas.set(0);
    masForEach(mas, MAX_INDEX, (entry) => {
      if (val === 64) expect(entry).toBe(ZERO_ENTRY);
      else if (val === top) expect(entry).toBe(xaMkValue(MAX_INDEX));
      else expect(entry).toBe(xaMkValue(val));
      val = val === 0 ? 1 : val * 4;
      mas.pause();
    });

    mas.set(1048576);
    expect(mas.find(1048576)).not.toBeUndefined();

    // The entry before the one at MAX_INDEX, found by find then prev ...
    mas.reset();
    mas.index = MAX_INDEX;
    mas.find(MAX_INDEX);
    const entry = mas.prev(0);
    const index = mas.index;
    const last = mas.last;
    // ... must be what prev from the start finds once MAX_INDEX is erased.
    mas.reset();
    mas.index = MAX_INDEX;
    mas.last = MAX_INDEX;
    mas.erase();
    mas.reset();
    let entry2 = mas.prev(0);
    expect(entry2).toBe(entry);
    expect(mas.index).toBe(index);
    expect(mas.last).toBe(last);

    // And from the none status.
    mas.status = 'none';
    mas.index = MAX_INDEX;
    mas.last = MAX_INDEX;
    entry2 = mas.prev(0);
    expect(entry2).toBe(entry);

    mas.set(0);
    expect(mas.prev(0)).toBeUndefined();
    t.destroy();
  });
});

describe('check_find_2', () => {
  it('mas_for_each sees every entry while 0..255 are inserted, then erased', () => {
    const t = new MapleTree();
    const mas = t.state(0, 0);
    masForEach(mas, MAX_INDEX, () => {
      expect.unreachable('an empty tree has no entries');
    });
    for (let i = 0; i < 256; i++) {
      insertIndex(t, i);
      let j = 0;
      mas.set(0);
      masForEach(mas, MAX_INDEX, (entry) => {
        expect(entry).toBe(xaMkValue(j));
        j++;
      });
      expect(j).toBe(i + 1);
    }
    for (let i = 0; i < 256; i++) {
      mtreeEraseIndex(t, i);
      let j = i + 1;
      mas.set(0);
      masForEach(mas, MAX_INDEX, (entry) => {
        if (entry === ZERO_ENTRY) return;
        expect(entry).toBe(xaMkValue(j));
        j++;
      });
      expect(j).toBe(256);
    }
  });
});

describe('check_rev_find', () => {
  it('mas_find_rev within its lower limit', () => {
    const t = new MapleTree({ allocRange: true });
    for (let i = 0; i <= 200; i++) t.storeRange(i * 10, i * 10 + 5, xaMkValue(i));
    const mas = t.state(0, 0);
    mas.set(1000);
    expect(mas.findRev(1000)).toBe(xaMkValue(100));
    expect(mas.findRev(1000)).toBeUndefined();

    mas.set(999);
    expect(mas.findRev(997)).toBeUndefined();

    mas.set(1000);
    expect(mas.findRev(900)).toBe(xaMkValue(100));
    expect(mas.findRev(900)).toBe(xaMkValue(99));

    mas.set(20);
    expect(mas.findRev(0)).toBe(xaMkValue(2));
    expect(mas.findRev(0)).toBe(xaMkValue(1));
    expect(mas.findRev(0)).toBe(xaMkValue(0));
    expect(mas.findRev(0)).toBeUndefined();
  });
});

describe('check_iteration', () => {
  it('mas_for_each continues correctly after a mas_store inside the loop', () => {
    const t = new MapleTree({ allocRange: true });
    for (let i = 0; i <= 125; i++) t.storeRange(i * 10, i * 10 + 9, xaMkValue(i));
    t.allocator.setNonKernel(99999);
    const mas = t.state(0, 0);

    // The end of entry 92 rewritten.
    let i = 0;
    masForEach(mas, 925, (val) => {
      expect(mas.index).toBe(i * 10);
      expect(mas.last).toBe(i * 10 + 9);
      if (i === 92) {
        mas.index = 925;
        mas.last = 929;
        mas.store(val);
      }
      i++;
    });
    expect(mas.find(MAX_INDEX)).toBe(xaMkValue(i));

    // The start of entry 78 rewritten.
    mas.set(0);
    i = 0;
    masForEach(mas, 785, (val) => {
      expect(mas.index).toBe(i * 10);
      expect(mas.last).toBe(i * 10 + 9);
      if (i === 78) {
        mas.index = 780;
        mas.last = 785;
        mas.store(val);
      } else {
        i++;
      }
    });
    expect(mas.find(MAX_INDEX)).toBe(xaMkValue(i));

    // The end of entry 76 rewritten, up to the loop's limit: the rest of 76 comes next.
    mas.set(0);
    i = 0;
    masForEach(mas, 765, (val) => {
      expect(mas.index).toBe(i * 10);
      expect(mas.last).toBe(i * 10 + 9);
      if (i === 76) {
        mas.index = 760;
        mas.last = 765;
        mas.store(val);
      }
      i++;
    });
    expect(mas.find(MAX_INDEX)).toBe(xaMkValue(76));
    mas.destroy();
    t.allocator.setNonKernel(0);
  });
});

describe('check_mas_store_gfp', () => {
  it('copying a tree range by range through one active state gives a valid tree', () => {
    const t = new MapleTree({ allocRange: true });
    for (let i = 0; i <= 135; i++) t.storeRange(i * 10, i * 10 + 5, xaMkValue(i));
    t.allocator.setNonKernel(99999);
    const newmt = new MapleTree({ allocRange: true });
    const mas = t.state(0, 0);
    const newmas = newmt.state(0, 0);
    newmas.reset();
    mas.set(0);
    masForEach(mas, MAX_INDEX, (val) => {
      newmas.index = mas.index;
      newmas.last = mas.last;
      newmas.storeGfp(val, 'kernel');
    });
    newmt.validate();
    t.allocator.setNonKernel(0);
    newmt.destroy();
  });
});
