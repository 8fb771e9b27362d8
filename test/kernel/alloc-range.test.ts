// check_alloc_range and check_alloc_rev_range of lib/test_maple_tree.c (Linux 6.18): a real
// /proc/self/maps layout, its holes found by empty_area(_rev), and mtree_alloc_(r)range requests.
//
// The kernel's tables are byte addresses that every call shifts right by 12; we keep the byte
// addresses where they are exact doubles and apply the same shift (`pg`). Where the kernel writes a
// page number shifted left by 12 (beyond 2^53 in some rows) we give the page number itself, and
// -1 (ULONG_MAX) >> 12 is ULONG_MAX_PAGES.
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX, ZERO_ENTRY } from '../../src/index.js';
import { checkInsertRange, errnoOf } from './checks.js';
import { xaMkValue } from './helpers.js';

const pg = (bytes: number): number => Math.floor(bytes / 4096);
/** ULONG_MAX >> 12 on a 64-bit kernel. */
const ULONG_MAX_PAGES = 2 ** 52 - 1;
/** MTREE_ALLOC_MAX: everything from here up is reserved with XA_ZERO_ENTRY (not shifted). */
const MTREE_ALLOC_MAX = 2 ** 49;
const EBUSY = -16;

/** /proc/self/maps of a test run: [start, end) pairs in bytes. */
const RANGE = [
  0x565234af2000, 0x565234af4000, 0x565234af4000, 0x565234af9000, 0x565234af9000, 0x565234afb000,
  0x565234afc000, 0x565234afd000, 0x565234afd000, 0x565234afe000, 0x565235def000, 0x565235e10000,
  0x7f36d4bfd000, 0x7f36d4ee2000, 0x7f36d4ee2000, 0x7f36d4f04000, 0x7f36d4f04000, 0x7f36d504c000,
  0x7f36d504c000, 0x7f36d5098000, 0x7f36d5098000, 0x7f36d5099000, 0x7f36d5099000, 0x7f36d509d000,
  0x7f36d509d000, 0x7f36d509f000, 0x7f36d509f000, 0x7f36d50a5000, 0x7f36d50b9000, 0x7f36d50db000,
  0x7f36d50db000, 0x7f36d50dc000, 0x7f36d50dc000, 0x7f36d50fa000, 0x7f36d50fa000, 0x7f36d5102000,
  0x7f36d5102000, 0x7f36d5103000, 0x7f36d5103000, 0x7f36d5104000, 0x7f36d5104000, 0x7f36d5105000,
  0x7fff5876b000, 0x7fff5878d000, 0x7fff5878e000, 0x7fff58791000, 0x7fff58791000, 0x7fff58793000,
];

/** Holes between them: start (inclusive), end (exclusive), size, in bytes. */
const HOLES = [
  0x565234afb000, 0x565234afc000, 0x1000,
  0x565234afe000, 0x565235def000, 0x12f1000,
  0x565235e10000, 0x7f36d4bfd000, 0x28e49eded000,
];

function mapsTree(): MapleTree {
  const t = new MapleTree({ allocRange: true });
  t.storeRange(MTREE_ALLOC_MAX, MAX_INDEX, ZERO_ENTRY);
  for (let i = 0; i < RANGE.length; i += 2) {
    checkInsertRange(t, pg(RANGE[i]!), pg(RANGE[i + 1]!) - 1, xaMkValue(pg(RANGE[i]!)), 0);
    t.validate();
  }
  return t;
}

/** check_mtree_alloc_range / _rrange: the return value, and on success the index taken. */
function checkAlloc(t: MapleTree, rev: boolean, start: number, end: number, size: number, expected: number, eret: number, ptr: unknown): void {
  let got = expected + 1;
  const ret = errnoOf(() => {
    got = rev ? t.allocRRange(size, ptr, start, end) : t.allocRange(size, ptr, start, end);
  });
  expect(ret, `alloc${rev ? 'R' : ''}Range(${size}, [${start}, ${end}])`).toBe(eret);
  if (ret === 0) expect(got).toBe(expected);
}

describe('check_alloc_range', () => {
  // min, max, size, expected location, expected return: all page numbers.
  const REQ = [
    [pg(0x565234af9000), pg(0x7fff58791000), pg(0x1000), pg(0x565234afb000), 0], // first hole of one page
    [0, pg(0x7fff58791000), pg(0x1f00), 0, 0], // 0x1f00 bytes shift down to one page
    [34148797436, pg(0x7fff587af000), pg(0x3000), 34148798629, 0], // ascend
    [34148798623, 34148798683, pg(0x15000), 0, EBUSY], // too big for the window
    [34148798623, pg(0x7fff587af000), pg(0x10000), 34148798632, 0], // fills a whole gap
    [0, ULONG_MAX_PAGES, ULONG_MAX_PAGES, 0, EBUSY], // walks off the end of the root
    [0, ULONG_MAX_PAGES, 4503599618982063, 34359052178, EBUSY], // too large across everything
    [34148798648, 34148798648, pg(4096), 34148798648, 0], // a single index
  ] as const;

  it('holes found by mas_empty_area, then mtree_alloc_range requests', () => {
    const t = mapsTree();
    const mas = t.state(0);
    let min = 0x565234af2000;
    for (let i = 0; i < HOLES.length; i += 3) {
      mas.emptyArea(pg(min), pg(HOLES[i + 1]!), pg(HOLES[i + 2]!));
      expect(mas.index).toBe(pg(HOLES[i]!));
      min = HOLES[i + 1]!;
      mas.reset();
    }
    for (const [start, end, size, expected, eret] of REQ) {
      checkAlloc(t, false, start, end, size, expected, eret, xaMkValue(start));
      t.validate();
    }
  });
});

describe('check_alloc_rev_range', () => {
  const REQ = [
    [pg(0x565234af9000), pg(0x7fff58791000), pg(0x1000), 0x7fff5878d, 0], // first reverse hole of one page
    [0, 0x565234af0, pg(0x3000), 0x565234aee, 0], // max - 3
    [0, ULONG_MAX_PAGES, pg(0x1000), 562949953421311, 0], // just below MTREE_ALLOC_MAX
    [0, 0x7f36d5109, pg(0x4000), 0x7f36d5106, 0], // first reverse hole of four pages
    [0, 34148798628, 19, 34148797418, 0], // ascend
    [0, ULONG_MAX_PAGES, 562915594369134, 0, EBUSY], // too big
    [34148798725, 34148798725, 1, 34148798725, 0], // a single space
  ] as const;

  it('holes found by mas_empty_area_rev, mtree_alloc_rrange requests, and a gap after erases', () => {
    const t = mapsTree();
    const mas = t.state(0);
    let min = 0;
    for (let i = 0; i < HOLES.length; i += 3) {
      mas.emptyAreaRev(min, pg(HOLES[i + 1]!), pg(HOLES[i + 2]!));
      expect(mas.last + 1).toBe(pg(HOLES[i + 1]!));
      expect(mas.index).toBe(pg(HOLES[i + 1]!) - pg(HOLES[i + 2]!));
      min = pg(HOLES[i + 1]!);
      mas.reset();
    }
    for (const [start, end, size, expected, eret] of REQ) {
      checkAlloc(t, true, start, end, size, expected, eret, xaMkValue(start));
      t.validate();
    }
    t.allocator.setNonKernel(1);
    t.erase(34148798727);
    t.erase(34148798725);
    checkAlloc(t, true, 0, 34359052173, 210253414, 34148798725, 0, t);
  });
});
