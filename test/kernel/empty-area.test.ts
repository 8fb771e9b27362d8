// Gap-search tests of lib/test_maple_tree.c (Linux 6.18): mas_empty_area and mas_empty_area_rev
// at the edges of their windows, and filling an allocation tree until no gap is left.
import { describe, expect, it } from 'vitest';
import { ERRNO, MapleTree } from '../../src/index.js';
import { errnoOf } from './checks.js';
import { xaMkValue } from './helpers.js';

const { EBUSY, EINVAL } = ERRNO;

describe('check_empty_area_window', () => {
  it('gaps that do and do not fit the window, both directions', () => {
    const t = new MapleTree({ allocRange: true });
    for (let i = 1; i <= 20; i++) t.storeRange(i * 10, i * 10 + 9, xaMkValue(i));
    // A second hole, besides [0, 9].
    t.storeRange(160, 169, undefined);
    const mas = t.state(0, 0);
    const rev = (min: number, max: number, size: number): number => {
      mas.reset();
      return errnoOf(() => mas.emptyAreaRev(min, max, size));
    };
    const fwd = (min: number, max: number, size: number): number => {
      mas.reset();
      return errnoOf(() => mas.emptyArea(min, max, size));
    };

    // The window's lower bound cuts the gap at 0 too short.
    expect(rev(5, 90, 10)).toBe(EBUSY);
    expect(rev(6, 90, 5)).toBe(EBUSY);
    // Just long enough.
    expect(rev(5, 90, 5)).toBe(0);
    expect(mas.index).toBe(5);
    expect(mas.last).toBe(9);

    // The higher gap fits, the lower one does not.
    expect(rev(5, 217, 9)).toBe(0);
    expect(mas.index).toBe(161);
    expect(mas.last).toBe(169);
    // The gap past the last entry, above the minimum.
    expect(rev(100, 218, 3)).toBe(0);
    expect(mas.index).toBe(216);
    expect(mas.last).toBe(218);
    // Larger than any gap.
    expect(rev(100, 218, 16)).toBe(EBUSY);
    // The gap fits, but not above the window's minimum ...
    expect(rev(167, 200, 4)).toBe(EBUSY);
    // ... or below its maximum.
    expect(rev(100, 162, 4)).toBe(EBUSY);

    expect(fwd(0, 100, 9)).toBe(0);
    expect(mas.index).toBe(0);
    expect(mas.last).toBe(8);
    expect(fwd(0, 100, 4)).toBe(0);
    expect(mas.index).toBe(0);
    expect(mas.last).toBe(3);
    expect(fwd(0, 100, 11)).toBe(EBUSY);
    expect(fwd(5, 100, 6)).toBe(EBUSY);
    // A window smaller than the size asked for.
    expect(fwd(0, 8, 10)).toBe(EINVAL);
    // The kernel ignores this one's result.
    fwd(100, 165, 3);
    expect(fwd(100, 163, 6)).toBe(EBUSY);
  });
});

describe('check_empty_area_fill', () => {
  it('fills [0, 0x25D78000] by gap search, then finds a gap left deep in the tree', () => {
    const max = 0x25d78000;
    const t = new MapleTree({ allocRange: true });
    const mas = t.state(0, 0);
    t.allocator.setNonKernel(99999);
    for (let shift = 12; shift <= 16; shift++) {
      const size = 2 ** shift;
      for (let loop = 0; loop < 5000; loop++) {
        mas.set(0);
        expect(errnoOf(() => mas.emptyArea(0, max, size))).toBe(0);
        expect(mas.last).toBe(mas.index + size - 1);
        mas.storeGfp(size, 'kernel');
        mas.reset();
      }
    }

    // Full.
    expect(errnoOf(() => mas.emptyArea(0, max, 0x1000))).toBe(EBUSY);

    // A depth-3 node filled to the brim.
    for (let i = 629440511; i <= 629440800; i += 6) t.storeRange(i, i + 5, i);
    // Room made in the second-last and in the last depth-4 node.
    t.erase(631668735);
    t.erase(629506047);
    mas.reset();
    // Searching from just after the second-last one's gap.
    expect(errnoOf(() => mas.emptyArea(629506048, 690000000, 0x5000))).toBe(0);
    t.allocator.setNonKernel(0);
  });
});
