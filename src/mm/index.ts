/**
 * mapletree/mm: an executable model of a Linux process address space on the maple tree.
 */
export * from './constants.js';
export { MmError, MM_ERRNO, errnoName, type MmErrorCode } from './errno.js';
export { MMLIST_LOCK, DUP_MMAP_SEM } from './locks.js';
export {
  KERNELS, KERNEL_NAMES, KERNEL_RELEASES, REAL_KERNELS, COUNTERFACTUAL_KERNELS, LATEST_KERNEL, LAYOUT_6_8, LAYOUT_6_10, LAYOUT_6_15,
  kernelConfig, kernelRelease, type KernelConfig, type KernelName, type KernelRelease, type Recovery, type VmaLayout,
  DESIGN_KERNELS, DEFAULT_RESERVE_NODES, type NodeReserveConfig, type PartialFallback,
} from './config.js';
export { Kernel, SwapDevice, type UffdForkEvent } from './kernel.js';
export { MmSlotList, type ScannerName } from './mm-slot.js';
export { Mm, createMm } from './mm.js';
export { Vma, MemPolicy, UffdCtx, derefVma, peekVma, vmaFieldOffset, XA_ZERO_ADDRESS, type VmaSlot, type VmaField } from './vma.js';
export { AnonVma, AnonVmaChain } from './anon-vma.js';
export { File, AddressSpace, type VmOps } from './file.js';
export { PageTables, type Page, type Pte } from './page-table.js';
export { KObject, use, kfree, type ObjectRegistry } from './kasan.js';
export { dupMm, dupMmap, type ForkOptions, type DupMmapOutcome } from './fork.js';
export { CLEAR_SITE, REFILL_SITE, type PartialOutcome } from './recovery-partial.js';
export { exitMmap, mmput, mmdrop, __mmput } from './exit.js';
export { handleMmFault } from './fault.js';
export { swapOutPage, swapInPte } from './swap.js';
export { addVmas, populate, pageOut, type VmaSpec } from './layout.js';
export { parseMaps, formatMaps, mmFromMaps, flagsFromPerms, type MapsLine } from './maps.js';
export { validateMm, MmInvariantError } from './validate.js';
export { findLeaks } from './leaks.js';
export { tryToUnuse, unuseMm } from './walkers/swapoff.js';
export { registerForEachVma } from './walkers/uprobe.js';
export { oomReaper } from './walkers/oom-reaper.js';
export { uffdMonitor } from './walkers/uffd.js';
export type { AnonFolio } from './walkers/reclaim.js';
export type { ParentAfterFork } from './walkers/parent.js';
// syscalls: as tasks (sys*), run synchronously (mmap, munmap, …), and the kernel's inner functions
export { mmap, munmap, mprotect, madvise, brk, fault } from './syscalls-sync.js';
export { sysMmap, sysMunmap, sysMprotect, sysMadvise, sysBrk, sysFault } from './syscalls.js';
export { doMmap, mmapRegion, getUnmappedArea, protToVmFlags } from './mmap.js';
export { doVmiMunmap, MAX_MAP_COUNT } from './munmap.js';
export { doMprotect } from './mprotect.js';
export { doMadvise } from './madvise.js';
export { doBrk, BRK_FLAGS } from './brk.js';
export { vmaModifyFlags } from './vma-modify.js';
export { splitVma } from './vma-ops.js';
export { canMerge, type VmaMergeFields } from './vma-merge.js';
