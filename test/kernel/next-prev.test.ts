// next_prev_test of lib/test_maple_tree.c (Linux 6.18): mas_next/mas_prev inside a leaf, across
// leaves and across two levels, off either end and back, and the prev limit below an entry.
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX } from '../../src/index.js';
import { xaMkValue } from './helpers.js';

describe('next_prev_test', () => {
  // The 64-bit figures: 201 entries, and the level-2 crossing between 710 and 720.
  const nrEntries = 200;
  const level2 = [707, 1000, 710, 715, 720, 725] as const;
  const lastIndex = 0x7d6;

  function build(): MapleTree {
    const t = new MapleTree({ allocRange: true });
    for (let i = 0; i <= nrEntries; i++) t.storeRange(i * 10, i * 10 + 5, xaMkValue(i));
    return t;
  }

  function expectAt(mas: ReturnType<MapleTree['state']>, val: unknown, want: unknown, index: number, last: number): void {
    expect(val).toBe(want);
    expect([mas.index, mas.last]).toEqual([index, last]);
  }

  it('mas_next runs, mas_for_each and a paused mas_for_each', () => {
    const t = build();
    const mas = t.state(0);
    for (let i = 0; i <= nrEntries / 2; i++) {
      mas.next(1000);
      if (mas.status === 'none') break;
    }
    mas.reset();
    mas.set(0);
    let n = 0;
    for (let e = mas.find(1000); e !== undefined; e = mas.find(1000)) n++;
    expect(n).toBe(101);
    mas.reset();
    mas.set(0);
    n = 0;
    for (let e = mas.find(1000); e !== undefined; e = mas.find(1000)) {
      mas.pause();
      n++;
    }
    expect(n).toBe(101);
  });

  it('simple next and prev around a NULL range, and across a leaf boundary', () => {
    const t = build();
    const mas = t.state(0);
    mas.set(686);
    expect(mas.walk()).toBeUndefined();
    expectAt(mas, mas.next(1000), xaMkValue(69), 690, 695);
    expectAt(mas, mas.prev(0), xaMkValue(68), 680, 685);
    expectAt(mas, mas.next(1000), xaMkValue(69), 690, 695);
    expectAt(mas, mas.next(1000), xaMkValue(70), 700, 705);

    mas.set(70);
    expectAt(mas, mas.walk(), xaMkValue(7), 70, 75);
    expectAt(mas, mas.next(1000), xaMkValue(8), 80, 85);
    expectAt(mas, mas.prev(70), xaMkValue(7), 70, 75);
  });

  it('across two levels of the tree', () => {
    const t = build();
    const mas = t.state(0);
    mas.set(level2[0]);
    expect(mas.walk()).toBeUndefined();
    expectAt(mas, mas.next(level2[1]), xaMkValue(level2[2] / 10), level2[2], level2[3]);
    const leaf = mas.node;
    expectAt(mas, mas.next(level2[1]), xaMkValue(level2[4] / 10), level2[4], level2[5]);
    expect(mas.node).not.toBe(leaf);
    expectAt(mas, mas.prev(0), xaMkValue(level2[2] / 10), level2[2], level2[3]);
  });

  it('off the end and back, off the start and back', () => {
    const t = build();
    const mas = t.state(0);
    mas.set(nrEntries * 10);
    expectAt(mas, mas.walk(), xaMkValue(nrEntries), nrEntries * 10, nrEntries * 10 + 5);
    expectAt(mas, mas.next(MAX_INDEX), undefined, lastIndex, MAX_INDEX);
    expectAt(mas, mas.prev(0), xaMkValue(nrEntries), nrEntries * 10, nrEntries * 10 + 5);

    mas.reset();
    mas.set(10);
    expectAt(mas, mas.walk(), xaMkValue(1), 10, 15);
    expectAt(mas, mas.prev(0), xaMkValue(0), 0, 5);
    expectAt(mas, mas.prev(0), undefined, 0, 5);
    expect(mas.status).toBe('underflow');

    // The kernel sets index/last by hand and stores with the state still in underflow.
    mas.index = 0;
    mas.last = 5;
    mas.store(undefined);
    mas.reset();
    mas.set(10);
    mas.walk();
    expectAt(mas, mas.prev(0), undefined, 0, 9);
  });

  it('mas_prev with a limit above the previous entry finds nothing', () => {
    const t = new MapleTree();
    t.storeRange(0, 0, xaMkValue(0));
    t.storeRange(5, 5, xaMkValue(5));
    const mas = t.state(5);
    expect(mas.prev(4)).toBeUndefined();
  });
});
