// A fail-nth sweep over every kind of write and over dup: fail the n-th allocation for n = 1, 2, …
// until the operation succeeds; each failure must leave the tree exactly as it was (and valid) and
// the live-node count where it was; then the successful result must match the reference model.
import { describe, expect, it } from 'vitest';
import { type MapleError, MapleTree, MAX_INDEX } from '../../src/index.js';
import { dupTree, planStore } from '../../src/internals.js';
import { RangeModel } from './reference-model.js';

function build(n: number, allocRange: boolean, rcu: boolean): { t: MapleTree; m: RangeModel } {
  const t = new MapleTree({ allocRange, rcu });
  const m = new RangeModel();
  for (let i = 0; i < n; i++) {
    t.storeRange(i * 10, i * 10 + 5, i);
    m.storeRange(i * 10, i * 10 + 5, i);
  }
  return { t, m };
}

// [first, last, entry] stores that exercise each store type on a 200-range tree.
const WRITES: Array<[string, number, number, unknown]> = [
  ['exact fit', 30, 35, 'x'],
  ['slot store', 34, 39, 'x'],
  ['node store', 32, 33, 'x'],
  ['split', 1001, 1002, 'x'],
  ['spanning store', 95, 1234, 'x'],
  ['spanning NULL', 95, 1234, undefined],
  ['rebalance by NULL', 1000, 1005, undefined],
  ['new root', 0, MAX_INDEX, 'x'],
  ['append', 5000, 6000, 'x'],
];

describe('fail-nth sweep', () => {
  for (const allocRange of [false, true]) {
    for (const rcu of [false, true]) {
      for (const [name, first, last, entry] of WRITES) {
        it(`${name} (allocRange ${allocRange}, rcu ${rcu})`, () => {
          let succeeded = false;
          for (let n = 1; n < 50 && !succeeded; n++) {
            const { t, m } = build(200, allocRange, rcu);
            const before = JSON.stringify([...t]);
            const live = t.allocator.live;
            const height = t.height;
            // mas_store (no mas_nomem retry, which would hide a single failure), GFP_NOWAIT allowed.
            t.allocator.setNonKernel(1000);
            t.allocator.failNth(n);
            const mas = t.state(first, last);
            mas.store(entry);
            if (mas.status !== 'error') {
              succeeded = true;
            } else {
              expect(mas.error).toBe('ENOMEM');
              expect(JSON.stringify([...t])).toBe(before);
              expect(t.allocator.live).toBe(live);
              expect(t.height).toBe(height);
              t.validate();
              continue;
            }
            m.storeRange(first, last, entry);
            t.validate();
            expect([...t]).toEqual(m.visible());
            // Stores that need no node succeed at once; the others only once the fault has passed.
            const need = planStore(build(200, allocRange, rcu).t, first, last, entry).need;
            expect(n === 1).toBe(need === 0);
          }
          expect(succeeded).toBe(true);
        });
      }
    }
  }

  it('dup: a failed copy leaves the destination empty and the live count unchanged', () => {
    for (let n = 1; ; n++) {
      const { t } = build(500, true, false);
      const copy = new MapleTree({ allocRange: true, allocator: t.allocator });
      const live = t.allocator.live;
      t.allocator.failNth(n);
      try {
        dupTree(t, copy, 'kernel');
      } catch (e) {
        expect((e as MapleError).code).toBe('ENOMEM');
        expect(copy.isEmpty).toBe(true);
        expect(t.allocator.live).toBe(live);
        continue;
      }
      copy.validate();
      expect([...copy]).toEqual([...t]);
      break;
    }
  });
});
