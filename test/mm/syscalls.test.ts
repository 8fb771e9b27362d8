import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MADV_DOFORK, MADV_DONTFORK, MADV_DONTNEED, MADV_PAGEOUT, MADV_WIPEONFORK, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_POPULATE,
  MAP_PRIVATE, MAP_SHARED, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, VM_DONTCOPY, VM_WIPEONFORK,
} from '../../src/mm/constants.js';
import { MmError } from '../../src/mm/errno.js';
import { Kernel } from '../../src/mm/kernel.js';
import { findLeaks } from '../../src/mm/leaks.js';
import { formatMaps } from '../../src/mm/maps.js';
import type { Mm } from '../../src/mm/mm.js';
import { sysFault, sysMprotect, sysMunmap } from '../../src/mm/syscalls.js';
import { validateMm } from '../../src/mm/validate.js';
import { mmSnapshot } from './world.js';
import { explore, runSync, type Model, type Task } from '../../src/explore/index.js';
import { Vma } from '../../src/mm/vma.js';
import { brk, fault, madvise, mmap, mprotect, munmap } from '../../src/mm/syscalls-sync.js';
import { createMm } from '../../src/mm/mm.js';

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const BASE = 0x7f0000000000;

function fresh(): { kernel: Kernel; mm: Mm } {
  const kernel = new Kernel();
  const mm = createMm(kernel);
  mm.mmapBase = BASE;
  return { kernel, mm };
}

const hex = (n: number): string => n.toString(16).padStart(8, '0');
/** Expected maps lines for anonymous VMAs: [start, end, perms]. */
function anonMaps(...vmas: Array<[number, number, string]>): string {
  return vmas.map(([s, e, p]) => `${hex(s)}-${hex(e)} ${p} 00000000 00:00 0 \n`).join('');
}

describe('mmap', () => {
  it('places mappings top-down below mmap_base and merges compatible neighbours', () => {
    const { mm } = fresh();
    const a = mmap(mm, 0, 4 * PAGE_SIZE, RW, ANON);
    const b = mmap(mm, 0, 2 * PAGE_SIZE, RW, ANON);
    expect(a).toBe(BASE - 4 * PAGE_SIZE);
    expect(b).toBe(a - 2 * PAGE_SIZE);
    // b continues a (same flags, anonymous offsets line up): one VMA.
    expect(formatMaps(mm)).toBe(anonMaps([b, BASE, 'rw-p']));
    expect(mm.mapCount).toBe(1);
    const c = mmap(mm, 0, PAGE_SIZE, PROT_READ, ANON);
    expect(formatMaps(mm)).toBe(anonMaps([c, b, 'r--p'], [b, BASE, 'rw-p']));
    validateMm(mm);
  });

  it('honours a free hint, and MAP_FIXED replaces what is there', () => {
    const { mm } = fresh();
    const hint = 0x10000000;
    expect(mmap(mm, hint, 8 * PAGE_SIZE, RW, ANON)).toBe(hint);
    fault(mm, hint + PAGE_SIZE, true);
    mmap(mm, hint + 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ, ANON | MAP_FIXED);
    expect(formatMaps(mm)).toBe(anonMaps([hint, hint + 0x2000, 'rw-p'], [hint + 0x2000, hint + 0x4000, 'r--p'], [hint + 0x4000, hint + 0x8000, 'rw-p']));
    expect(mm.pt.anonPages).toBe(1);
    validateMm(mm);
  });

  it('MAP_FIXED_NOREPLACE over a mapping is EEXIST; bad arguments are EINVAL', () => {
    const { mm } = fresh();
    mmap(mm, 0x10000000, PAGE_SIZE, RW, ANON);
    expect(() => mmap(mm, 0x10000000, PAGE_SIZE, RW, ANON | MAP_FIXED_NOREPLACE)).toThrow(/EEXIST/);
    expect(() => mmap(mm, 0, 0, RW, ANON)).toThrow(/EINVAL/);
    expect(() => mmap(mm, 0x10000001, PAGE_SIZE, RW, ANON | MAP_FIXED)).toThrow(/EINVAL/);
    expect(() => mmap(mm, 0, PAGE_SIZE, RW, MAP_ANONYMOUS)).toThrow(MmError);
  });

  it('maps files at their offsets and joins the i_mmap; consecutive offsets merge', () => {
    const { kernel, mm } = fresh();
    const f = kernel.file('/lib/libz.so', 0x10000);
    mmap(mm, 0x200000, 0x2000, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, f, 0);
    mmap(mm, 0x202000, 0x1000, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, f, 0x2000);
    mmap(mm, 0x203000, 0x1000, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, f, 0x8000);
    expect(formatMaps(mm)).toBe(
      `00200000-00203000 r-xp 00000000 00:00 1${' '.repeat(34)}/lib/libz.so\n` +
      `00203000-00204000 r-xp 00008000 00:00 1${' '.repeat(34)}/lib/libz.so\n`);
    expect(f.mapping.iMmap.size).toBe(2);
    const shared = mmap(mm, 0, 0x1000, RW, MAP_SHARED, f, 0);
    expect(f.mapping.writable).toBe(1);
    munmap(mm, shared, 0x1000);
    expect(f.mapping.writable).toBe(0);
    validateMm(mm);
  });

  it('MAP_POPULATE faults every page in', () => {
    const { mm } = fresh();
    mmap(mm, 0, 3 * PAGE_SIZE, RW, ANON | MAP_POPULATE);
    expect(mm.pt.anonPages).toBe(3);
    validateMm(mm);
  });
});

describe('munmap, mprotect, madvise, brk', () => {
  it('munmap punches a hole (split) and frees its pages', () => {
    const { kernel, mm } = fresh();
    const a = mmap(mm, 0, 8 * PAGE_SIZE, RW, ANON | MAP_POPULATE);
    munmap(mm, a + 2 * PAGE_SIZE, 3 * PAGE_SIZE);
    expect(formatMaps(mm)).toBe(anonMaps([a, a + 0x2000, 'rw-p'], [a + 0x5000, a + 0x8000, 'rw-p']));
    expect(mm.pt.anonPages).toBe(5);
    expect(kernel.anonPages).toBe(5);
    munmap(mm, a, 8 * PAGE_SIZE);
    expect(mm.mapCount).toBe(0);
    expect(mm.pt.tables.size).toBe(0);
    expect(findLeaks(kernel, [mm])).toEqual([]);
  });

  it('mprotect splits a VMA and merges it back', () => {
    const { mm } = fresh();
    const a = mmap(mm, 0, 6 * PAGE_SIZE, RW, ANON);
    mprotect(mm, a + PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ);
    expect(formatMaps(mm)).toBe(anonMaps([a, a + 0x1000, 'rw-p'], [a + 0x1000, a + 0x3000, 'r--p'], [a + 0x3000, a + 0x6000, 'rw-p']));
    mprotect(mm, a + PAGE_SIZE, 2 * PAGE_SIZE, RW);
    expect(formatMaps(mm)).toBe(anonMaps([a, a + 0x6000, 'rw-p']));
    validateMm(mm);
    // A hole in the range: ENOMEM, and (unlike Linux, which changes the part before the hole) nothing changes.
    munmap(mm, a + 3 * PAGE_SIZE, PAGE_SIZE);
    expect(() => mprotect(mm, a, 6 * PAGE_SIZE, PROT_READ)).toThrow(/ENOMEM/);
    expect(formatMaps(mm)).toBe(anonMaps([a, a + 0x3000, 'rw-p'], [a + 0x4000, a + 0x6000, 'rw-p']));
    validateMm(mm);
  });

  it('mprotect making private memory writable charges it once', () => {
    const { kernel, mm } = fresh();
    const a = mmap(mm, 0, 4 * PAGE_SIZE, PROT_READ, ANON);
    expect(kernel.committed).toBe(0);
    mprotect(mm, a, 4 * PAGE_SIZE, RW);
    expect(kernel.committed).toBe(4);
    mprotect(mm, a, 4 * PAGE_SIZE, PROT_READ);
    mprotect(mm, a, 4 * PAGE_SIZE, RW);
    expect(kernel.committed).toBe(4);
    validateMm(mm);
  });

  it('madvise DONTFORK/DOFORK split and merge; WIPEONFORK is for private anonymous memory only', () => {
    const { kernel, mm } = fresh();
    const a = mmap(mm, 0, 4 * PAGE_SIZE, RW, ANON);
    madvise(mm, a + PAGE_SIZE, PAGE_SIZE, MADV_DONTFORK);
    expect(mm.mapCount).toBe(3);
    expect((mm.mmMt.load(a + PAGE_SIZE) as Vma).vmFlags & VM_DONTCOPY).toBe(VM_DONTCOPY);
    madvise(mm, a + PAGE_SIZE, PAGE_SIZE, MADV_DOFORK);
    expect(mm.mapCount).toBe(1);
    madvise(mm, a, 4 * PAGE_SIZE, MADV_WIPEONFORK);
    expect((mm.mmMt.load(a) as Vma).vmFlags & VM_WIPEONFORK).toBe(VM_WIPEONFORK);
    const f = kernel.file('/data', 0x4000);
    const m = mmap(mm, 0, 0x1000, PROT_READ, MAP_PRIVATE, f, 0);
    expect(() => madvise(mm, m, 0x1000, MADV_WIPEONFORK)).toThrow(/EINVAL/);
    validateMm(mm);
  });

  it('MADV_PAGEOUT pushes pages to swap and puts the mm on the mmlist; MADV_DONTNEED drops them', () => {
    const { kernel, mm } = fresh();
    const a = mmap(mm, 0, 4 * PAGE_SIZE, RW, ANON | MAP_POPULATE);
    madvise(mm, a, 2 * PAGE_SIZE, MADV_PAGEOUT);
    expect(mm.pt.swapEntries).toBe(2);
    expect(kernel.mmlist).toEqual([mm]);
    fault(mm, a, false);
    expect(mm.pt.swapEntries).toBe(1);
    madvise(mm, a, 4 * PAGE_SIZE, MADV_DONTNEED);
    expect(mm.pt.ptes.size).toBe(0);
    expect(kernel.swap.used).toBe(0);
    validateMm(mm);
  });

  it('brk grows the heap in place, refuses to reach the next mapping, and shrinks', () => {
    const { kernel, mm } = fresh();
    mm.startBrk = mm.brk = 0x600000;
    expect(brk(mm, 0x602000)).toBe(0x602000);
    expect(brk(mm, 0x605123)).toBe(0x605123);
    expect(mm.mapCount).toBe(1);
    expect(formatMaps(mm)).toBe(`00600000-00606000 rw-p 00000000 00:00 0${' '.repeat(34)}[heap]\n`);
    mmap(mm, 0x607000, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED);
    expect(brk(mm, 0x607000)).toBe(0x605123);
    expect(brk(mm, 0x601000)).toBe(0x601000);
    expect(kernel.committed).toBe(1);
    validateMm(mm);
  });

  it('faults: SIGSEGV (EFAULT) outside VMAs and on a write to read-only memory', () => {
    const { mm } = fresh();
    const a = mmap(mm, 0, PAGE_SIZE, PROT_READ, ANON);
    expect(() => fault(mm, a - PAGE_SIZE, false)).toThrow(/EFAULT/);
    expect(() => fault(mm, a, true)).toThrow(/EFAULT/);
    fault(mm, a, false);
    expect(mm.pt.anonPages).toBe(1);
  });
});

describe('ENOMEM at every allocation of every syscall leaves the mm exactly as it was', () => {
  type Op = (mm: Mm, a: number, fail: (site: string, n: number) => boolean) => void;
  const cases: Array<[string, Op]> = [
    ['mmap (new VMA)', (mm, _a, f) => { mmap(mm, 0x10000000, 2 * PAGE_SIZE, RW, ANON, null, 0, { allocate: f }); }],
    ['mmap (merge)', (mm, a, f) => { mmap(mm, a + 8 * PAGE_SIZE, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED, null, 0, { allocate: f }); }],
    ['mmap MAP_FIXED over the middle', (mm, a, f) => { mmap(mm, a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, null, 0, { allocate: f }); }],
    ['munmap (hole)', (mm, a, f) => munmap(mm, a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, { allocate: f })],
    ['mprotect (middle)', (mm, a, f) => mprotect(mm, a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ, { allocate: f })],
    ['madvise DONTFORK (head)', (mm, a, f) => madvise(mm, a, 2 * PAGE_SIZE, MADV_DONTFORK, { allocate: f })],
    ['brk (new heap)', (mm, _a, f) => {
      if (brk(mm, 0x602000, { allocate: f }) !== 0x602000) throw new MmError('ENOMEM', 'brk did not move');
    }],
  ];
  for (const [name, op] of cases) {
    it(name, () => {
      for (let nth = 1; ; nth++) {
        const kernel = new Kernel();
        const mm = createMm(kernel);
        mm.mmapBase = BASE;
        mm.startBrk = mm.brk = 0x600000;
        const a = mmap(mm, 0x20000000, 8 * PAGE_SIZE, RW, ANON | MAP_POPULATE);
        madvise(mm, a + 6 * PAGE_SIZE, PAGE_SIZE, MADV_PAGEOUT);
        const before = mmSnapshot(kernel, mm);
        let fired = false;
        let failed = false;
        try {
          op(mm, a, (_s, n) => { if (n === nth) { fired = true; return false; } return true; });
        } catch (e) {
          if (!(e instanceof MmError)) throw e;
          failed = true;
        }
        validateMm(mm);
        expect(findLeaks(kernel, [mm])).toEqual([]);
        if (!fired) {
          expect(failed, `${name} without a fault`).toBe(false);
          expect(nth).toBeGreaterThan(1);
          break;
        }
        expect(failed, `${name}: allocation ${nth} failed but the call succeeded`).toBe(true);
        expect(mmSnapshot(kernel, mm), `${name}: allocation ${nth}`).toBe(before);
      }
    });
  }
});

/** The reference: one record per mapped page. */
interface PageRef { prot: number; file: string | null; pgoff: number; dontfork: boolean; wipe: boolean }

describe('random syscall sequences against a page-by-page reference', () => {
  const LO = 0x40000000;
  const PAGES = 48;
  const op = fc.oneof(
    fc.record({ k: fc.constant('mmap' as const), p: fc.nat(PAGES - 1), n: fc.integer({ min: 1, max: 8 }), prot: fc.constantFrom(PROT_READ, RW, PROT_READ | PROT_EXEC), file: fc.boolean() }),
    fc.record({ k: fc.constant('munmap' as const), p: fc.nat(PAGES - 1), n: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ k: fc.constant('mprotect' as const), p: fc.nat(PAGES - 1), n: fc.integer({ min: 1, max: 8 }), prot: fc.constantFrom(PROT_READ, RW, PROT_READ | PROT_EXEC) }),
    fc.record({ k: fc.constant('madvise' as const), p: fc.nat(PAGES - 1), n: fc.integer({ min: 1, max: 8 }), adv: fc.constantFrom(MADV_DONTFORK, MADV_DOFORK, MADV_WIPEONFORK) }),
    fc.record({ k: fc.constant('fault' as const), p: fc.nat(PAGES - 1), w: fc.boolean() }),
  );

  it('every page has the attributes the reference says, and validateMm holds after each call', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
      const kernel = new Kernel();
      const mm = createMm(kernel);
      const file = kernel.file('/ref/file', PAGES * PAGE_SIZE);
      const ref = new Map<number, PageRef>();
      for (const o of ops) {
        const n = o.k === 'fault' ? 1 : Math.min(o.n, PAGES - o.p);
        const start = LO + o.p * PAGE_SIZE;
        const len = n * PAGE_SIZE;
        const pages = Array.from({ length: n }, (_, i) => o.p + i);
        let threw: string | null = null;
        try {
          if (o.k === 'mmap') {
            mmap(mm, start, len, o.prot, MAP_PRIVATE | MAP_FIXED | (o.file ? 0 : MAP_ANONYMOUS), o.file ? file : null, o.file ? o.p * PAGE_SIZE : 0);
          } else if (o.k === 'munmap') munmap(mm, start, len);
          else if (o.k === 'mprotect') mprotect(mm, start, len, o.prot);
          else if (o.k === 'madvise') madvise(mm, start, len, o.adv);
          else fault(mm, start, o.w);
        } catch (e) {
          if (!(e instanceof MmError)) throw e;
          threw = e.code;
        }
        // The reference's view of the same call.
        if (o.k === 'mmap') {
          for (const p of pages) ref.set(p, { prot: o.prot, file: o.file ? '/ref/file' : null, pgoff: p, dontfork: false, wipe: false });
        } else if (o.k === 'munmap') {
          for (const p of pages) ref.delete(p);
        } else if (o.k === 'mprotect') {
          // All or nothing: a hole anywhere in the range is ENOMEM and changes nothing.
          const hole = pages.some((p) => !ref.has(p));
          if (!hole) for (const p of pages) ref.get(p)!.prot = o.prot;
          expect(threw).toBe(hole ? 'ENOMEM' : null);
        } else if (o.k === 'madvise') {
          // The kernel's errno (a refused VMA before a hole), but all or nothing.
          const refused = o.adv === MADV_WIPEONFORK && pages.some((p) => ref.get(p)?.file);
          const expected = refused ? 'EINVAL' : pages.some((p) => !ref.has(p)) ? 'ENOMEM' : null;
          if (expected === null) {
            for (const r of pages.map((p) => ref.get(p)!)) {
              if (o.adv === MADV_DONTFORK) r.dontfork = true;
              else if (o.adv === MADV_DOFORK) r.dontfork = false;
              else r.wipe = true;
            }
          }
          expect(threw).toBe(expected);
        } else {
          const r = ref.get(o.p);
          const ok = r !== undefined && (o.w ? (r.prot & PROT_WRITE) !== 0 : (r.prot & PROT_READ) !== 0);
          expect(threw).toBe(ok ? null : 'EFAULT');
        }
        validateMm(mm);
        for (let p = 0; p < PAGES; p++) {
          const v = mm.mmMt.load(LO + p * PAGE_SIZE);
          const r = ref.get(p);
          if (!r) {
            expect(v).toBeUndefined();
            continue;
          }
          expect(v).toBeInstanceOf(Vma);
          const vma = v as Vma;
          expect((vma.vmFlags & 7)).toBe(r.prot);
          expect(vma.vmFile?.path ?? null).toBe(r.file);
          if (r.file) expect(vma.vmPgoff + (LO / PAGE_SIZE + p - vma.vmStart / PAGE_SIZE)).toBe(r.pgoff);
          expect((vma.vmFlags & VM_DONTCOPY) !== 0).toBe(r.dontfork);
          expect((vma.vmFlags & VM_WIPEONFORK) !== 0).toBe(r.wipe);
        }
      }
      expect(findLeaks(kernel, [mm])).toEqual([]);
    }), { numRuns: 300, seed: 20261125 });
  });
});

describe('syscalls under the explorer', () => {
  // Three tasks on one mm: mprotect and munmap over the same VMA, and a write fault in it. The mmap lock
  // serialises them, so every interleaving must end in the state of one of the six serial orders.
  const A = 0x30000000;
  type Call = (mm: Mm) => Task<number>;
  const calls: Array<[string, Call]> = [
    ['mprotect', (mm) => sysMprotect(mm, A + PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ)],
    ['munmap', (mm) => sysMunmap(mm, A + 2 * PAGE_SIZE, 2 * PAGE_SIZE)],
    ['fault', (mm) => sysFault(mm, A + 2 * PAGE_SIZE, true)],
  ];
  function world(): { kernel: Kernel; mm: Mm; results: Map<string, number> } {
    const kernel = new Kernel();
    const mm = createMm(kernel);
    mmap(mm, A, 6 * PAGE_SIZE, RW, ANON | MAP_FIXED);
    return { kernel, mm, results: new Map() };
  }
  const outcome = (w: ReturnType<typeof world>): string => `${formatMaps(w.mm)}|${w.mm.pt.anonPages}|${[...w.results].sort().join(',')}`;
  const serial = new Set<string>();
  for (const order of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
    const w = world();
    for (const i of order) w.results.set(calls[i]![0], runSync(calls[i]![1](w.mm)));
    serial.add(outcome(w));
  }

  it('every interleaving up to two preemptions ends in a serial outcome with a valid mm', () => {
    const seen = new Set<string>();
    const model: Model = {
      name: 'syscalls-serialise', description: 'mprotect, munmap and a fault on one VMA', variants: ['default'],
      build: () => {
        const w = world();
        return {
          tasks: calls.map(([name, call]) => ({ name, run: function* () { w.results.set(name, yield* call(w.mm)); } })),
          finalCheck: () => {
            validateMm(w.mm);
            const o = outcome(w);
            seen.add(o);
            return serial.has(o) ? null : `not a serial outcome: ${o}`;
          },
        };
      },
    };
    const r = explore({ model, bound: 2 });
    expect(r.outcome).toBe('verified');
    expect(r.executions).toBeGreaterThan(6);
    // The fault lands before or after each writer, so more than one serial outcome is reached.
    expect(seen.size).toBeGreaterThan(1);
  });
});
