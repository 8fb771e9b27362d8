/** The rows for mapletree/mm: every function and constructor it exports, on a populated address space. */
import {
  AddressSpace, AnonVma, AnonVmaChain, File, KObject, Kernel, MADV_DONTNEED, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE,
  MemPolicy, Mm, MmError, MmSlotList, MmInvariantError, PAGE_SIZE, PROT_READ, PROT_WRITE, PageTables, SwapDevice, UffdCtx, VM_READ,
  Vma, __mmput, addVmas, brk, canMerge, createMm, derefVma, doBrk, doMadvise, doMmap, doMprotect, doVmiMunmap, dupMm, dupMmap,
  errnoName, exitMmap, fault, findLeaks, flagsFromPerms, formatMaps, getUnmappedArea, handleMmFault, kernelConfig, kernelRelease, kfree, LAYOUT_6_15, madvise,
  mmFromMaps, mmap, mmapRegion, mmdrop, mmput, mprotect, munmap, oomReaper, pageAlignUp, pageAligned, pageOut, pages, parseMaps,
  peekVma, populate, protToVmFlags, registerForEachVma, splitVma, swapInPte, swapOutPage, sysBrk, sysFault, sysMadvise, sysMmap,
  sysMprotect, sysMunmap, tryToUnuse, uffdMonitor, unuseMm, use, validateMm, vmaFieldOffset, vmFlagNames, vmaModifyFlags,
} from '../../src/mm/index.js';
import { A, HEAP, mmSnapshot, mmWorld, type MmWorld } from '../mm/world.js';
import type { Entry, Param } from './harness.js';

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

function structure(w: MmWorld): string {
  validateMm(w.mm);
  validateMm(w.child);
  return mmSnapshot(w.kernel, w.mm) + mmSnapshot(w.kernel, w.child);
}

type P = Param<MmWorld>;
const mmP = (name = 'mm'): P => ({ name, kind: 'object', good: (w) => w.mm, imposter: (w) => w.anon });
const childP: P = { name: 'mm', kind: 'object', good: (w) => w.child, imposter: (w) => w.kernel };
const kernelP: P = { name: 'kernel', kind: 'object', good: (w) => w.kernel, imposter: (w) => w.mm };
const registryP: P = { name: 'registry', kind: 'object', good: (w) => w.kernel, imposter: (w) => w.mm };
const vmaP = (name = 'vma'): P => ({ name, kind: 'object', good: (w) => w.anon, imposter: (w) => w.file });
const fileP: P = { name: 'file', kind: 'object', good: (w) => w.file, imposter: (w) => w.anon };
const whoP = (optional = false): P => ({ name: 'who', kind: 'string', good: () => 'adversarial', optional });
const int = (name: string, good: unknown, accepts?: Record<string, string>): P => ({ name, kind: 'int', good: () => good, ...(accepts ? { accepts } : {}) });
const index = (name: string, good: unknown): P => ({ name, kind: 'index', good: () => good });
const bool = (name: string, good: boolean, optional = false): P => ({ name, kind: 'boolean', good: () => good, optional });
const str = (name: string, good: string): P => ({ name, kind: 'string', good: () => good });
const syncP: P = { name: 'sync', kind: 'options', good: () => undefined, optional: true };
const stopP: P = { name: 'stop', kind: 'function', good: () => () => true };
const anonFileP: P = { name: 'file', kind: 'object', good: () => null, optional: true, imposter: (w) => w.anon, accepts: { null: 'null maps anonymous memory' } };

const HINT = { '-1': 'a hint above the address space is no hint: the kernel maps elsewhere (round_hint_to_min, get_unmapped_area)' };
const PROT_ANY = { '-1': 'mmap ignores prot bits it does not know: calc_vm_prot_bits takes PROT_READ|PROT_WRITE|PROT_EXEC of -1' };
const OLD_BRK = { '-1': 'brk(2) keeps the old break for an unsigned long above TASK_SIZE, and returns it' };

function e(name: string, params: P[], call: (w: MmWorld, a: unknown[]) => unknown, more: Partial<Entry<MmWorld>> = {}): Entry<MmWorld> {
  return { name, world: mmWorld, structure, params, call, ...more };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the rows call every entry point with values of any type. */
const f = <T extends (...args: any[]) => any>(fn: T) => (_w: MmWorld, a: unknown[]): unknown => fn(...(a as Parameters<T>));
const ctor = <T extends new (...args: any[]) => any>(C: T) => (_w: MmWorld, a: unknown[]): unknown => new C(...(a as ConstructorParameters<T>));
/* eslint-enable @typescript-eslint/no-explicit-any */

const task = { task: true } as const;
const errnoTask = { task: true, errnoReturn: true } as const;
const mapsText = '00400000-00401000 r-xp 00000000 08:01 12                         /bin/x\n';

export const MM_ROWS: ReadonlyArray<Entry<MmWorld>> = [
  // The synchronous syscalls.
  e('mmap', [mmP(), int('addr', 0, HINT), int('len', PAGE_SIZE), int('prot', RW, PROT_ANY), int('flags', ANON), anonFileP, { ...int('offset', 0), optional: true }, syncP], f(mmap), {
    specials: [
      { name: 'an empty size', args: (w) => [w.mm, 0, 0, RW, ANON], names: 'len' },
      { name: 'a huge size', args: (w) => [w.mm, 0, 2 ** 52, RW, ANON], names: 'len' },
      { name: 'a file that is not a File (issue 21)', args: (w) => [w.mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, {}], names: 'file' },
      { name: 'MAP_FIXED at 0, below mmap_min_addr (issue 21)', args: (w) => [w.mm, 0, PAGE_SIZE, RW, ANON | MAP_FIXED], names: 'addr' },
      { name: 'a negative file offset (issue 21)', args: (w) => [w.mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, w.file, -PAGE_SIZE], names: 'offset' },
      { name: "mmap(0, '4096') was coerced (issue 21)", args: (w) => [w.mm, 0, '4096', RW, ANON], names: 'len' },
      { name: 'mmap(0, 1.5) mapped (issue 21)', args: (w) => [w.mm, 0, 1.5, RW, ANON], names: 'len' },
      { name: "mmap(0, -4096) leaked the tree's EINVAL (issue 21)", args: (w) => [w.mm, 0, -4096, RW, ANON], names: 'len' },
      { name: 'a BigInt length gave "Cannot mix BigInt" (issue 21)', args: (w) => [w.mm, 0, 4096n, RW, ANON], names: 'len' },
      { name: 'a null length gave "mmap failed" (issue 21)', args: (w) => [w.mm, 0, null, RW, ANON], names: 'len' },
      { name: 'MAP_SHARED_VALIDATE maps a file (issue 21)', args: (w) => [w.mm, 0, PAGE_SIZE, PROT_READ, 3, w.file, 0], names: '', accepts: 'MAP_SHARED_VALIDATE is valid in Linux' },
    ],
  }),
  e('munmap', [mmP(), int('addr', A), int('len', PAGE_SIZE), syncP], f(munmap), {
    specials: [
      { name: 'a negative length (issue 21)', args: (w) => [w.mm, A, -PAGE_SIZE], names: 'len' },
      { name: 'an empty size', args: (w) => [w.mm, A, 0], names: 'len' },
      { name: 'a huge size', args: (w) => [w.mm, A, 2 ** 52], names: 'len' },
    ],
  }),
  e('mprotect', [mmP(), int('addr', A), int('len', PAGE_SIZE), int('prot', PROT_READ), syncP], f(mprotect), {
    specials: [
      { name: 'mprotect(addr, 4096, NaN) made the page PROT_NONE (issue 21)', args: (w) => [w.mm, A, PAGE_SIZE, NaN], names: 'prot' },
      { name: 'mprotect(addr, NaN, prot) did nothing (issue 21)', args: (w) => [w.mm, A, NaN, PROT_READ], names: 'len' },{ name: 'a huge size wraps (ENOMEM)', args: (w) => [w.mm, A, -2 * PAGE_SIZE, PROT_READ], names: 'len' }],
  }),
  e('madvise', [mmP(), int('addr', A), int('len', PAGE_SIZE), int('advice', MADV_DONTNEED), syncP], f(madvise), {
    specials: [{ name: 'a negative length (issue 21)', args: (w) => [w.mm, A, -PAGE_SIZE, MADV_DONTNEED], names: 'len' }],
  }),
  e('brk', [mmP(), int('brk', HEAP + 4 * PAGE_SIZE, OLD_BRK), syncP], f(brk), {
    specials: [
      { name: 'setBrk(NaN) left a VMA ending at NaN (issue 21)', args: (w) => [w.mm, NaN], names: 'brk' },
      { name: 'setBrk(undefined) (issue 21)', args: (w) => [w.mm, undefined], names: 'brk' },
    ],
  }),
  e('fault', [mmP(), int('addr', A + 5 * PAGE_SIZE), bool('writeAccess', true, true), syncP], f(fault)),
  // The syscalls as tasks.
  e('sysMmap', [mmP(), int('addr', 0, HINT), int('len', PAGE_SIZE), int('prot', RW, PROT_ANY), int('flags', ANON), anonFileP, { ...int('offset', 0), optional: true }], f(sysMmap), errnoTask),
  e('sysMunmap', [mmP(), int('addr', A), int('len', PAGE_SIZE)], f(sysMunmap), errnoTask),
  e('sysMprotect', [mmP(), int('addr', A), int('len', PAGE_SIZE), int('prot', PROT_READ)], f(sysMprotect), errnoTask),
  e('sysMadvise', [mmP(), int('addr', A), int('len', PAGE_SIZE), int('advice', MADV_DONTNEED)], f(sysMadvise), errnoTask),
  e('sysBrk', [mmP(), int('brk', HEAP + 4 * PAGE_SIZE, OLD_BRK)], f(sysBrk), task),
  e('sysFault', [mmP(), int('addr', A + 5 * PAGE_SIZE), bool('writeAccess', true)], f(sysFault), errnoTask),
  // The kernel's inner functions.
  e('doMmap', [mmP(), int('addr', 0, HINT), int('len', PAGE_SIZE), int('prot', RW, PROT_ANY), int('flags', ANON), anonFileP, int('offset', 0), whoP(true)], f(doMmap), errnoTask),
  e('doVmiMunmap', [mmP(), int('addr', A), int('len', PAGE_SIZE), whoP(true)], f(doVmiMunmap), errnoTask),
  e('doMprotect', [mmP(), int('addr', A), int('len', PAGE_SIZE), int('prot', PROT_READ), whoP(true)], f(doMprotect), errnoTask),
  e('doMadvise', [mmP(), int('addr', A), int('len', PAGE_SIZE), int('advice', MADV_DONTNEED), whoP(true)], f(doMadvise), errnoTask),
  e('doBrk', [mmP(), int('brk', HEAP + 4 * PAGE_SIZE, OLD_BRK), whoP(true)], f(doBrk), task),
  e('getUnmappedArea', [mmP(), int('addr', 0, HINT), int('len', PAGE_SIZE), int('flags', 0, { '-1': 'flags -1 holds MAP_FIXED: the address is taken as given (arch_get_unmapped_area)' })], f(getUnmappedArea), { errnoReturn: true }),
  e('mmapRegion', [mmP(), index('addr', 0x50000000), index('len', PAGE_SIZE), index('vmFlags', VM_READ), anonFileP, index('pgoff', 0x50000), whoP()], f(mmapRegion), {
    ...errnoTask,
    specials: [
      { name: 'an unaligned address', args: (w) => [w.mm, 0x50000001, PAGE_SIZE, VM_READ, null, 0, 'x'], names: 'addr' },
      { name: 'an empty size', args: (w) => [w.mm, 0x50000000, 0, VM_READ, null, 0, 'x'], names: 'len' },
    ],
  }),
  e('handleMmFault', [mmP(), int('addr', A + 5 * PAGE_SIZE), bool('writeAccess', true), whoP(), bool('force', false, true)], f(handleMmFault), errnoTask),
  e('vmaModifyFlags', [mmP(), vmaP(), index('start', A), index('end', A + PAGE_SIZE), index('newFlags', VM_READ), whoP(), { ...index('charge', 0), optional: true }], f(vmaModifyFlags), {
    ...errnoTask,
    specials: [
      { name: 'a reversed range', args: (w) => [w.mm, w.anon, A + PAGE_SIZE, A, VM_READ, 'x'], names: 'start' },
      { name: 'a range outside the VMA', args: (w) => [w.mm, w.anon, A, A + 64 * PAGE_SIZE, VM_READ, 'x'], names: 'end' },
    ],
  }),
  e('splitVma', [mmP(), vmaP(), index('addr', A + PAGE_SIZE), bool('newBelow', true), whoP()], f(splitVma), {
    ...task,
    specials: [{ name: 'an address outside the VMA', args: (w) => [w.mm, w.anon, A + 64 * PAGE_SIZE, true, 'x'], names: 'addr' }],
  }),
  e('canMerge', [vmaP('a'), { ...vmaP('b'), good: (w) => w.fvma }, index('aPages', 8)], f(canMerge)),
  e('protToVmFlags', [int('prot', RW, { '-1': 'calc_vm_prot_bits takes the bits it knows' })], f(protToVmFlags)),
  // Fork and exit.
  e('dupMm', [kernelP, mmP('oldmm'), { name: 'options', kind: 'options', good: () => ({}), optional: true }], f(dupMm), {
    ...task,
    specials: [{ name: 'an option of the wrong type', args: (w) => [w.kernel, w.mm, { signalAtVma: 'x' }], names: 'signalAtVma' }],
  }),
  e('dupMmap', [childP, mmP('oldmm'), { name: 'options', kind: 'options', good: () => ({}), optional: true }], f(dupMmap), {
    ...task,
    specials: [
      { name: 'an option of the wrong type', args: (w) => [w.child, w.mm, { ldt: 1 }], names: 'ldt' },
      { name: 'a child that is not empty', args: (w) => [w.mm, w.mm, {}], names: 'mm' },
    ],
  }),
  e('exitMmap', [mmP(), whoP()], f(exitMmap), task),
  e('mmput', [mmP(), whoP()], f(mmput), task),
  e('__mmput', [mmP(), whoP()], f(__mmput), task),
  e('mmdrop', [mmP(), whoP()], f(mmdrop)),
  // Pages and swap.
  e('swapOutPage', [mmP(), index('addr', A), whoP()], f(swapOutPage), task),
  e('swapInPte', [mmP(), index('addr', A + 3 * PAGE_SIZE)], f(swapInPte)),
  e('populate', [mmP(), index('addr', A + 4 * PAGE_SIZE), index('len', PAGE_SIZE), bool('writeAccess', true)], f(populate)),
  e('pageOut', [mmP(), index('addr', A), index('len', PAGE_SIZE)], f(pageOut)),
  e('addVmas', [kernelP, mmP(), { name: 'specs', kind: 'array', good: () => [{ start: 0x50000000, end: 0x50002000, perms: 'rw-p' }] }], f(addVmas), {
    specials: [
      { name: 'a spec with a reversed range', args: (w) => [w.kernel, w.mm, [{ start: 0x50002000, end: 0x50000000, perms: 'rw-p' }]], names: 'spec' },
      { name: 'a spec with NaN', args: (w) => [w.kernel, w.mm, [{ start: NaN, end: 0x50000000, perms: 'rw-p' }]], names: 'start' },
      { name: 'a spec with bad perms', args: (w) => [w.kernel, w.mm, [{ start: 0x50000000, end: 0x50002000, perms: 'rwxq' }]], names: 'perms' },
      { name: 'a spec that is not an object', args: (w) => [w.kernel, w.mm, [42]], names: 'spec' },
      { name: 'a second spec that overlaps the first', args: (w) => [w.kernel, w.mm, [{ start: 0x50000000, end: 0x50002000, perms: 'rw-p' }, { start: 0x50001000, end: 0x50003000, perms: 'rw-p' }]], names: 'spec' },
    ],
  }),
  // Maps files.
  e('parseMaps', [str('text', mapsText)], f(parseMaps)),
  e('mmFromMaps', [kernelP, str('text', mapsText)], f(mmFromMaps), {
    specials: [{ name: 'a reversed range', args: (w) => [w.kernel, '00402000-00401000 r-xp 00000000 08:01 12 /bin/x\n'], names: 'maps line 1' }],
  }),
  e('formatMaps', [mmP()], f(formatMaps)),
  e('flagsFromPerms', [str('perms', 'rw-p')], f(flagsFromPerms), {
    specials: [{ name: 'not a permission string', args: () => ['rwxq'], names: 'perms' }],
  }),
  // Checks.
  e('validateMm', [mmP()], f(validateMm)),
  e('findLeaks', [kernelP, { name: 'survivors', kind: 'array', good: (w) => [w.mm, w.child] }], f(findLeaks), {
    specials: [{ name: 'a survivor that is not an mm', args: (w) => [w.kernel, [w.anon]], names: 'survivors' }],
  }),
  // Walkers.
  e('tryToUnuse', [kernelP, whoP(true)], f(tryToUnuse), task),
  e('unuseMm', [mmP(), whoP()], f(unuseMm), task),
  e('registerForEachVma', [kernelP, fileP, index('offset', 0), whoP(true)], f(registerForEachVma), task),
  e('oomReaper', [kernelP, stopP, { ...index('attempts', 2), optional: true }, whoP(true)], f(oomReaper), task),
  e('uffdMonitor', [kernelP, stopP, whoP(true)], f(uffdMonitor), task),
  // The model's KASAN and VMA dereference.
  e('use', [{ name: 'obj', kind: 'object', good: (w) => w.policy, imposter: (w) => w.file }, whoP()], f(use)),
  e('kfree', [{ name: 'obj', kind: 'object', good: (w) => w.policy, imposter: (w) => w.file }, str('where', 'adversarial')], f(kfree)),
  // The slot is what a walker read from the tree: any value is a slot, and a non-VMA there is the
  // kernel oops the model reports (a ModelViolation), so the slot is not a bad-value parameter.
  e('derefVma', [mmP(), str('field', 'vm_flags'), whoP()], (w, a) => derefVma(w.anon, ...(a as [Mm, 'vm_flags', string])), {
    specials: [{ name: 'a field vm_area_struct does not have', args: (w) => [w.mm, 'vm_bogus', 'x'], names: 'field' }],
  }),
  e('peekVma', [mmP(), str('field', 'vm_flags'), whoP()], (w, a) => peekVma(w.anon, ...(a as [Mm, 'vm_flags', string])), {
    specials: [{ name: 'a field vm_area_struct does not have', args: (w) => [w.mm, 'vm_bogus', 'x'], names: 'field' }],
  }),
  // Small helpers.
  e('errnoName', [int('errno', -12, { '-1': '-1 is -EPERM' })], f(errnoName)),
  e('kernelConfig', [str('name', '7.0')], f(kernelConfig)),
  e('kernelRelease', [str('name', '7.0')], f(kernelRelease)),
  e('vmaFieldOffset', [str('field', 'anon_vma'), { name: 'layout', kind: 'object', good: () => LAYOUT_6_15 }], f(vmaFieldOffset), {
    specials: [{ name: 'a field vm_area_struct does not have', args: () => ['vm_bogus', LAYOUT_6_15], names: 'field' }],
  }),
  e('pageAlignUp', [index('len', 100)], f(pageAlignUp)),
  e('pageAligned', [index('addr', PAGE_SIZE)], f(pageAligned)),
  e('pages', [index('len', 2 * PAGE_SIZE)], f(pages)),
  e('vmFlagNames', [index('flags', VM_READ)], f(vmFlagNames)),
  e('createMm', [kernelP], f(createMm)),
  // Constructors.
  e('Kernel', [{ name: 'config', kind: 'options', good: () => kernelConfig('7.0'), optional: true }], ctor(Kernel), {
    specials: [{ name: 'a configuration with an unknown recovery', args: () => [{ ...kernelConfig('7.0'), recovery: 'bogus' }], names: 'recovery' }],
  }),
  e('Mm', [kernelP], ctor(Mm)),
  e('MmSlotList', [str('scanner', 'ksmd')], ctor(MmSlotList), {
    specials: [{ name: 'a scanner the kernel does not have', args: () => ['kswapd'], names: 'scanner' }],
  }),
  e('Vma', [registryP, mmP(), index('start', 0x50000000), index('end', 0x50001000), index('flags', VM_READ), index('pgoff', 0x50000), anonFileP], ctor(Vma), {
    specials: [
      { name: 'a reversed range', args: (w) => [w.kernel, w.mm, 0x50001000, 0x50000000, VM_READ, 0, null], names: 'start' },
      { name: 'an empty range', args: (w) => [w.kernel, w.mm, 0x50000000, 0x50000000, VM_READ, 0, null], names: 'start' },
      { name: 'an unaligned start', args: (w) => [w.kernel, w.mm, 0x50000010, 0x50001000, VM_READ, 0, null], names: 'start' },
    ],
  }),
  e('MemPolicy', [registryP, str('mode', 'interleave')], ctor(MemPolicy)),
  e('UffdCtx', [registryP, mmP(), bool('forkEvents', true)], ctor(UffdCtx)),
  e('AnonVma', [registryP], ctor(AnonVma)),
  e('AnonVmaChain', [registryP, vmaP(), { name: 'anonVma', kind: 'object', good: (w) => w.anon.anonVma, imposter: (w) => w.anon }], ctor(AnonVmaChain)),
  e('File', [str('path', '/lib/y.so'), index('inode', 7), index('size', PAGE_SIZE), { name: 'vmOps', kind: 'options', good: () => null, optional: true }], ctor(File)),
  e('AddressSpace', [str('lockId', 'x.i_mmap_rwsem')], ctor(AddressSpace)),
  e('PageTables', [], ctor(PageTables)),
  e('SwapDevice', [], ctor(SwapDevice)),
  e('KObject', [registryP, str('kind', 'thing')], (_w, a) => new (KObject as unknown as new (...args: unknown[]) => KObject)(...a)),
  e('MmError', [str('code', 'EINVAL'), str('message', 'adversarial')], ctor(MmError), {
    specials: [{ name: 'an errno name the model does not know', args: () => ['EBOGUS', 'x'], names: 'code' }],
  }),
  e('MmInvariantError', [mmP(), str('rule', 'adversarial')], ctor(MmInvariantError)),
];

