/**
 * mapletree/mm: an executable model of a Linux process address space on the maple tree.
 */
export * from './constants.js';
export { MmError, MM_ERRNO, errnoName, type MmErrorCode } from './errno.js';
export { KERNELS, KERNEL_NAMES, kernelConfig, type KernelConfig, type KernelName, type Recovery } from './config.js';
export { Kernel, SwapDevice, type UffdForkEvent } from './kernel.js';
export { Mm } from './mm.js';
export { Vma, MemPolicy, UffdCtx, derefVma, peekVma, VMA_FIELD_OFFSET, XA_ZERO_ADDRESS, type VmaSlot, type VmaField } from './vma.js';
export { AnonVma, AnonVmaChain } from './anon-vma.js';
export { File, AddressSpace, type VmOps } from './file.js';
export { PageTables, type Page, type Pte } from './page-table.js';
export { KObject, use, kfree } from './kasan.js';
export { dupMm, dupMmap, type ForkOptions, type DupMmapOutcome } from './fork.js';
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
// syscalls
export { sysMmap, sysMunmap, sysMprotect, sysMadvise, sysBrk, sysFault } from './syscalls.js';
export { doMmap, mmapRegion, getUnmappedArea, protToVmFlags } from './mmap.js';
export { doVmiMunmap, MAX_MAP_COUNT } from './munmap.js';
export { doMprotect } from './mprotect.js';
export { doMadvise } from './madvise.js';
export { doBrk, BRK_FLAGS } from './brk.js';
export { vmaModifyFlags } from './vma-modify.js';
export { splitVma, canMerge } from './vma-ops.js';
export { buildScenario, DEFAULT_PARENT, DEFAULT_UPROBE, WALKER_NAMES, type ScenarioOptions, type ScenarioWorld, type WalkerName } from './scenario.js';
export { runScript, dupMmapReturned, swapoffOops, uprobeCrash, type ScriptStep, type ScriptedRun } from './script.js';
export { forkExitModel, FORK_EXIT_MODEL, variantName, parseVariant } from './model.js';
export { runStudy, studyCell, STUDY_CONFIGURATIONS, type StudyCell, type StudyOptions, type StudyResult } from './study.js';
