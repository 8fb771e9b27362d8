/**
 * The memory syscalls' argument checks, in one place. First the type of every argument: a value
 * that is no integer, no boolean or not an object of the right class is a programming error
 * (TypeError / RangeError). Then the checks the kernel makes on the values alone, each with the
 * kernel's errno (an MmError naming the argument and value), in the kernel's order.
 *
 * An integer argument is what a C caller passes: a negative number stands for its two's complement
 * (-4096 is the unsigned long 0xfffffffffffff000), as the kernel sees it. prot, flags and advice are
 * C ints (mmap(2), mprotect(2), madvise(2) take int), so they must fit 32 bits.
 *
 * The checks need nothing of the mm: the sys* tasks run them before taking the mmap lock (so the
 * synchronous façade throws their message), and the do* functions run them again before they change
 * anything, returning the errno as the kernel does.
 */
import {
  LEGACY_MAP_MASK, MADV_COLD, MADV_COLLAPSE, MADV_DODUMP, MADV_DOFORK, MADV_DONTDUMP, MADV_DONTFORK, MADV_DONTNEED,
  MADV_DONTNEED_LOCKED, MADV_FREE, MADV_GUARD_INSTALL, MADV_GUARD_REMOVE, MADV_HUGEPAGE, MADV_HWPOISON, MADV_KEEPONFORK,
  MADV_MERGEABLE, MADV_NOHUGEPAGE, MADV_NORMAL, MADV_PAGEOUT, MADV_POPULATE_READ, MADV_POPULATE_WRITE, MADV_RANDOM,
  MADV_REMOVE, MADV_SEQUENTIAL, MADV_SOFT_OFFLINE, MADV_UNMERGEABLE, MADV_WILLNEED, MADV_WIPEONFORK, MAP_32BIT, MAP_ABOVE4G,
  MAP_ANONYMOUS, MAP_DROPPABLE, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_HUGETLB, MAP_PRIVATE, MAP_SHARED,
  MAP_SHARED_VALIDATE, MAP_TYPE, MMAP_MIN_ADDR, PAGE_SIZE, PROT_EXEC, PROT_GROWSDOWN, PROT_GROWSUP, PROT_READ, PROT_SEM,
  PROT_WRITE, TASK_SIZE,
} from './constants.js';
import { MmError, type MmErrorCode } from './errno.js';
import type { File } from './file.js';
import type { Kernel } from './kernel.js';
import type { KObject, ObjectRegistry } from './kasan.js';
import type { Mm } from './mm.js';
import type { Vma } from './vma.js';

const ULONG = 1n << 64n;
const PAGE = BigInt(PAGE_SIZE);
const TASK = BigInt(TASK_SIZE);
/** MAX_LFS_FILESIZE on 64-bit: the largest offset a regular file has (file_mmap_size_max). */
const MAX_LFS_FILESIZE = (1n << 63n) - 1n;

/** A value as a message shows it. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'a plain object';
  }
  return String(value);
}

/** The unsigned long a C caller's integer becomes. */
function ulong(value: number): bigint {
  return value < 0 ? ULONG + BigInt(value) : BigInt(value);
}

/** `value` for a message, with its unsigned long when negative. */
function shown(value: number): string {
  return value < 0 ? `${value} (0x${ulong(value).toString(16)} as unsigned long)` : `${value}`;
}

function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/** PAGE_ALIGN on an unsigned long: rounds up, wrapping to 0 past the top. */
function pageAlign(value: bigint): bigint {
  return ((value + PAGE - 1n) % ULONG) & ~(PAGE - 1n);
}

function refuse(code: MmErrorCode, message: string): MmError {
  return new MmError(code, message);
}

/** Throws unless `value` is an integer argument; returns it. */
export function integerArg(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${show(value)}`);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${fn}: ${name} must be a safe integer (below 2^53 in magnitude), got ${value}`);
  return value;
}

/** Throws unless `value` is a C int (prot, flags, advice). */
export function intArg(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${show(value)}`);
  if ((value | 0) !== value || Object.is(value, -0)) throw new RangeError(`${fn}: ${name} must be a 32-bit int, got ${value}`);
  return value;
}

/** Throws unless `value` is a boolean. */
export function booleanArg(fn: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${fn}: ${name} must be a boolean, got ${show(value)}`);
  return value;
}

/**
 * The model's classes (KObject, File, Kernel) carry their name under this key, so the checks here
 * recognise them without importing them (kasan.ts, file.ts and kernel.ts use these checks).
 */
export const MODEL_CLASS = Symbol('mapletree/mm class');

/**
 * One test per class, each with its own property load: the model checks its arguments at every
 * call, and one shared load sees every class of object (Vma, Mm, Kernel, File, …) and goes
 * megamorphic; the Kernel and File tests see one class each.
 */
function isKObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { [MODEL_CLASS]?: unknown })[MODEL_CLASS] === 'KObject';
}

function isKernel(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { [MODEL_CLASS]?: unknown })[MODEL_CLASS] === 'Kernel';
}

function isFileObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { [MODEL_CLASS]?: unknown })[MODEL_CLASS] === 'File';
}

/** Throws unless `value` is a non-negative safe integer (an index, a count, a page number). */
export function indexArg(fn: string, name: string, value: unknown): number {
  const v = integerArg(fn, name, value);
  if (v < 0) throw new RangeError(`${fn}: ${name} must not be negative, got ${v}`);
  return v;
}

/** Throws unless `value` is a string. */
export function stringArg(fn: string, name: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`${fn}: ${name} must be a string, got ${show(value)}`);
  return value;
}

/** The `who` of a model function: the label its trace events carry. */
export function whoArg(fn: string, who: unknown): string {
  return stringArg(fn, 'who', who);
}

/** Throws unless `value` is a function. */
export function functionArg(fn: string, name: string, value: unknown): void {
  if (typeof value !== 'function') throw new TypeError(`${fn}: ${name} must be a function, got ${show(value)}`);
}

/** Throws unless `value` is undefined or a boolean. */
export function optionalBooleanArg(fn: string, name: string, value: unknown): void {
  if (value !== undefined) booleanArg(fn, name, value);
}

/**
 * Throws unless `value` is undefined or an object of options whose keys are all in `known`;
 * returns it (or an empty object).
 */
export function optionsArg(fn: string, name: string, value: unknown, known: readonly string[]): Readonly<Record<string, unknown>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${fn}: ${name} must be an object of options, got ${show(value)}`);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new RangeError(`${fn}: ${name} has an unknown option ${JSON.stringify(key)} (known: ${known.join(', ')})`);
  }
  return value as Readonly<Record<string, unknown>>;
}

/** Throws unless `obj` is a KObject of `kind` (a KObject of any kind for null). */
function kobjectArg(fn: string, name: string, value: unknown, kind: string | null, what: string): void {
  if (!isKObject(value) || (kind !== null && (value as KObject).kind !== kind)) throw new TypeError(`${fn}: ${name} must be ${what}, got ${show(value)}`);
}

/** Throws unless `mm` is an Mm (its state is not checked: a walker may race its exit). */
export function mmArg(fn: string, mm: unknown, name = 'mm'): Mm {
  kobjectArg(fn, name, mm, 'mm', 'an Mm');
  return mm as Mm;
}

/** A syscall's mm: an Mm whose address space still exists (checked when the task is made). */
export function liveMmArg(fn: string, mm: unknown): Mm {
  const m = mmArg(fn, mm);
  if (m.freed || m.exited) throw new RangeError(`${fn}: mm ${m.name} has exited (${m.freedAt ?? 'exit_mmap'})`);
  return m;
}

export function vmaArg(fn: string, vma: unknown, name = 'vma'): Vma {
  kobjectArg(fn, name, vma, 'vma', 'a Vma');
  return vma as Vma;
}

export function kobjectOf(fn: string, name: string, value: unknown, kind: string | null, what: string): void {
  kobjectArg(fn, name, value, kind, what);
}

export function kernelArg(fn: string, kernel: unknown): Kernel {
  if (!isKernel(kernel)) throw new TypeError(`${fn}: kernel must be a Kernel, got ${show(kernel)}`);
  return kernel as Kernel;
}

const CONFIG_FLAGS = [
  'ksmKhugepagedEarly', 'uffdFailOnError', 'uprobeSemInDupMm', 'failureFlags', 'uprobeStableCheck', 'swapoffStableCheck',
  'oomReapReverse', 'vmaStartWriteKillable',
] as const;

/** A KernelConfig: the recovery, the loop order, each fact as a boolean, the layout and the optional swapoff zero check. */
export function kernelConfigArg(fn: string, config: unknown): void {
  const c = optionsArg(fn, 'config', config, ['recovery', 'loopOrder', ...CONFIG_FLAGS, 'layout', 'swapoffZeroCheck', 'partialFallback', 'nodeReserve']);
  const recovery = c['recovery'];
  if (recovery !== 'xa-zero' && recovery !== 'teardown' && recovery !== 'partial') {
    throw new RangeError(`${fn}: config.recovery must be 'xa-zero', 'teardown' or 'partial', got ${show(recovery)}`);
  }
  partialArgs(fn, recovery, c['partialFallback'], c['nodeReserve']);
  if (c['loopOrder'] !== 'link-file-first' && c['loopOrder'] !== 'store-first') throw new RangeError(`${fn}: config.loopOrder must be 'link-file-first' or 'store-first', got ${show(c['loopOrder'])}`);
  for (const flag of CONFIG_FLAGS) booleanArg(fn, `config.${flag}`, c[flag]);
  const layout = c['layout'] as Record<string, unknown> | null;
  if (typeof layout !== 'object' || layout === null || typeof layout['anon_vma'] !== 'number' || typeof layout['vm_userfaultfd_ctx'] !== 'number') {
    throw new TypeError(`${fn}: config.layout must be a VmaLayout (anon_vma, vm_userfaultfd_ctx offsets), got ${show(layout)}`);
  }
  const zero = c['swapoffZeroCheck'];
  if (zero !== undefined && zero !== 'break' && zero !== 'continue') throw new RangeError(`${fn}: config.swapoffZeroCheck must be 'break', 'continue' or absent, got ${show(zero)}`);
}

/** The partial recovery's fallback (required with it, absent otherwise) and its optional node reserve. */
function partialArgs(fn: string, recovery: string, fallback: unknown, reserve: unknown): void {
  if (recovery !== 'partial') {
    if (fallback !== undefined || reserve !== undefined) throw new RangeError(`${fn}: config.partialFallback and config.nodeReserve need recovery 'partial', got recovery ${show(recovery)}`);
    return;
  }
  if (fallback !== 'teardown' && fallback !== 'xa-zero') throw new RangeError(`${fn}: config.partialFallback must be 'teardown' or 'xa-zero', got ${show(fallback)}`);
  if (reserve === undefined) return;
  const r = optionsArg(fn, 'config.nodeReserve', reserve, ['nodes', 'rcu']);
  if (!Number.isInteger(r['nodes']) || (r['nodes'] as number) < 1) throw new RangeError(`${fn}: config.nodeReserve.nodes must be a positive integer, got ${show(r['nodes'])}`);
  booleanArg(fn, 'config.nodeReserve.rcu', r['rcu']);
}

/** The object registry a KObject registers with: a Kernel. */
export function registryArg(fn: string, registry: unknown): ObjectRegistry {
  if (!isKernel(registry)) throw new TypeError(`${fn}: registry must be a Kernel, got ${show(registry)}`);
  return registry as ObjectRegistry;
}

export function isFile(value: unknown): value is File {
  return isFileObject(value);
}

export function fileArg(fn: string, file: unknown, nullable: boolean): File | null {
  if ((file === null || file === undefined) && nullable) return null;
  if (!isFile(file)) throw new TypeError(`${fn}: file must be a File${nullable ? ' or null' : ''}, got ${show(file)}`);
  return file;
}

/** Throws unless [start, end) is a non-empty, page-aligned range of user addresses. */
export function userRangeArg(fn: string, start: unknown, end: unknown, names: readonly [string, string] = ['start', 'end']): void {
  const s = indexArg(fn, names[0], start);
  const e = indexArg(fn, names[1], end);
  if (s % PAGE_SIZE !== 0) throw new RangeError(`${fn}: ${names[0]} must be a multiple of ${PAGE_SIZE}, got ${s}`);
  if (e % PAGE_SIZE !== 0) throw new RangeError(`${fn}: ${names[1]} must be a multiple of ${PAGE_SIZE}, got ${e}`);
  if (s >= e) throw new RangeError(`${fn}: ${names[0]} 0x${s.toString(16)} must be below ${names[1]} 0x${e.toString(16)}`);
  if (e > TASK_SIZE) throw new RangeError(`${fn}: ${names[1]} 0x${e.toString(16)} is above TASK_SIZE (${hex(TASK)})`);
}

const FORK_OPTIONS = ['signalAtVma', 'signalAtLock', 'signalChoice', 'ldt'] as const;

/** dup_mm / dup_mmap's ForkOptions. */
export function forkOptionsArg(fn: string, options: unknown): void {
  const o = optionsArg(fn, 'options', options, FORK_OPTIONS);
  if (o['signalAtVma'] !== undefined && o['signalAtVma'] !== null) indexArg(fn, 'options.signalAtVma', o['signalAtVma']);
  // dup_mm and dup_mmap check their options at every fork: a flag's name is made only for a refusal.
  for (let i = 1; i < FORK_OPTIONS.length; i++) {
    const flag = FORK_OPTIONS[i]!;
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') optionalBooleanArg(fn, `options.${flag}`, o[flag]);
  }
}

/** What a merge check compares: a VMA, or the view of one a syscall is about to make. */
export function vmaViewArg(fn: string, name: string, view: unknown, bound: 'vmStart' | 'vmEnd'): void {
  const v = view as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null || typeof v['vmFlags'] !== 'number' || typeof v['vmPgoff'] !== 'number' || typeof v[bound] !== 'number') {
    throw new TypeError(`${fn}: ${name} must be a Vma or a view of one (vmFlags, vmPgoff, ${bound}), got ${show(view)}`);
  }
}

/** Throws unless [start, end) lies inside `vma` on page boundaries. */
export function rangeInVmaArg(fn: string, vma: Vma, start: unknown, end: unknown): void {
  userRangeArg(fn, start, end);
  if ((start as number) < vma.vmStart || (end as number) > vma.vmEnd) {
    throw new RangeError(`${fn}: [start 0x${(start as number).toString(16)}, end 0x${(end as number).toString(16)}) is not inside ${vma.toString()}`);
  }
}

/** Runs `checks` on the other arguments of a KObject's constructor, then checks its registry: before the object registers. */
export function checkedRegistry(fn: string, registry: unknown, checks: () => void): ObjectRegistry {
  const r = registryArg(fn, registry);
  checks();
  return r;
}

/** The arguments of mmap(2) once checked: what do_mmap goes on with. */
export interface MmapArgs {
  /** MAP_FIXED: the address; otherwise the hint after round_hint_to_min (0: none). */
  readonly addr: number;
  /** Page aligned. */
  readonly len: number;
  readonly prot: number;
  readonly flags: number;
  readonly fixed: boolean;
  /** null for an anonymous mapping (MAP_ANONYMOUS ignores the file, as it ignores the fd). */
  readonly file: File | null;
  /** The file page offset (0 for anonymous memory: do_mmap sets its own). */
  readonly pgoff: number;
  readonly shared: boolean;
}

/**
 * mmap(2)'s checks on its arguments, in the order of sys_mmap (offset alignment), ksys_mmap_pgoff
 * (the fd), do_mmap, __get_unmapped_area (length and MAP_FIXED address, security_mmap_addr's
 * mmap_min_addr) and do_mmap's mapping-type switch. Returns the checked arguments or the refusal.
 */
export function mmapArgs(addr: unknown, len: unknown, prot: unknown, flags: unknown, file: unknown, offset: unknown): MmapArgs | MmError {
  const a = integerArg('mmap', 'addr', addr);
  const l = integerArg('mmap', 'len', len);
  const p = intArg('mmap', 'prot', prot);
  const f = intArg('mmap', 'flags', flags);
  fileArg('mmap', file, true);
  const o = integerArg('mmap', 'offset', offset);
  const type = f & MAP_TYPE;
  // What the model does not map (huge pages, droppable memory, placement below or above 4 GiB).
  for (const [bit, name] of [[MAP_HUGETLB, 'MAP_HUGETLB'], [MAP_32BIT, 'MAP_32BIT'], [MAP_ABOVE4G, 'MAP_ABOVE4G']] as const) {
    if (f & bit) throw new RangeError(`mmap: flags 0x${(f >>> 0).toString(16)} include ${name}, which the model does not map`);
  }
  if (type === MAP_DROPPABLE) throw new RangeError('mmap: MAP_DROPPABLE mappings are not modelled');
  if (ulong(o) % PAGE !== 0n) return refuse('EINVAL', `mmap: offset must be a multiple of ${PAGE_SIZE}, got ${shown(o)}`);
  const anonymous = (f & MAP_ANONYMOUS) !== 0;
  const mapped = anonymous ? null : (file as File | null | undefined) ?? null;
  if (!anonymous && mapped === null) {
    return refuse('EBADF', `mmap: flags 0x${(f >>> 0).toString(16)} lack MAP_ANONYMOUS but no file is given`);
  }
  if (l === 0) return refuse('EINVAL', 'mmap: len must not be 0');
  const size = pageAlign(ulong(l));
  if (size === 0n) return refuse('ENOMEM', `mmap: len ${shown(l)} wraps to 0 when page aligned`);
  if (size > TASK) return refuse('ENOMEM', `mmap: len ${shown(l)} exceeds TASK_SIZE (${hex(TASK)})`);
  const fixed = (f & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
  let where: number;
  if (fixed) {
    const at = ulong(a);
    if (at > TASK - size) return refuse('ENOMEM', `mmap: MAP_FIXED addr ${shown(a)} + len ${hex(size)} exceeds TASK_SIZE (${hex(TASK)})`);
    if (at % PAGE !== 0n) return refuse('EINVAL', `mmap: MAP_FIXED addr must be a multiple of ${PAGE_SIZE}, got ${shown(a)}`);
    if (at < BigInt(MMAP_MIN_ADDR)) return refuse('EPERM', `mmap: MAP_FIXED addr ${shown(a)} is below mmap_min_addr (0x${MMAP_MIN_ADDR.toString(16)})`);
    where = a;
  } else {
    // round_hint_to_min, then a hint that cannot hold the mapping is no hint.
    let hint = ulong(a) & ~(PAGE - 1n);
    if (hint !== 0n && hint < BigInt(MMAP_MIN_ADDR)) hint = BigInt(MMAP_MIN_ADDR);
    where = hint > TASK - size ? 0 : Number(hint);
  }
  let pgoff = 0;
  if (mapped) {
    // file_mmap_ok: the mapping must end within the largest offset of a regular file.
    const off = ulong(o) / PAGE;
    if (off > (MAX_LFS_FILESIZE - size) / PAGE) return refuse('EOVERFLOW', `mmap: offset ${shown(o)} + len ${hex(size)} lies beyond the largest file offset`);
    if (type === MAP_SHARED_VALIDATE && (f & ~LEGACY_MAP_MASK)) {
      return refuse('EOPNOTSUPP', `mmap: MAP_SHARED_VALIDATE with flags 0x${((f & ~LEGACY_MAP_MASK) >>> 0).toString(16)} the file does not support`);
    }
    if (type !== MAP_SHARED && type !== MAP_SHARED_VALIDATE && type !== MAP_PRIVATE) {
      return refuse('EINVAL', `mmap: flags 0x${(f >>> 0).toString(16)} name no mapping type (MAP_SHARED, MAP_SHARED_VALIDATE or MAP_PRIVATE)`);
    }
    if (f & MAP_GROWSDOWN) return refuse('EINVAL', 'mmap: MAP_GROWSDOWN cannot map a file');
    pgoff = Number(off);
  } else {
    // Anonymous memory knows only MAP_SHARED and MAP_PRIVATE (do_mmap's default case refuses the rest).
    if (type !== MAP_SHARED && type !== MAP_PRIVATE) {
      return refuse('EINVAL', `mmap: flags 0x${(f >>> 0).toString(16)} name no anonymous mapping type (MAP_SHARED or MAP_PRIVATE)`);
    }
    if (type === MAP_SHARED && (f & MAP_GROWSDOWN)) return refuse('EINVAL', 'mmap: MAP_GROWSDOWN cannot map shared anonymous memory');
  }
  return { addr: where, len: Number(size), prot: p, flags: f, fixed, file: mapped, pgoff, shared: type !== MAP_PRIVATE };
}

/** A checked range: start and the page-aligned end, capped at 2^53 - 1 (nothing is mapped above TASK_SIZE). */
export interface RangeArgs {
  readonly start: number;
  readonly end: number;
}

function capped(end: bigint): number {
  return end > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(end);
}

/** do_vmi_munmap's checks. */
export function munmapArgs(start: unknown, len: unknown): RangeArgs | MmError {
  const s = integerArg('munmap', 'addr', start);
  const l = integerArg('munmap', 'len', len);
  const at = ulong(s);
  if (at % PAGE !== 0n) return refuse('EINVAL', `munmap: addr must be a multiple of ${PAGE_SIZE}, got ${shown(s)}`);
  if (at > TASK) return refuse('EINVAL', `munmap: addr ${shown(s)} is above TASK_SIZE (${hex(TASK)})`);
  if (ulong(l) > TASK - at) return refuse('EINVAL', `munmap: addr ${shown(s)} + len ${shown(l)} exceeds TASK_SIZE (${hex(TASK)})`);
  const end = at + pageAlign(ulong(l));
  if (end === at) return refuse('EINVAL', 'munmap: len must not be 0');
  return { start: s, end: Number(end) };
}

/** mprotect's checks (do_mprotect_pkey); `end === start` means nothing to do. */
export interface MprotectArgs extends RangeArgs {
  readonly prot: number;
  readonly growsDown: boolean;
  readonly growsUp: boolean;
}

export function mprotectArgs(start: unknown, len: unknown, prot: unknown): MprotectArgs | MmError {
  const s = integerArg('mprotect', 'addr', start);
  const l = integerArg('mprotect', 'len', len);
  const p = intArg('mprotect', 'prot', prot);
  const grows = p & (PROT_GROWSDOWN | PROT_GROWSUP);
  if (grows === (PROT_GROWSDOWN | PROT_GROWSUP)) return refuse('EINVAL', 'mprotect: prot has both PROT_GROWSDOWN and PROT_GROWSUP');
  const at = ulong(s);
  if (at % PAGE !== 0n) return refuse('EINVAL', `mprotect: addr must be a multiple of ${PAGE_SIZE}, got ${shown(s)}`);
  const base = { prot: p & ~grows, growsDown: (grows & PROT_GROWSDOWN) !== 0, growsUp: (grows & PROT_GROWSUP) !== 0 };
  if (l === 0) return { start: 0, end: 0, ...base };
  const end = (at + pageAlign(ulong(l))) % ULONG;
  if (end <= at) return refuse('ENOMEM', `mprotect: addr ${shown(s)} + len ${shown(l)} wraps around the address space`);
  // arch_validate_prot: the access bits and PROT_SEM, nothing else (a negative int sets every high bit).
  if ((p & ~grows & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) !== 0) {
    return refuse('EINVAL', `mprotect: prot 0x${(p >>> 0).toString(16)} has bits other than PROT_READ|PROT_WRITE|PROT_EXEC|PROT_SEM`);
  }
  if (at >= TASK) return refuse('ENOMEM', `mprotect: addr ${shown(s)} is above TASK_SIZE (${hex(TASK)}): nothing is mapped there`);
  return { start: s, end: capped(end), ...base };
}

/** The advice madvise_behavior_valid accepts (x86-64 with KSM, THP and memory-failure). */
const KERNEL_ADVICE: ReadonlyMap<number, string> = new Map([
  [MADV_NORMAL, 'MADV_NORMAL'], [MADV_RANDOM, 'MADV_RANDOM'], [MADV_SEQUENTIAL, 'MADV_SEQUENTIAL'], [MADV_WILLNEED, 'MADV_WILLNEED'],
  [MADV_DONTNEED, 'MADV_DONTNEED'], [MADV_FREE, 'MADV_FREE'], [MADV_REMOVE, 'MADV_REMOVE'], [MADV_DONTFORK, 'MADV_DONTFORK'],
  [MADV_DOFORK, 'MADV_DOFORK'], [MADV_MERGEABLE, 'MADV_MERGEABLE'], [MADV_UNMERGEABLE, 'MADV_UNMERGEABLE'],
  [MADV_HUGEPAGE, 'MADV_HUGEPAGE'], [MADV_NOHUGEPAGE, 'MADV_NOHUGEPAGE'], [MADV_DONTDUMP, 'MADV_DONTDUMP'],
  [MADV_DODUMP, 'MADV_DODUMP'], [MADV_WIPEONFORK, 'MADV_WIPEONFORK'], [MADV_KEEPONFORK, 'MADV_KEEPONFORK'], [MADV_COLD, 'MADV_COLD'],
  [MADV_PAGEOUT, 'MADV_PAGEOUT'], [MADV_POPULATE_READ, 'MADV_POPULATE_READ'], [MADV_POPULATE_WRITE, 'MADV_POPULATE_WRITE'],
  [MADV_DONTNEED_LOCKED, 'MADV_DONTNEED_LOCKED'], [MADV_COLLAPSE, 'MADV_COLLAPSE'], [MADV_HWPOISON, 'MADV_HWPOISON'],
  [MADV_SOFT_OFFLINE, 'MADV_SOFT_OFFLINE'], [MADV_GUARD_INSTALL, 'MADV_GUARD_INSTALL'], [MADV_GUARD_REMOVE, 'MADV_GUARD_REMOVE'],
]);

/** The advice the model carries out (madvise.ts). */
export const MODELLED_ADVICE: ReadonlySet<number> = new Set([
  MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED, MADV_DONTFORK, MADV_DOFORK, MADV_DONTDUMP, MADV_DODUMP,
  MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT,
]);

/** madvise's checks (is_valid_madvise, madvise_should_skip); `end === start` means nothing to do. */
export function madviseArgs(start: unknown, len: unknown, advice: unknown): (RangeArgs & { readonly advice: number }) | MmError {
  const s = integerArg('madvise', 'addr', start);
  const l = integerArg('madvise', 'len', len);
  const adv = intArg('madvise', 'advice', advice);
  const known = KERNEL_ADVICE.get(adv);
  if (known === undefined) return refuse('EINVAL', `madvise: advice ${adv} is not one Linux knows`);
  if (!MODELLED_ADVICE.has(adv)) {
    const modelled = [...MODELLED_ADVICE].map((v) => KERNEL_ADVICE.get(v)).join(', ');
    throw new RangeError(`madvise: advice ${known} (${adv}) is valid in Linux but not modelled (modelled: ${modelled})`);
  }
  const at = ulong(s);
  if (at % PAGE !== 0n) return refuse('EINVAL', `madvise: addr must be a multiple of ${PAGE_SIZE}, got ${shown(s)}`);
  const size = pageAlign(ulong(l));
  if (l !== 0 && size === 0n) return refuse('EINVAL', `madvise: len ${shown(l)} wraps to 0 when page aligned`);
  if (at + size >= ULONG) return refuse('EINVAL', `madvise: addr ${shown(s)} + len ${shown(l)} wraps around the address space`);
  if (size !== 0n && at >= TASK) return refuse('ENOMEM', `madvise: addr ${shown(s)} is above TASK_SIZE (${hex(TASK)}): nothing is mapped there`);
  return { start: size === 0n ? 0 : s, end: size === 0n ? 0 : capped(at + size), advice: adv };
}

/** brk(2)'s argument: the kernel takes any unsigned long (and keeps the old break when it cannot move). */
export function brkArg(brk: unknown): number {
  return integerArg('brk', 'brk', brk);
}

/** A page fault's arguments: any address (nothing mapped there is a SIGSEGV), read or write. */
export function faultArgs(addr: unknown, writeAccess: unknown): void {
  integerArg('page fault', 'addr', addr);
  booleanArg('page fault', 'writeAccess', writeAccess);
}
