// Store-path tests of lib/test_maple_tree.c (Linux 6.18): NULL stores at the root, root expansion,
// deficient nodes, splits at the bounds, overwrites and the range stores of check_ranges.
import { describe, expect, it } from 'vitest';
import { ERRNO, InternalEntry, MapleTree, MAX_INDEX } from '../../src/index.js';
import { checkInsertRange, checkLoad, checkStoreRange } from './checks.js';
import { checkSeq, xaMkValue } from './helpers.js';

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

/** check_lb_not_empty: insert 4e9, 2e9, ... down to above 4096, each time checking every one so far. */
function checkLbNotEmpty(t: MapleTree): void {
  const huge = 4000 * 1000 * 1000;
  for (let i = huge; i > 4096; i = Math.floor(i / 2)) {
    t.insert(i, i);
    for (let j = huge; j >= i; j = Math.floor(j / 2)) {
      checkLoad(t, j - 1, undefined);
      checkLoad(t, j, j);
      checkLoad(t, j + 1, undefined);
    }
  }
  t.destroy();
}

describe('check_lower_bound_split', () => {
  it('descending inserts from 4e9 keep their neighbours empty', () => {
    const t = new MapleTree();
    expect(t.isEmpty).toBe(true);
    checkLbNotEmpty(t);
  });
});

describe('check_upper_bound_split', () => {
  it('ascending inserts of 4096, 8192, ... below 4e9 all succeed', () => {
    const t = new MapleTree();
    expect(t.isEmpty).toBe(true);
    // The kernel's load loop here starts at i < huge with j >= huge as its condition, so it never
    // runs; only the inserts are checked.
    for (let i = 4096; i < 4000 * 1000 * 1000; i *= 2) expect(() => t.insert(i, i)).not.toThrow();
    t.destroy();
  });
});

describe('check_mid_split', () => {
  it('with 8e9 and 0 already present, the descending inserts still check out', () => {
    const t = new MapleTree();
    const huge = 8000 * 1000 * 1000;
    t.insert(huge, huge);
    t.insert(0, xaMkValue(0));
    checkLbNotEmpty(t);
  });
});

describe('check_node_overwrite', () => {
  it('NULL over [319951, 367950] of 4000 ranges leaves a valid tree', () => {
    const t = new MapleTree({ allocRange: true });
    for (let i = 0; i < 4000; i++) t.storeRange(i * 100, i * 100 + 50, xaMkValue(i * 100));
    t.storeRange(319951, 367950, undefined);
    t.validate();
  });
});

describe('check_bnode_min_spanning', () => {
  it('NULL over [240, 509] of 51 ranges stored by mas_store', () => {
    // The kernel checks nothing here beyond the stores not crashing; we add that they all
    // succeeded and the tree is valid.
    const t = new MapleTree({ allocRange: true });
    const entry = { name: 'check_bnode_min_spanning' };
    t.allocator.setNonKernel(9999);
    const mas = t.state(0, 0);
    for (let i = 50; i >= 0; i--) {
      mas.setRange(i * 10, i * 10 + 9);
      mas.store(entry);
      expect(mas.status).not.toBe('error');
    }
    mas.setRange(240, 509);
    mas.store(undefined);
    expect(mas.status).not.toBe('error');
    mas.destroy();
    t.allocator.setNonKernel(0);
    t.validate();
  });
});

describe('check_ranges', () => {
  const EEXIST = ERRNO.EEXIST;
  const r = [10, 15, 20, 25, 17, 22, 9, 1000, 100, 200, 45, 168, 118, 128] as const;

  it('insert and store ranges, overwrites over seq trees of 50 to 400', () => {
    const t = new MapleTree();
    expect(t.isEmpty).toBe(true);
    checkInsertRange(t, r[0], r[1], xaMkValue(r[0]), 0);
    checkInsertRange(t, r[2], r[3], xaMkValue(r[2]), 0);
    checkInsertRange(t, r[4], r[5], xaMkValue(r[4]), EEXIST);
    expect(t.height).not.toBe(0);
    checkStoreRange(t, r[4], r[5], xaMkValue(r[4]), 0);
    checkStoreRange(t, r[6], r[7], xaMkValue(r[6]), 0);
    checkStoreRange(t, r[8], r[9], xaMkValue(r[8]), 0);
    expect(t.height).not.toBe(0);
    t.destroy();
    expect(t.height).toBe(0);

    checkSeq(t, 50);
    t.allocator.setNonKernel(4);
    checkStoreRange(t, 5, 47, xaMkValue(47), 0);
    expect(t.height).not.toBe(0);
    t.destroy();

    checkSeq(t, 100);
    t.allocator.setNonKernel(10);
    checkStoreRange(t, r[10], r[11], xaMkValue(r[10]), 0);
    expect(t.height).not.toBe(0);
    t.destroy();

    checkSeq(t, 200);
    checkStoreRange(t, r[10], r[11], xaMkValue(r[10]), 0);
    expect(t.height).not.toBe(0);
    t.destroy();

    checkSeq(t, 30);
    checkStoreRange(t, 6, 18, xaMkValue(6), 0);
    expect(t.height).not.toBe(0);
    t.destroy();

    // Across several levels.
    checkSeq(t, 400);
    t.allocator.setNonKernel(50);
    checkStoreRange(t, r[12], r[13], xaMkValue(r[12]), 0);
    t.allocator.setNonKernel(50);
    for (const i of [140, 141, 142, 143, 130, 131, 132, 133, 134, 135]) t.erase(i);
    checkLoad(t, r[12], xaMkValue(r[12]));
    checkLoad(t, r[13], xaMkValue(r[12]));
    checkLoad(t, r[13] - 1, xaMkValue(r[12]));
    checkLoad(t, r[13] + 1, xaMkValue(r[13] + 1));
    checkLoad(t, 135, undefined);
    checkLoad(t, 140, undefined);
    t.allocator.setNonKernel(0);
    expect(t.height).not.toBe(0);
    t.destroy();

    // At the end of the tree.
    t.allocator.setNonKernel(50);
    checkSeq(t, 400);
    checkStoreRange(t, 353, 361, xaMkValue(353), 0);
    checkStoreRange(t, 347, 352, xaMkValue(347), 0);
    checkLoad(t, 346, xaMkValue(346));
    for (let i = 347; i <= 352; i++) checkLoad(t, i, xaMkValue(347));
    for (let i = 353; i <= 361; i++) checkLoad(t, i, xaMkValue(353));
    checkLoad(t, 362, xaMkValue(362));
    t.allocator.setNonKernel(0);
    expect(t.height).not.toBe(0);
    t.destroy();

    t.allocator.setNonKernel(50);
    checkSeq(t, 400);
    checkStoreRange(t, 352, 364, undefined, 0);
    checkStoreRange(t, 351, 363, xaMkValue(352), 0);
    checkLoad(t, 350, xaMkValue(350));
    checkLoad(t, 351, xaMkValue(352));
    for (let i = 352; i <= 363; i++) checkLoad(t, i, xaMkValue(352));
    checkLoad(t, 364, undefined);
    checkLoad(t, 365, xaMkValue(365));
    t.allocator.setNonKernel(0);
    expect(t.height).not.toBe(0);
    t.destroy();

    t.allocator.setNonKernel(5);
    checkSeq(t, 400);
    checkStoreRange(t, 352, 364, undefined, 0);
    checkStoreRange(t, 351, 364, xaMkValue(352), 0);
    checkLoad(t, 350, xaMkValue(350));
    checkLoad(t, 351, xaMkValue(352));
    for (let i = 352; i <= 364; i++) checkLoad(t, i, xaMkValue(352));
    checkLoad(t, 365, xaMkValue(365));
    t.allocator.setNonKernel(0);
    expect(t.height).not.toBe(0);
    t.destroy();

    t.allocator.setNonKernel(50);
    checkSeq(t, 400);
    checkStoreRange(t, 362, 367, xaMkValue(362), 0);
    checkStoreRange(t, 353, 361, xaMkValue(353), 0);
    t.allocator.setNonKernel(0);
    t.validate();
    expect(t.height).not.toBe(0);
    t.destroy();

    // Overlapping stores around 2400 over 501 ranges of 5.
    t.allocator.setNonKernel(50);
    for (let i = 0; i <= 500; i++) checkStoreRange(t, i * 5, (i + 1) * 5, xaMkValue(i * 5), 0);
    checkStoreRange(t, 2400, 2400, xaMkValue(2400), 0);
    checkStoreRange(t, 2411, 2411, xaMkValue(2411), 0);
    checkStoreRange(t, 2412, 2412, xaMkValue(2412), 0);
    checkStoreRange(t, 2396, 2400, xaMkValue(4052020), 0);
    checkStoreRange(t, 2402, 2402, xaMkValue(2402), 0);
    t.destroy();
    t.allocator.setNonKernel(0);

    t.allocator.setNonKernel(50);
    for (let i = 0; i <= 500; i++) checkStoreRange(t, i * 5, (i + 1) * 5, xaMkValue(i * 5), 0);
    checkStoreRange(t, 2422, 2422, xaMkValue(2422), 0);
    checkStoreRange(t, 2424, 2424, xaMkValue(2424), 0);
    checkStoreRange(t, 2425, 2425, xaMkValue(2), 0);
    checkStoreRange(t, 2460, 2470, undefined, 0);
    checkStoreRange(t, 2435, 2460, xaMkValue(2435), 0);
    checkStoreRange(t, 2461, 2470, xaMkValue(2461), 0);
    t.allocator.setNonKernel(0);
    expect(t.height).not.toBe(0);
    t.destroy();
  });

  it('in-place modifications: appends, partial overwrites and expansions, some in RCU mode', () => {
    const t = new MapleTree({ allocRange: true });
    t.allocator.setNonKernel(50);
    let val = 0;
    let val2 = 0;
    for (let i = 0; i <= 500; i++) {
      val = i * 5 + 1;
      val2 = val + 4;
      checkStoreRange(t, val, val2, xaMkValue(val), 0);
    }
    // Appends past the last range, not touching it.
    for (let i = 0; i < 10; i++) {
      val = val2 + 5;
      val2 = val + 4;
      checkStoreRange(t, val, val2, xaMkValue(val), 0);
    }
    // Ranges to the end of the index space, each starting 5 further on.
    val = val2;
    for (let i = 0; i < 10; i++) {
      val += 5;
      expect(() => t.storeRange(val, MAX_INDEX, xaMkValue(val))).not.toThrow();
    }
    // Over a range and part of the next.
    for (let i = 10; i < 30; i += 2) {
      val = i * 5 + 1;
      val2 = val + 5;
      checkStoreRange(t, val, val2, xaMkValue(val), 0);
    }
    // Over part of a range and all of the next.
    for (let i = 50; i < 70; i += 2) {
      val2 = i * 5;
      val = val2 - 5;
      checkStoreRange(t, val, val2, xaMkValue(val), 0);
    }
    // Widening, partly over both neighbours.
    for (let i = 100; i < 130; i += 3) {
      val = i * 5 - 5;
      val2 = i * 5 + 1;
      checkStoreRange(t, val, val2, xaMkValue(val), 0);
    }
    t.setRcu(true);
    for (let i = 150; i < 180; i += 3) {
      val = i * 5 - 5;
      val2 = i * 5 + 1;
      checkStoreRange(t, val, val2, xaMkValue(val), 0);
    }
    expect(t.height).not.toBe(0);
    t.validate();
    t.allocator.setNonKernel(0);
    t.destroy();
  });

  it('gaps after rebalancing, and wide overwrites in allocation trees', () => {
    let t = new MapleTree({ allocRange: true });
    t.allocator.setNonKernel(50);
    for (let i = 0; i <= 50; i++) checkStoreRange(t, i * 10, (i + 1) * 10, xaMkValue(i * 10), 0);
    checkStoreRange(t, 161, 161, xaMkValue(161), 0);
    checkStoreRange(t, 162, 162, xaMkValue(162), 0);
    checkStoreRange(t, 163, 163, xaMkValue(163), 0);
    checkStoreRange(t, 240, 249, undefined, 0);
    for (const i of [200, 210, 220, 230]) t.erase(i);
    t.allocator.setNonKernel(0);
    expect(t.height).not.toBe(0);
    t.destroy();

    t = new MapleTree({ allocRange: true });
    for (let i = 0; i <= 500; i++) checkStoreRange(t, i * 10, (i + 1) * 10, xaMkValue(i * 10), 0);
    checkStoreRange(t, 4600, 4959, xaMkValue(1), 0);
    t.validate();
    expect(t.height).not.toBe(0);
    t.destroy();

    t = new MapleTree({ allocRange: true });
    for (let i = 0; i <= 500; i++) checkStoreRange(t, i * 10, (i + 1) * 10, xaMkValue(i * 10), 0);
    checkStoreRange(t, 4811, 4811, xaMkValue(4811), 0);
    checkStoreRange(t, 4812, 4812, xaMkValue(4812), 0);
    checkStoreRange(t, 4861, 4861, xaMkValue(4861), 0);
    checkStoreRange(t, 4862, 4862, xaMkValue(4862), 0);
    checkStoreRange(t, 4842, 4849, undefined, 0);
    t.validate();
    expect(t.height).not.toBe(0);
    t.destroy();
  });

  it('splits of three children up the tree grow it to height 4', () => {
    let t = new MapleTree({ allocRange: true });
    for (let i = 0; i <= 1300; i++) {
      checkStoreRange(t, i * 10, (i + 1) * 10, xaMkValue(i * 10), 0);
      expect(t.height).toBeLessThan(4);
    }
    for (let i = 5; i < 215; i += 10) checkStoreRange(t, 11450 + i, 11450 + i + 1, undefined, 0);
    for (let i = 5; i < 65; i += 10) checkStoreRange(t, 11770 + i, 11770 + i + 1, undefined, 0);
    expect(t.height).toBeLessThan(4);
    for (let i = 5; i < 45; i += 10) checkStoreRange(t, 11700 + i, 11700 + i + 1, undefined, 0);
    expect(t.height).toBeGreaterThanOrEqual(4);
    t.destroy();

    t = new MapleTree({ allocRange: true });
    for (let i = 0; i <= 1200; i++) {
      checkStoreRange(t, i * 10, (i + 1) * 10, xaMkValue(i * 10), 0);
      expect(t.height).toBeLessThan(4);
    }
    // Parents and leaves filled first.
    for (let i = 5; i < 455; i += 10) checkStoreRange(t, 7800 + i, 7800 + i + 1, undefined, 0);
    for (let i = 1; i < 16; i++) checkStoreRange(t, 8185 + i, 8185 + i + 1, xaMkValue(8185 + i), 0);
    expect(t.height).toBeLessThan(4);
    // One store splitting three levels.
    checkStoreRange(t, 8184, 8184, xaMkValue(8184), 0);
    expect(t.height).toBe(4);
  });
});
