/**
 * The memory syscalls refuse bad arguments before they change anything, with the kernel's errno for
 * each value the kernel refuses and a message naming the argument; what the kernel accepts, the
 * model accepts. Every row runs on a populated mm and checks validateMm and a full snapshot after.
 */
import { describe, expect, it } from 'vitest';
import {
  MADV_COLD, MADV_DODUMP, MADV_DONTDUMP, MADV_DONTNEED, MADV_FREE, MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MAP_ANONYMOUS, MAP_FIXED, MAP_HUGETLB, MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE,
  MAP_SYNC, PAGE_SIZE, PROT_EXEC, PROT_GROWSDOWN, PROT_GROWSUP, PROT_READ, PROT_SEM, PROT_WRITE, TASK_SIZE, VM_DONTDUMP, VM_GROWSDOWN, VM_RAND_READ, VM_SEQ_READ, VM_WRITE,
} from '../../src/mm/constants.js';
import { MmError } from '../../src/mm/errno.js';
import type { File } from '../../src/mm/file.js';
import { Kernel } from '../../src/mm/kernel.js';
import { mmFromMaps, parseMaps } from '../../src/mm/maps.js';
import type { Mm } from '../../src/mm/mm.js';
import { sysMmap } from '../../src/mm/syscalls.js';
import { brk, fault, madvise, mmap, mprotect, munmap } from '../../src/mm/syscalls-sync.js';
import { validateMm } from '../../src/mm/validate.js';
import type { Vma } from '../../src/mm/vma.js';
import { A, HEAP, mmSnapshot, mmWorld, STACK, type MmWorld } from './world.js';

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const world = mmWorld;
type World = MmWorld;

type Expect =
  | { readonly errno: string; readonly names: RegExp }
  | { readonly error: 'TypeError' | 'RangeError'; readonly names: RegExp };

/** A refused call: the error, and the mm exactly as it was. */
function refused(call: (w: World) => unknown, want: Expect): void {
  const w = world();
  const before = mmSnapshot(w.kernel, w.mm);
  let thrown: unknown = null;
  try {
    call(w);
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'the call was accepted').not.toBeNull();
  const err = thrown as Error;
  if ('errno' in want) {
    expect(err).toBeInstanceOf(MmError);
    expect((err as MmError).code).toBe(want.errno);
  } else {
    expect(err.constructor.name).toBe(want.error);
  }
  expect(err.message).toMatch(want.names);
  validateMm(w.mm);
  expect(mmSnapshot(w.kernel, w.mm)).toBe(before);
}

describe('the cases of issue 21', () => {
  const rows: Array<[string, (w: World) => unknown, Expect]> = [
    ['setBrk(NaN) changes nothing (was a VMA ending at NaN)', (w) => brk(w.mm, NaN), { error: 'RangeError', names: /brk: brk must be a safe integer .*got NaN/ }],
    ['setBrk(undefined)', (w) => brk(w.mm, undefined as unknown as number), { error: 'TypeError', names: /brk: brk must be a number, got undefined/ }],
    ['mmap with a file that is not a File (was linked, then threw)', (w) => mmap(w.mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, {} as File), { error: 'TypeError', names: /mmap: file must be a File or null, got a plain object/ }],
    ['mmap with a Vma as the file', (w) => mmap(w.mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, w.mm.mmMt.load(A) as unknown as File), { error: 'TypeError', names: /mmap: file must be a File or null, got a Vma/ }],
    ['mprotect(addr, 4096, NaN) (was PROT_NONE)', (w) => mprotect(w.mm, A, PAGE_SIZE, NaN), { error: 'RangeError', names: /mprotect: prot must be a 32-bit int, got NaN/ }],
    ['mprotect(addr, NaN, prot) (did nothing)', (w) => mprotect(w.mm, A, NaN, PROT_READ), { error: 'RangeError', names: /mprotect: len must be a safe integer.*got NaN/ }],
    ["mmap(0, '4096') (was coerced)", (w) => mmap(w.mm, 0, '4096' as unknown as number, RW, ANON), { error: 'TypeError', names: /mmap: len must be a number, got "4096"/ }],
    ['mmap(0, 1.5) (mapped)', (w) => mmap(w.mm, 0, 1.5, RW, ANON), { error: 'RangeError', names: /mmap: len must be a safe integer.*got 1.5/ }],
    ["mmap(0, -4096) (leaked the tree's EINVAL)", (w) => mmap(w.mm, 0, -4096, RW, ANON), { errno: 'ENOMEM', names: /mmap: len -4096 \(0xfffffffffffff000 as unsigned long\) exceeds TASK_SIZE/ }],
    ['mmap(0, -1): len wraps to 0 pages', (w) => mmap(w.mm, 0, -1, RW, ANON), { errno: 'ENOMEM', names: /mmap: len -1 .* wraps to 0/ }],
    ['munmap with a negative length (succeeded doing nothing)', (w) => munmap(w.mm, A, -4096), { errno: 'EINVAL', names: /munmap: addr .* \+ len -4096 .* exceeds TASK_SIZE/ }],
    ['madvise with a negative length (succeeded doing nothing)', (w) => madvise(w.mm, A, -4096, MADV_DONTNEED), { errno: 'EINVAL', names: /madvise: addr .* \+ len -4096 .* wraps around/ }],
    ['madvise with a length of -1 (wraps to 0 pages)', (w) => madvise(w.mm, A, -1, MADV_DONTNEED), { errno: 'EINVAL', names: /madvise: len -1 .* wraps to 0/ }],
    ['a BigInt length (Cannot mix BigInt)', (w) => mmap(w.mm, 0, 4096n as unknown as number, RW, ANON), { error: 'TypeError', names: /mmap: len must be a number, got 4096n/ }],
    ['a BigInt address to munmap', (w) => munmap(w.mm, BigInt(A) as unknown as number, PAGE_SIZE), { error: 'TypeError', names: /munmap: addr must be a number, got \d+n/ }],
    ['a null length (was "EINVAL: mmap failed")', (w) => mmap(w.mm, 0, null as unknown as number, RW, ANON), { error: 'TypeError', names: /mmap: len must be a number, got null/ }],
    ['an undefined address to mprotect', (w) => mprotect(w.mm, undefined as unknown as number, PAGE_SIZE, PROT_READ), { error: 'TypeError', names: /mprotect: addr must be a number, got undefined/ }],
    ['NaN advice', (w) => madvise(w.mm, A, PAGE_SIZE, NaN), { error: 'RangeError', names: /madvise: advice must be a 32-bit int, got NaN/ }],
    ['MAP_SHARED_VALIDATE on anonymous memory: EINVAL, as do_mmap\'s anonymous switch', (w) => mmap(w.mm, 0, PAGE_SIZE, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS), { errno: 'EINVAL', names: /mmap: flags 0x23 name no anonymous mapping type/ }],
    ['MAP_SHARED_VALIDATE with a flag the file does not support: EOPNOTSUPP', (w) => mmap(w.mm, 0, PAGE_SIZE, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, w.file, 0), { errno: 'EOPNOTSUPP', names: /mmap: MAP_SHARED_VALIDATE with flags 0x80000/ }],
    ['MAP_FIXED at address 0: EPERM below mmap_min_addr', (w) => mmap(w.mm, 0, PAGE_SIZE, RW, ANON | MAP_FIXED), { errno: 'EPERM', names: /mmap: MAP_FIXED addr 0 is below mmap_min_addr \(0x10000\)/ }],
    ['a negative file offset: EOVERFLOW (file_mmap_ok)', (w) => mmap(w.mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, w.file, -PAGE_SIZE), { errno: 'EOVERFLOW', names: /mmap: offset -4096 .* lies beyond the largest file offset/ }],
    ['an unaligned offset: EINVAL', (w) => mmap(w.mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, w.file, 100), { errno: 'EINVAL', names: /mmap: offset must be a multiple of 4096, got 100/ }],
    ['no file and no MAP_ANONYMOUS: EBADF (no fd to fget)', (w) => mmap(w.mm, 0, PAGE_SIZE, RW, MAP_PRIVATE), { errno: 'EBADF', names: /mmap: flags 0x2 lack MAP_ANONYMOUS but no file is given/ }],
    ['mmap len 0: EINVAL', (w) => mmap(w.mm, 0, 0, RW, ANON), { errno: 'EINVAL', names: /mmap: len must not be 0/ }],
    ['MAP_FIXED at an unaligned address: EINVAL', (w) => mmap(w.mm, A + 1, PAGE_SIZE, RW, ANON | MAP_FIXED), { errno: 'EINVAL', names: /mmap: MAP_FIXED addr must be a multiple of 4096, got 536870913/ }],
    ['MAP_FIXED ending above TASK_SIZE: ENOMEM', (w) => mmap(w.mm, TASK_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED), { errno: 'ENOMEM', names: /mmap: MAP_FIXED addr .* exceeds TASK_SIZE/ }],
    ['MAP_HUGETLB: the model maps no huge pages', (w) => mmap(w.mm, 0, PAGE_SIZE, RW, ANON | MAP_HUGETLB), { error: 'RangeError', names: /mmap: flags 0x40022 include MAP_HUGETLB/ }],
    ['flags beyond a C int', (w) => mmap(w.mm, 0, PAGE_SIZE, RW, 2 ** 40), { error: 'RangeError', names: /mmap: flags must be a 32-bit int, got 1099511627776/ }],
    ['an address of 2^53', (w) => munmap(w.mm, 2 ** 53, PAGE_SIZE), { error: 'RangeError', names: /munmap: addr must be a safe integer.*got 9007199254740992/ }],
    ['munmap len 0: EINVAL', (w) => munmap(w.mm, A, 0), { errno: 'EINVAL', names: /munmap: len must not be 0/ }],
    ['munmap at an unaligned address: EINVAL', (w) => munmap(w.mm, A + 1, PAGE_SIZE), { errno: 'EINVAL', names: /munmap: addr must be a multiple of 4096, got 536870913/ }],
    ['munmap above TASK_SIZE: EINVAL', (w) => munmap(w.mm, -PAGE_SIZE, PAGE_SIZE), { errno: 'EINVAL', names: /munmap: addr -4096 .* is above TASK_SIZE/ }],
    ['mprotect with unknown prot bits: EINVAL', (w) => mprotect(w.mm, A, PAGE_SIZE, 0x10), { errno: 'EINVAL', names: /mprotect: prot 0x10 has bits other than/ }],
    ['mprotect with a negative prot: EINVAL (every high bit set)', (w) => mprotect(w.mm, A, PAGE_SIZE, -1), { errno: 'EINVAL', names: /mprotect: prot must not hold both|mprotect: prot has both PROT_GROWSDOWN and PROT_GROWSUP/ }],
    ['mprotect with PROT_GROWSDOWN | PROT_GROWSUP: EINVAL', (w) => mprotect(w.mm, A, PAGE_SIZE, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), { errno: 'EINVAL', names: /mprotect: prot has both PROT_GROWSDOWN and PROT_GROWSUP/ }],
    ['mprotect with a negative length: ENOMEM (the range wraps)', (w) => mprotect(w.mm, A, -PAGE_SIZE, PROT_READ), { errno: 'ENOMEM', names: /mprotect: addr .* \+ len -4096 .* wraps around/ }],
    ['mprotect at an unaligned address: EINVAL', (w) => mprotect(w.mm, A + 8, PAGE_SIZE, PROT_READ), { errno: 'EINVAL', names: /mprotect: addr must be a multiple of 4096, got 536870920/ }],
    ['mprotect PROT_GROWSUP: EINVAL (x86 has no VM_GROWSUP)', (w) => mprotect(w.mm, A, PAGE_SIZE, PROT_READ | PROT_GROWSUP), { errno: 'EINVAL', names: /mprotect of addr 0x2000[01]000 len 0x1000 prot 0x[0-9a-f]+ failed/ }],
    ['mprotect PROT_GROWSDOWN on a VMA without VM_GROWSDOWN: EINVAL', (w) => mprotect(w.mm, A + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_GROWSDOWN), { errno: 'EINVAL', names: /mprotect of addr 0x2000[01]000 len 0x1000 prot 0x[0-9a-f]+ failed/ }],
    ['madvise advice Linux does not know: EINVAL', (w) => madvise(w.mm, A, PAGE_SIZE, 7), { errno: 'EINVAL', names: /madvise: advice 7 is not one Linux knows/ }],
    ['madvise advice valid in Linux that the model does not carry out', (w) => madvise(w.mm, A, PAGE_SIZE, MADV_FREE), { error: 'RangeError', names: /madvise: advice MADV_FREE \(8\) is valid in Linux but not modelled/ }],
    ['madvise at an unaligned address: EINVAL', (w) => madvise(w.mm, A + 1, PAGE_SIZE, MADV_DONTNEED), { errno: 'EINVAL', names: /madvise: addr must be a multiple of 4096, got 536870913/ }],
    ['a fault with a non-boolean writeAccess', (w) => fault(w.mm, A, 1 as unknown as boolean), { error: 'TypeError', names: /page fault: writeAccess must be a boolean, got 1/ }],
    ['a fault at NaN', (w) => fault(w.mm, NaN), { error: 'RangeError', names: /page fault: addr must be a safe integer.*got NaN/ }],
    ['a fault above TASK_SIZE is a SIGSEGV', (w) => fault(w.mm, -1), { errno: 'EFAULT', names: /page fault at addr -1 failed/ }],
    ['a syscall task for something that is not an mm', () => sysMmap({} as Mm, 0, PAGE_SIZE, RW, ANON), { error: 'TypeError', names: /mmap: mm must be an Mm, got a plain object/ }],
    ['a syscall task for a VMA instead of an mm', (w) => sysMmap(w.mm.mmMt.load(A) as unknown as Mm, 0, PAGE_SIZE, RW, ANON), { error: 'TypeError', names: /mmap: mm must be an Mm, got a Vma/ }],
  ];
  for (const [name, call, want] of rows) it(name, () => refused(call, want));
});

describe('what the kernel accepts, the model accepts', () => {
  it('MAP_SHARED_VALIDATE maps a file shared', () => {
    const { mm, file } = world();
    const at = mmap(mm, 0, PAGE_SIZE, RW, MAP_SHARED_VALIDATE, file, PAGE_SIZE);
    const vma = mm.mmMt.load(at) as Vma;
    expect(vma.vmFile).toBe(file);
    expect(vma.vmPgoff).toBe(1);
    validateMm(mm);
  });

  it('MAP_SHARED drops the flags MAP_SHARED_VALIDATE would refuse', () => {
    const { mm, file } = world();
    expect(mmap(mm, 0, PAGE_SIZE, PROT_READ, MAP_SHARED | MAP_SYNC, file, 0)).toBeGreaterThan(0);
    validateMm(mm);
  });

  it('a length that is not a page multiple is rounded up, as do_mmap page-aligns it', () => {
    const { mm } = world();
    const at = mmap(mm, 0, 100, RW, ANON);
    const vma = mm.mmMt.load(at) as Vma;
    expect(vma.vmEnd - vma.vmStart).toBe(PAGE_SIZE);
  });

  it('a hint is rounded down to its page (round_hint_to_min, arch_get_unmapped_area_topdown)', () => {
    const { mm } = world();
    expect(mmap(mm, 0x40000123, PAGE_SIZE, RW, ANON)).toBe(0x40000000);
    expect(mmap(mm, 0x1000, PAGE_SIZE, RW, ANON)).toBe(0x10000);
  });

  it('a hint above the address space is no hint: the kernel maps elsewhere', () => {
    const { mm } = world();
    const at = mmap(mm, -1, PAGE_SIZE, RW, ANON);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(TASK_SIZE);
    validateMm(mm);
  });

  it('an anonymous mapping ignores its offset, negative or not (do_mmap sets pgoff from the address)', () => {
    const { mm } = world();
    const at = mmap(mm, 0, PAGE_SIZE, RW, ANON, null, -PAGE_SIZE);
    expect((mm.mmMt.load(at) as Vma).vmPgoff).toBe(at / PAGE_SIZE);
  });

  it('MAP_ANONYMOUS ignores the file, as it ignores the fd', () => {
    const { mm, file } = world();
    const at = mmap(mm, 0, PAGE_SIZE, RW, ANON, file, 0);
    expect((mm.mmMt.load(at) as Vma).vmFile).toBeNull();
    validateMm(mm);
  });

  it('unknown mmap prot and flag bits are ignored', () => {
    const { mm } = world();
    const at = mmap(mm, 0, PAGE_SIZE, RW | 0x80, ANON | 0x200);
    expect((mm.mmMt.load(at) as Vma).vmFlags & VM_WRITE).toBe(VM_WRITE);
  });

  it('mprotect accepts PROT_SEM, and a zero length does nothing whatever the prot', () => {
    const { kernel, mm } = world();
    mprotect(mm, A, PAGE_SIZE, PROT_READ | PROT_SEM);
    expect((mm.mmMt.load(A) as Vma).vmFlags & VM_WRITE).toBe(0);
    const before = mmSnapshot(kernel, mm);
    mprotect(mm, A, 0, 0x7000);
    expect(mmSnapshot(kernel, mm)).toBe(before);
  });

  it('mprotect PROT_GROWSDOWN extends the change down to the start of the stack VMA', () => {
    const { mm } = world();
    const stack = STACK;
    mprotect(mm, stack + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_GROWSDOWN);
    const low = mm.mmMt.load(stack) as Vma;
    expect(low.vmFlags & (VM_WRITE | VM_GROWSDOWN)).toBe(VM_GROWSDOWN);
    expect(low.vmEnd).toBe(stack + 3 * PAGE_SIZE);
    expect((mm.mmMt.load(stack + 3 * PAGE_SIZE) as Vma).vmFlags & VM_WRITE).toBe(VM_WRITE);
    validateMm(mm);
  });

  it('brk past TASK_SIZE or negative keeps the old break and changes nothing', () => {
    const { kernel, mm } = world();
    const before = mmSnapshot(kernel, mm);
    expect(brk(mm, TASK_SIZE + PAGE_SIZE)).toBe(HEAP + 2 * PAGE_SIZE);
    expect(brk(mm, -1)).toBe(HEAP + 2 * PAGE_SIZE);
    expect(mmSnapshot(kernel, mm)).toBe(before);
  });

  it('madvise of length 0 at any aligned address succeeds doing nothing', () => {
    const { kernel, mm } = world();
    const before = mmSnapshot(kernel, mm);
    madvise(mm, -PAGE_SIZE, 0, MADV_DONTNEED);
    expect(mmSnapshot(kernel, mm)).toBe(before);
  });

  it('MADV_RANDOM / MADV_SEQUENTIAL / MADV_NORMAL set and clear the read-ahead flags, splitting and merging back', () => {
    const { mm } = world();
    madvise(mm, A + PAGE_SIZE, PAGE_SIZE, MADV_RANDOM);
    expect((mm.mmMt.load(A + PAGE_SIZE) as Vma).vmFlags & (VM_RAND_READ | VM_SEQ_READ)).toBe(VM_RAND_READ);
    expect((mm.mmMt.load(A) as Vma).vmEnd).toBe(A + PAGE_SIZE);
    madvise(mm, A + PAGE_SIZE, PAGE_SIZE, MADV_SEQUENTIAL);
    expect((mm.mmMt.load(A + PAGE_SIZE) as Vma).vmFlags & (VM_RAND_READ | VM_SEQ_READ)).toBe(VM_SEQ_READ);
    madvise(mm, A + PAGE_SIZE, PAGE_SIZE, MADV_NORMAL);
    expect((mm.mmMt.load(A) as Vma).vmEnd).toBe(A + 8 * PAGE_SIZE);
    validateMm(mm);
  });

  it('MADV_DONTDUMP and MADV_DODUMP set and clear VM_DONTDUMP', () => {
    const { mm } = world();
    madvise(mm, A, 8 * PAGE_SIZE, MADV_DONTDUMP);
    expect((mm.mmMt.load(A) as Vma).vmFlags & VM_DONTDUMP).toBe(VM_DONTDUMP);
    madvise(mm, A, 8 * PAGE_SIZE, MADV_DODUMP);
    expect((mm.mmMt.load(A) as Vma).vmFlags & VM_DONTDUMP).toBe(0);
    validateMm(mm);
  });

  it('MADV_WILLNEED and MADV_COLD change nothing the model has, and a hole still gives ENOMEM', () => {
    const { kernel, mm } = world();
    const before = mmSnapshot(kernel, mm);
    madvise(mm, A, 8 * PAGE_SIZE, MADV_WILLNEED);
    madvise(mm, A, 8 * PAGE_SIZE, MADV_COLD);
    expect(mmSnapshot(kernel, mm)).toBe(before);
    expect(() => madvise(mm, A, 9 * PAGE_SIZE, MADV_COLD)).toThrow(/ENOMEM: madvise of addr 0x20000000/);
  });

  it('mprotect is all or nothing in the model (Linux changes the VMAs before a hole): a hole part way gives ENOMEM and changes nothing', () => {
    const { kernel, mm } = world();
    const before = mmSnapshot(kernel, mm);
    // [A, A + 8 pages) then a hole: Linux makes the first VMA read-only before it finds the hole.
    expect(() => mprotect(mm, A, 9 * PAGE_SIZE, PROT_READ)).toThrow(/ENOMEM/);
    expect((mm.mmMt.load(A) as Vma).vmFlags & VM_WRITE).not.toBe(0);
    expect(mmSnapshot(kernel, mm)).toBe(before);
    validateMm(mm);
  });

  it('the PROT_EXEC of an executable mapping is kept when it is asked for', () => {
    const { mm, file } = world();
    const at = mmap(mm, 0, PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE, file, 0);
    mprotect(mm, at, PAGE_SIZE, PROT_READ | PROT_EXEC);
    validateMm(mm);
  });
});

describe('mmFromMaps refuses what no kernel prints, naming the line', () => {
  const line = (start: number, end: number, rest = 'rw-p 00000000 00:00 0 '): string => `${start.toString(16).padStart(8, '0')}-${end.toString(16).padStart(8, '0')} ${rest}`;
  const rows: Array<[string, string, RegExp]> = [
    ['overlapping lines', `${line(0x400000, 0x402000)}\n${line(0x401000, 0x403000)}\n`, /maps line 2 \("00401000-00403000 rw-p 00000000 00:00 0 "\) overlaps or comes before maps line 1 \("00400000-00402000/],
    ['a duplicate line', `${line(0x400000, 0x401000)}\n${line(0x400000, 0x401000)}\n`, /maps line 2 .* repeats maps line 1/],
    ['lines out of order', `${line(0x500000, 0x501000)}\n${line(0x400000, 0x401000)}\n`, /maps line 2 .* overlaps or comes before maps line 1/],
    ['an unaligned start', `${line(0x400010, 0x401000)}\n`, /maps line 1 \("00400010-00401000 .*"\) has an address that is not a multiple of 4096/],
    ['an unaligned end', `${line(0x400000, 0x401001)}\n`, /maps line 1 .* has an address that is not a multiple of 4096/],
    ['start equal to end', `${line(0x400000, 0x400000)}\n`, /maps line 1 .* starts at or after its end/],
    ['start above end', `${line(0x402000, 0x401000)}\n`, /maps line 1 .* starts at or after its end/],
    ['a mapping above TASK_SIZE that is not [vsyscall]', 'ffffffffff700000-ffffffffff701000 r--p 00000000 00:00 0 \n', /maps line 1 .* lies above TASK_SIZE \(0x7ffffffff000\) and is not the \[vsyscall\] gate area/],
    ['a mapping straddling TASK_SIZE', `${line(TASK_SIZE - PAGE_SIZE, TASK_SIZE + PAGE_SIZE)}\n`, /maps line 1 .* lies above TASK_SIZE/],
    ['a mapping after the gate area', `ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n${line(0x400000, 0x401000)}\n`, /maps line 2 .* follows the gate area/],
    ['a line that does not parse', `${line(0x400000, 0x401000)}\nnot a maps line\n`, /maps line 2 \("not a maps line"\) does not parse/],
    ['an smaps field before any mapping', 'Rss:                   4 kB\n', /maps line 1 .* is an smaps field before any mapping line/],
    ['an Rss that is not whole pages', `${line(0x400000, 0x401000)}\nRss:                   3 kB\n`, /maps line 2 .*: Rss must be a whole number of pages in kB/],
  ];
  for (const [name, text, message] of rows) {
    it(name, () => {
      const kernel = new Kernel();
      const live = kernel.live.size;
      expect(() => mmFromMaps(kernel, text)).toThrow(RangeError);
      expect(() => mmFromMaps(kernel, text)).toThrow(message);
      // A refused file creates no mm.
      expect(kernel.live.size).toBe(live);
    });
  }

  it('more lines than MAX_MAP_COUNT', () => {
    const lines: string[] = [];
    for (let i = 0; i <= 65530; i++) lines.push(line(0x10000000 + 2 * i * PAGE_SIZE, 0x10000000 + (2 * i + 1) * PAGE_SIZE));
    expect(() => parseMaps(lines.join('\n'))).toThrow(/maps line 65531 .* is mapping 65531, more than MAX_MAP_COUNT \(65530\)/);
    expect(parseMaps(lines.slice(0, 65530).join('\n'))).toHaveLength(65530);
  });

  it('text and kernel of the wrong type', () => {
    expect(() => parseMaps(42 as unknown as string)).toThrow(/parseMaps: text must be a string, got 42/);
    expect(() => mmFromMaps({} as Kernel, '')).toThrow(/mmFromMaps: kernel must be a Kernel, got a plain object/);
  });

  it('accepts CRLF line ends and a BOM, as the same mm', () => {
    const text = `${line(0x400000, 0x401000, 'r-xp 00000000 08:01 12                         /bin/x')}\n${line(0x600000, 0x602000, 'rw-p 00000000 00:00 0                          [heap]')}\n`;
    const plain = mmFromMaps(new Kernel(), text);
    const crlf = mmFromMaps(new Kernel(), `\uFEFF${text.replace(/\n/g, '\r\n')}`);
    expect(crlf.mapCount).toBe(2);
    expect(parseMaps(`\uFEFF${text.replace(/\n/g, '\r\n')}`)).toEqual(parseMaps(text));
    expect(crlf.brk).toBe(plain.brk);
  });

  it('accepts smaps, with each VMA\'s Rss: and Swap: as resident and swapped pages', () => {
    const smaps = [
      '00400000-00402000 r-xp 00000000 08:01 12                                 /bin/x',
      'Size:                  8 kB', 'KernelPageSize:        4 kB', 'Rss:                   8 kB', 'Pss:                   8 kB',
      'Swap:                  0 kB', 'THPeligible:    0', 'VmFlags: rd ex mr mw me',
      '7f0000000000-7f0000004000 rw-p 00000000 00:00 0 ',
      'Size:                 16 kB', 'Rss:                   4 kB', 'Swap:                  8 kB', 'ProtectionKey:         0',
      '',
    ].join('\n');
    const lines = parseMaps(smaps);
    expect(lines.map((l) => [l.rssPages, l.swapPages])).toEqual([[2, 0], [1, 2]]);
    const mm = mmFromMaps(new Kernel(), smaps);
    expect(mm.mapCount).toBe(2);
    validateMm(mm);
    // A maps file has no such counts.
    expect(parseMaps('00400000-00402000 r-xp 00000000 08:01 12 /bin/x\n')[0]!.rssPages).toBeUndefined();
  });
});
