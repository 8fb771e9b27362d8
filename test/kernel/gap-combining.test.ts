// check_gap_combining and check_node_overwrite of lib/test_maple_tree.c (Linux 6.18): gaps made by
// erasing neighbouring singletons combine across slots, leaves and levels, and empty_area_rev finds
// them; range stores over two levels rebalance and validate.
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX } from '../../src/index.js';
import { checkLoad } from './checks.js';
import { checkSeq, xaMkValue } from './helpers.js';

describe('check_gap_combining', () => {
  // The 64-bit sequence; the comments give the groups the kernel numbers them by.
  const seq100 = [
    74, 75, 76, 50, 100, 2, // 0-5
    44, 45, 46, 43, 20, 50, 3, // 6-12
    80, 81, 82, 76, 2, 79, 85, 4, // 13-20
  ];
  const seq2000 = [1152, 1151, 1100, 1200, 2];
  const seq400 = [286, 318, 256, 260, 266, 270, 275, 280, 290, 398, 286, 310];

  it('100 singletons: gaps of 2, 3 and more combine across leaves and are found', () => {
    const t = new MapleTree({ allocRange: true });
    let index = seq100[0]!;
    const mas = t.state(index);
    expect(t.isEmpty).toBe(true);
    checkSeq(t, 100);

    t.allocator.setNonKernel(1);
    t.erase(seq100[2]!);
    checkLoad(t, seq100[2]!, undefined);
    t.erase(seq100[1]!);
    checkLoad(t, seq100[1]!, undefined);

    expect(mas.find(MAX_INDEX)).toBe(xaMkValue(index));
    const mn1 = mas.node;
    mas.next(MAX_INDEX);
    expect(mas.next(MAX_INDEX)).toBe(xaMkValue(index + 4));
    expect(mas.node).not.toBe(mn1); // the two entries are in different leaves

    // A gap of 2 at index + 1, between seq100[3] and seq100[4].
    t.allocator.setNonKernel(1);
    mas.reset();
    mas.emptyAreaRev(seq100[3]!, seq100[4]!, seq100[5]!);
    expect(mas.index).toBe(index + 1);

    t.erase(seq100[6]!);
    checkLoad(t, seq100[6]!, undefined);
    t.erase(seq100[7]!);
    checkLoad(t, seq100[7]!, undefined);
    t.erase(seq100[8]!);
    index = seq100[9]!;

    mas.setRange(index, index);
    mas.reset();
    expect(mas.find(MAX_INDEX)).toBe(xaMkValue(index));
    const mn3 = mas.node;
    expect(mas.next(MAX_INDEX)).toBe(xaMkValue(index + 4));
    mas.next(MAX_INDEX);
    expect(mas.node).not.toBe(mn3); // the entry after is in the next leaf

    // A gap of 3 at seq100[6], found searching 20..50 for size 3.
    mas.reset();
    mas.emptyAreaRev(seq100[10]!, seq100[11]!, seq100[12]!);
    expect(mas.index).toBe(seq100[6]);

    t.allocator.setNonKernel(1);
    t.store(seq100[13]!, undefined);
    checkLoad(t, seq100[13]!, undefined);
    checkLoad(t, seq100[14]!, xaMkValue(seq100[14]!));
    t.store(seq100[14]!, undefined);
    checkLoad(t, seq100[13]!, undefined);
    checkLoad(t, seq100[14]!, undefined);

    mas.reset();
    mas.emptyAreaRev(seq100[16]!, seq100[15]!, seq100[17]!);
    expect(mas.index).toBe(seq100[13]);
    t.validate();

    // Once a retry entry at the start of a gap; now a plain NULL store and an erase.
    t.allocator.setNonKernel(2);
    t.storeRange(seq100[18]!, seq100[14]!, undefined);
    t.erase(seq100[15]!);
    mas.reset();
    mas.emptyAreaRev(seq100[16]!, seq100[19]!, seq100[20]!);
    expect(mas.index).toBe(seq100[18]);
    t.validate();
  });

  it('2000 singletons: a gap over two levels', () => {
    const t = new MapleTree({ allocRange: true });
    checkSeq(t, 2000);
    t.allocator.setNonKernel(1);
    t.erase(seq2000[0]!);
    t.erase(seq2000[1]!);
    t.allocator.setNonKernel(2);
    const mas = t.state(0);
    mas.emptyAreaRev(seq2000[2]!, seq2000[3]!, seq2000[4]!);
    expect(mas.index).toBe(seq2000[1]);
    t.validate();
  });

  it('400 singletons: a NULL range store rebalancing over two levels', () => {
    const t = new MapleTree({ allocRange: true });
    t.allocator.setNonKernel(99);
    checkSeq(t, 400);
    t.storeRange(seq400[0]!, seq400[1]!, undefined);
    t.validate();
    t.allocator.setNonKernel(0);
  });

  it('400 singletons: overlapping range stores up to 398', () => {
    const t = new MapleTree({ allocRange: true });
    checkSeq(t, 400);
    t.allocator.setNonKernel(50);
    for (const k of [2, 3, 4, 5, 0, 6, 7, 8]) t.storeRange(seq400[k]!, seq400[9]!, xaMkValue(seq400[k]!));
    t.storeRange(seq400[10]!, seq400[11]!, xaMkValue(seq400[10]!));
    t.validate();
    t.allocator.setNonKernel(0);
    checkLoad(t, seq400[10]!, xaMkValue(seq400[10]!));
    checkLoad(t, seq400[11]! + 1, xaMkValue(seq400[8]!));
  });
});
