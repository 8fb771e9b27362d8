/**
 * mprotect and madvise over a range of several VMAs are all or nothing in the model (vma-plan.ts;
 * Linux 6.18 changes each VMA as it goes). On random layouts — anonymous and file VMAs, faulted and
 * swapped pages, neighbours that merge and ones that do not, holes — every call is made once for
 * each of its allocations failing (ENOMEM injected at the n-th, for every n until none is left), and
 * once without a fault: a failed call leaves validateMm holding and the maps, page tables and
 * counters exactly as they were; the call that succeeds leaves what a call never faulted leaves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Kernel, MADV_DODUMP, MADV_DOFORK, MADV_DONTDUMP, MADV_DONTFORK, MADV_DONTNEED, MADV_KEEPONFORK, MADV_NORMAL, MADV_PAGEOUT,
  MADV_RANDOM, MADV_SEQUENTIAL, MADV_WIPEONFORK, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MAP_SHARED, MmError, PAGE_SIZE, PROT_EXEC,
  PROT_NONE, PROT_READ, PROT_WRITE, createMm, fault, findLeaks, madvise, mmap, mprotect, munmap, validateMm, type Mm,
} from '../../src/mm/index.js';
import { mmSnapshot } from './world.js';

const LO = 0x40000000;
const PAGES = 24;
const RW = PROT_READ | PROT_WRITE;
const PROTS = [PROT_NONE, PROT_READ, RW, PROT_READ | PROT_EXEC];
const ADVICE = [MADV_DONTFORK, MADV_DOFORK, MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_DONTDUMP, MADV_DODUMP, MADV_NORMAL, MADV_RANDOM,
  MADV_SEQUENTIAL, MADV_DONTNEED, MADV_PAGEOUT];

/** One step of building the layout: a mapping, a hole, a fault, or a change that splits. */
type Build =
  | { readonly k: 'mmap'; readonly p: number; readonly n: number; readonly prot: number; readonly file: 'none' | 'private' | 'shared' }
  | { readonly k: 'munmap'; readonly p: number; readonly n: number }
  | { readonly k: 'fault'; readonly p: number; readonly w: boolean }
  | { readonly k: 'mprotect'; readonly p: number; readonly n: number; readonly prot: number }
  | { readonly k: 'madvise'; readonly p: number; readonly n: number; readonly adv: number };

/** The call under test. */
type Call = { readonly k: 'mprotect'; readonly p: number; readonly n: number; readonly prot: number } | { readonly k: 'madvise'; readonly p: number; readonly n: number; readonly adv: number };

const page = fc.nat(PAGES - 1);
const pages = fc.integer({ min: 1, max: 8 });
const prot = fc.constantFrom(...PROTS);
const adv = fc.constantFrom(...ADVICE);
const build: fc.Arbitrary<Build> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('mmap' as const), p: page, n: pages, prot, file: fc.constantFrom('none' as const, 'private' as const, 'shared' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('munmap' as const), p: page, n: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('fault' as const), p: page, w: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('mprotect' as const), p: page, n: pages, prot }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('madvise' as const), p: page, n: pages, adv }) },
);
const call: fc.Arbitrary<Call> = fc.oneof(
  fc.record({ k: fc.constant('mprotect' as const), p: page, n: fc.integer({ min: 1, max: PAGES }), prot }),
  fc.record({ k: fc.constant('madvise' as const), p: page, n: fc.integer({ min: 1, max: PAGES }), adv }),
);

type Allocate = (site: string, n: number) => boolean;

/** Runs `f`, turning an MmError into its code; anything else is a failure of the test. */
function attempt(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof MmError) return e.code;
    throw e;
  }
}

function layout(steps: readonly Build[]): { kernel: Kernel; mm: Mm } {
  const kernel = new Kernel();
  const mm = createMm(kernel);
  const file = kernel.file('/atomic/file', PAGES * PAGE_SIZE);
  for (const s of steps) {
    const start = LO + s.p * PAGE_SIZE;
    const len = s.k === 'fault' ? PAGE_SIZE : Math.min(s.n, PAGES - s.p) * PAGE_SIZE;
    attempt(() => {
      if (s.k === 'mmap') {
        const flags = MAP_FIXED | (s.file === 'shared' ? MAP_SHARED : MAP_PRIVATE) | (s.file === 'none' ? MAP_ANONYMOUS : 0);
        mmap(mm, start, len, s.prot, flags, s.file === 'none' ? null : file, s.file === 'none' ? 0 : s.p * PAGE_SIZE);
      } else if (s.k === 'munmap') munmap(mm, start, len);
      else if (s.k === 'fault') fault(mm, start, s.w);
      else if (s.k === 'mprotect') mprotect(mm, start, len, s.prot);
      else madvise(mm, start, len, s.adv);
    });
  }
  validateMm(mm);
  return { kernel, mm };
}

function run(mm: Mm, c: Call, allocate?: Allocate): string | null {
  const start = LO + c.p * PAGE_SIZE;
  const len = Math.min(c.n, PAGES - c.p) * PAGE_SIZE;
  const sync = allocate ? { allocate } : undefined;
  return attempt(() => (c.k === 'mprotect' ? mprotect(mm, start, len, c.prot, sync) : madvise(mm, start, len, c.adv, sync)));
}

describe('mprotect and madvise over several VMAs are all or nothing', () => {
  it('a failed call (a hole, a refused VMA, ENOMEM at any allocation) leaves the mm exactly as it was', () => {
    fc.assert(fc.property(fc.array(build, { minLength: 1, maxLength: 14 }), call, (steps, c) => {
      // The call without a fault: what every successful attempt must leave.
      const clean = layout(steps);
      const cleanBefore = mmSnapshot(clean.kernel, clean.mm);
      const cleanErr = run(clean.mm, c);
      validateMm(clean.mm);
      const cleanAfter = mmSnapshot(clean.kernel, clean.mm);
      if (cleanErr !== null) expect(cleanAfter, `${c.k} failed with ${cleanErr} and changed the mm`).toBe(cleanBefore);
      for (let nth = 1; ; nth++) {
        const { kernel, mm } = layout(steps);
        const before = mmSnapshot(kernel, mm);
        expect(before).toBe(cleanBefore);
        let fired = false;
        const err = run(mm, c, (_site, n) => {
          if (n !== nth) return true;
          fired = true;
          return false;
        });
        validateMm(mm);
        expect(findLeaks(kernel, [mm])).toEqual([]);
        if (!fired) {
          expect(err).toBe(cleanErr);
          expect(mmSnapshot(kernel, mm)).toBe(cleanAfter);
          break;
        }
        expect(err, `allocation ${nth} failed`).toBe('ENOMEM');
        expect(mmSnapshot(kernel, mm), `allocation ${nth} failed`).toBe(before);
      }
    }), { numRuns: 200, seed: 20261201 });
  });

  it('a hole after a VMA that would change: ENOMEM, and the VMA before the hole keeps its flags (Linux changes it)', () => {
    const { kernel, mm } = layout([
      { k: 'mmap', p: 0, n: 4, prot: RW, file: 'none' },
      { k: 'mmap', p: 6, n: 2, prot: RW, file: 'none' },
    ]);
    const before = mmSnapshot(kernel, mm);
    expect(run(mm, { k: 'mprotect', p: 0, n: 8, prot: PROT_READ })).toBe('ENOMEM');
    expect(run(mm, { k: 'madvise', p: 0, n: 8, adv: MADV_DONTFORK })).toBe('ENOMEM');
    expect(run(mm, { k: 'madvise', p: 0, n: 8, adv: MADV_DONTNEED })).toBe('ENOMEM');
    expect(mmSnapshot(kernel, mm)).toBe(before);
  });

  it('a refused VMA after one that would change: the kernel\'s errno, and nothing changes', () => {
    const { kernel, mm } = layout([
      { k: 'mmap', p: 0, n: 2, prot: RW, file: 'none' },
      { k: 'mmap', p: 2, n: 2, prot: PROT_READ, file: 'private' },
    ]);
    const before = mmSnapshot(kernel, mm);
    // MADV_WIPEONFORK on a file VMA is EINVAL; the anonymous VMA before it would have taken the flag.
    expect(run(mm, { k: 'madvise', p: 0, n: 4, adv: MADV_WIPEONFORK })).toBe('EINVAL');
    expect(mmSnapshot(kernel, mm)).toBe(before);
  });

  it('ENOMEM at the last VMA\'s split: the first VMA is not split either (Linux leaves it split and changed)', () => {
    const steps: Build[] = [
      { k: 'mmap', p: 0, n: 4, prot: RW, file: 'none' },
      { k: 'mmap', p: 4, n: 4, prot: RW, file: 'private' },
    ];
    const counted = layout(steps);
    let total = 0;
    expect(run(counted.mm, { k: 'mprotect', p: 2, n: 4, prot: PROT_READ }, () => {
      total++;
      return true;
    })).toBeNull();
    // Two splits, one in each VMA: the last allocation belongs to the second VMA's.
    expect(counted.mm.mapCount).toBe(4);
    const { kernel, mm } = layout(steps);
    const before = mmSnapshot(kernel, mm);
    expect(run(mm, { k: 'mprotect', p: 2, n: 4, prot: PROT_READ }, (_site, n) => n !== total)).toBe('ENOMEM');
    expect(mm.mapCount).toBe(2);
    expect(mmSnapshot(kernel, mm)).toBe(before);
    validateMm(mm);
  });
});
