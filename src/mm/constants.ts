/**
 * Constants of the address-space model, with the kernel's values (x86-64, 4 KiB pages, 47-bit user
 * address space). Addresses are byte addresses: every user address is below 2^47, well inside the
 * tree's index domain, so VMA ranges are stored as [vm_start, vm_end - 1] exactly like mm_mt.
 */

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 4096;
/** One page-table page (a PTE table) maps 2 MiB. */
export const PMD_SIZE = 2 * 1024 * 1024;
/** TASK_SIZE on x86-64 with 4-level paging. */
export const TASK_SIZE = 0x7ffffffff000;
export const FIRST_USER_ADDRESS = 0;
/**
 * USER_PGTABLES_CEILING is 0 in the kernel, meaning "no ceiling" (callers subtract 1 and wrap to
 * ULONG_MAX). MAX_INDEX (2^53 - 1) stands in for that wrapped top here, as it does for ULONG_MAX.
 */
export const USER_PGTABLES_CEILING = Number.MAX_SAFE_INTEGER;
/** mmap_min_addr's common default. */
export const MMAP_MIN_ADDR = 0x10000;

// vm_flags bits (include/linux/mm.h).
export const VM_NONE = 0;
export const VM_READ = 0x1;
export const VM_WRITE = 0x2;
export const VM_EXEC = 0x4;
export const VM_SHARED = 0x8;
export const VM_MAYREAD = 0x10;
export const VM_MAYWRITE = 0x20;
export const VM_MAYEXEC = 0x40;
export const VM_MAYSHARE = 0x80;
export const VM_GROWSDOWN = 0x100;
export const VM_UFFD_MISSING = 0x200;
export const VM_PFNMAP = 0x400;
export const VM_SEQ_READ = 0x8000;
export const VM_RAND_READ = 0x10000;
export const VM_LOCKED = 0x2000;
export const VM_IO = 0x4000;
export const VM_DONTCOPY = 0x20000;
export const VM_DONTEXPAND = 0x40000;
export const VM_LOCKONFAULT = 0x80000;
export const VM_ACCOUNT = 0x100000;
export const VM_NORESERVE = 0x200000;
export const VM_HUGETLB = 0x400000;
export const VM_WIPEONFORK = 0x2000000;
export const VM_DONTDUMP = 0x4000000;
export const VM_SOFTDIRTY = 0x8000000;
export const VM_MIXEDMAP = 0x10000000;

export const VM_LOCKED_MASK = VM_LOCKED | VM_LOCKONFAULT;
/** Mappings of pages the kernel does not manage as ordinary memory (VM_SPECIAL). */
export const VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;
export const VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;
export const VM_MAY_FLAGS = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
export const VM_STACK = VM_GROWSDOWN;
/** Flags that differ between VMAs without preventing a merge (VM_SOFTDIRTY, as in is_mergeable_vma). */
export const VM_IGNORE_MERGE = VM_SOFTDIRTY;

/** Flag names in bit order, for dumps and maps-style output. */
export const VM_FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [VM_READ, 'READ'], [VM_WRITE, 'WRITE'], [VM_EXEC, 'EXEC'], [VM_SHARED, 'SHARED'],
  [VM_MAYREAD, 'MAYREAD'], [VM_MAYWRITE, 'MAYWRITE'], [VM_MAYEXEC, 'MAYEXEC'], [VM_MAYSHARE, 'MAYSHARE'],
  [VM_GROWSDOWN, 'GROWSDOWN'], [VM_UFFD_MISSING, 'UFFD_MISSING'], [VM_PFNMAP, 'PFNMAP'], [VM_LOCKED, 'LOCKED'],
  [VM_SEQ_READ, 'SEQ_READ'], [VM_RAND_READ, 'RAND_READ'],
  [VM_IO, 'IO'], [VM_DONTCOPY, 'DONTCOPY'], [VM_DONTEXPAND, 'DONTEXPAND'], [VM_LOCKONFAULT, 'LOCKONFAULT'],
  [VM_ACCOUNT, 'ACCOUNT'], [VM_NORESERVE, 'NORESERVE'], [VM_HUGETLB, 'HUGETLB'], [VM_WIPEONFORK, 'WIPEONFORK'],
  [VM_DONTDUMP, 'DONTDUMP'], [VM_SOFTDIRTY, 'SOFTDIRTY'], [VM_MIXEDMAP, 'MIXEDMAP'],
];

/** The helpers here are below args.ts in the module graph, so they check their one argument themselves. */
function checkNonNegative(fn: string, name: string, value: unknown): void {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${typeof value}`);
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${fn}: ${name} must be a non-negative safe integer, got ${value}`);
}

export function vmFlagNames(flags: number): string[] {
  checkNonNegative('vmFlagNames', 'flags', flags);
  return VM_FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
}

// mm->flags bits (include/linux/mm_types.h, 6.18).
export const MMF_HAS_UPROBES = 19;
export const MMF_OOM_SKIP = 21;
export const MMF_UNSTABLE = 22;

// mmap(2), mprotect(2), madvise(2) arguments (uapi).
export const PROT_NONE = 0x0;
export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const PROT_EXEC = 0x4;
export const PROT_SEM = 0x8;
export const PROT_GROWSDOWN = 0x01000000;
export const PROT_GROWSUP = 0x02000000;
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_SHARED_VALIDATE = 0x03;
export const MAP_DROPPABLE = 0x08;
export const MAP_TYPE = 0x0f;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_32BIT = 0x40;
export const MAP_ABOVE4G = 0x80;
export const MAP_GROWSDOWN = 0x100;
export const MAP_DENYWRITE = 0x800;
export const MAP_EXECUTABLE = 0x1000;
export const MAP_LOCKED = 0x2000;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x8000;
export const MAP_NONBLOCK = 0x10000;
export const MAP_STACK = 0x20000;
export const MAP_HUGETLB = 0x40000;
export const MAP_SYNC = 0x80000;
export const MAP_FIXED_NOREPLACE = 0x100000;
export const MAP_UNINITIALIZED = 0x4000000;
export const MAP_HUGE_SHIFT = 26;
export const MAP_HUGE_2MB = 21 << MAP_HUGE_SHIFT;
export const MAP_HUGE_1GB = 30 << MAP_HUGE_SHIFT;
/** The flags every file's mmap implicitly supports; MAP_SHARED_VALIDATE refuses the rest (include/linux/mman.h). */
export const LEGACY_MAP_MASK = MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE |
  MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB |
  MAP_32BIT | MAP_ABOVE4G | MAP_HUGE_2MB | MAP_HUGE_1GB;
export const MADV_NORMAL = 0;
export const MADV_RANDOM = 1;
export const MADV_SEQUENTIAL = 2;
export const MADV_WILLNEED = 3;
export const MADV_DONTNEED = 4;
export const MADV_FREE = 8;
export const MADV_REMOVE = 9;
export const MADV_DONTFORK = 10;
export const MADV_DOFORK = 11;
export const MADV_MERGEABLE = 12;
export const MADV_UNMERGEABLE = 13;
export const MADV_HUGEPAGE = 14;
export const MADV_NOHUGEPAGE = 15;
export const MADV_DONTDUMP = 16;
export const MADV_DODUMP = 17;
export const MADV_WIPEONFORK = 18;
export const MADV_KEEPONFORK = 19;
export const MADV_COLD = 20;
export const MADV_PAGEOUT = 21;
export const MADV_POPULATE_READ = 22;
export const MADV_POPULATE_WRITE = 23;
export const MADV_DONTNEED_LOCKED = 24;
export const MADV_COLLAPSE = 25;
export const MADV_HWPOISON = 100;
export const MADV_SOFT_OFFLINE = 101;
export const MADV_GUARD_INSTALL = 102;
export const MADV_GUARD_REMOVE = 103;

export function pageAligned(addr: number): boolean {
  checkNonNegative('pageAligned', 'addr', addr);
  return addr % PAGE_SIZE === 0;
}

export function pageAlignUp(len: number): number {
  checkNonNegative('pageAlignUp', 'len', len);
  return Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
}

export function pages(len: number): number {
  checkNonNegative('pages', 'len', len);
  return Math.floor(len / PAGE_SIZE);
}
