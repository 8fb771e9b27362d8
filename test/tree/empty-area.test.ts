/**
 * mas_empty_area / mas_empty_area_rev against the reference model's gap search, on allocation
 * trees of several heights, near 0 and near MAX_INDEX; the EINVAL / EBUSY cases; the empty and
 * root-pointer trees (mas_sparse_area).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INDEX } from '../../src/tree/constants.js';
import { masEmptyArea, masEmptyAreaRev } from '../../src/tree/empty-area.js';
import { ERRNO } from '../../src/tree/errors.js';
import { Mas } from '../../src/tree/mas.js';
import { MapleTree } from '../../src/tree/tree.js';
import { RangeModel } from './reference-model.js';

describe('empty area: argument and sparse cases', () => {
  it('EINVAL for min > max, size 0, and a window smaller than size', () => {
    const tree = new MapleTree({ allocRange: true });
    const mas = new Mas(tree, 0);
    expect(masEmptyArea(mas, 10, 5, 1)).toBe(ERRNO.EINVAL);
    expect(masEmptyArea(mas, 0, 5, 0)).toBe(ERRNO.EINVAL);
    expect(masEmptyArea(mas, 0, 5, 7)).toBe(ERRNO.EINVAL);
    expect(masEmptyAreaRev(mas, 10, 5, 1)).toBe(ERRNO.EINVAL);
    expect(masEmptyAreaRev(mas, 0, 5, 0)).toBe(ERRNO.EINVAL);
    expect(masEmptyAreaRev(mas, 0, 5, 7)).toBe(ERRNO.EINVAL);
  });

  it('an empty tree offers the window edges', () => {
    const tree = new MapleTree({ allocRange: true });
    const mas = new Mas(tree, 0);
    expect(masEmptyArea(mas, 0, 100, 10)).toBe(0);
    expect([mas.index, mas.last]).toEqual([0, 9]);
    mas.status = 'start';
    expect(masEmptyAreaRev(mas, 0, 100, 10)).toBe(0);
    expect([mas.index, mas.last]).toEqual([91, 100]);
    mas.status = 'start';
    expect(masEmptyAreaRev(mas, 0, MAX_INDEX, 1)).toBe(0);
    expect([mas.index, mas.last]).toEqual([MAX_INDEX, MAX_INDEX]);
  });

  it('a root-pointer tree keeps index 0 for its entry', () => {
    const tree = new MapleTree({ allocRange: true });
    tree.store(0, 'root');
    expect(tree.root).toBeNull();
    const mas = new Mas(tree, 0);
    expect(masEmptyArea(mas, 0, 100, 10)).toBe(0);
    expect([mas.index, mas.last]).toEqual([1, 10]);
    mas.status = 'start';
    expect(masEmptyArea(mas, 0, 1, 2)).toBe(ERRNO.EBUSY);
    mas.status = 'start';
    expect(masEmptyAreaRev(mas, 0, 0, 1)).toBe(ERRNO.EBUSY);
  });

  it('EBUSY leaves the cursor in error with EBUSY when the walk runs out', () => {
    const tree = new MapleTree({ allocRange: true });
    for (let i = 0; i < 200; i++) tree.storeRange(i * 10, i * 10 + 8, i + 1);
    const mas = new Mas(tree, 0);
    expect(masEmptyArea(mas, 0, 1990, 2)).toBe(ERRNO.EBUSY);
    expect(mas.status).toBe('error');
    expect(mas.error).toBe('EBUSY');
    mas.status = 'start';
    expect(masEmptyAreaRev(mas, 0, 1998, 2)).toBe(ERRNO.EBUSY);
    mas.status = 'start';
    expect(masEmptyArea(mas, 0, 1990, 1)).toBe(0);
    expect([mas.index, mas.last]).toEqual([9, 9]);
    mas.status = 'start';
    expect(masEmptyAreaRev(mas, 0, 1990, 1)).toBe(0);
    expect([mas.index, mas.last]).toEqual([1989, 1989]);
  });
});

describe('empty area regressions', () => {
  it('rev search over a single full leaf slot fails with EBUSY (property seed: insert [0,4], allocRRange(1, 0, 4))', () => {
    const tree = new MapleTree({ allocRange: true });
    tree.insertRange(0, 4, 1);
    const mas = new Mas(tree, 0);
    expect(masEmptyAreaRev(mas, 0, 4, 1)).toBe(ERRNO.EBUSY);
    expect([mas.status, mas.error]).toEqual(['error', 'EBUSY']);
    expect(() => tree.allocRRange(1, 2, 0, 4)).toThrow(expect.objectContaining({ code: 'EBUSY' }));
  });
});

describe('empty area against the reference model', () => {
  for (const base of [0, MAX_INDEX - 6000]) {
    it(`lowest and highest fits (base ${base})`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ a: fc.integer({ min: 0, max: 5000 }), len: fc.integer({ min: 0, max: 40 }), erase: fc.boolean() }), { maxLength: 500 }),
          fc.array(fc.record({ lo: fc.integer({ min: 0, max: 5500 }), span: fc.integer({ min: 0, max: 3000 }), size: fc.integer({ min: 1, max: 30 }) }), { minLength: 1, maxLength: 8 }),
          (ops, queries) => {
            const tree = new MapleTree({ allocRange: true });
            const model = new RangeModel();
            let v = 1;
            for (const op of ops) {
              const a = base + op.a;
              const b = Math.min(a + op.len, MAX_INDEX);
              const entry = op.erase ? undefined : v++;
              tree.storeRange(a, b, entry);
              model.storeRange(a, b, entry);
            }
            for (const q of queries) {
              const lo = Math.min(base + q.lo, MAX_INDEX);
              const hi = Math.min(lo + q.span, MAX_INDEX);
              for (const rev of [false, true]) {
                const mas = new Mas(tree, 0);
                const ret = rev ? masEmptyAreaRev(mas, lo, hi, q.size) : masEmptyArea(mas, lo, hi, q.size);
                if (hi - lo < q.size - 1) {
                  expect(ret).toBe(ERRNO.EINVAL);
                  continue;
                }
                const want = model.gap(lo, hi, q.size, rev);
                if (want < 0) {
                  expect(ret).toBe(ERRNO.EBUSY);
                } else {
                  expect(ret).toBe(0);
                  expect([mas.index, mas.last]).toEqual([want, want + q.size - 1]);
                }
              }
            }
          },
        ),
        { numRuns: 80, seed: 4242 + (base === 0 ? 0 : 1) },
      );
    });
  }
});
