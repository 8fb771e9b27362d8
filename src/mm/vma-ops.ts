/**
 * The VMA surgery the memory syscalls share (mm/vma.c): splitting a VMA (__split_vma), growing and
 * shrinking a VMA in place, and removing VMAs from an mm; whether VMAs merge is vma-merge.ts's.
 * Every syscall plans its work first, takes every allocation it needs (each an explorer alloc op,
 * as the kernel preallocates), and only then changes anything — so an ENOMEM leaves the mm
 * exactly as it was.
 */
import { alloc, write, type Task } from '../explore/protocol.js';
import { booleanArg, indexArg, mmArg, vmaArg, whoArg } from './args.js';
import { chainLink } from './anon-vma.js';
import { PAGE_SIZE, VM_ACCOUNT, VM_LOCKED } from './constants.js';
import { anonVmaLockWrite, anonVmaUnlockWrite } from './locks.js';
import type { Mm } from './mm.js';
import { freePgdRange, removeVma, unlinkAnonVmas, unlinkFileVma, zapVmaRange } from './unmap.js';
import { vmUnacctMemory } from './accounting.js';
import { MemPolicy, Vma, vmAreaDup } from './vma.js';
import { vmaLinkFile, vmaStoreTree } from './vma-link.js';
import { vmAreaFreeing } from './vma-memory.js';
import { fieldId } from './names.js';

/** Takes the allocations a planned change needs, in order; false (nothing taken) on the first failure. */
export function* allocateAll(sites: readonly string[], who: string): Task<boolean> {
  for (const site of sites) if (!(yield alloc(site, `${who}: ${site}`))) return false;
  return true;
}

/** The allocations __split_vma makes for `vma`: the copy, its policy, one chain per anon_vma. */
export function splitSites(vma: Pick<Vma, 'policy'> & { readonly anonVmaChain: readonly unknown[] }): string[] {
  const sites = ['vm_area_dup'];
  if (vma.policy) sites.push('vma_dup_policy');
  for (let i = 0; i < vma.anonVmaChain.length; i++) sites.push('anon_vma_clone');
  sites.push('vma_iter_prealloc');
  return sites;
}

/** Links `dst` into every anon_vma `src` is chained to (anon_vma_clone, its nodes already allocated). */
function* cloneChains(dst: Vma, src: Vma, who: string): Task {
  for (const avc of [...src.anonVmaChain].reverse()) {
    yield anonVmaLockWrite(avc.anonVma.root, who);
    chainLink(dst.registry, dst, avc.anonVma);
    yield anonVmaUnlockWrite(avc.anonVma.root, who);
  }
  if (dst.anonVma) dst.anonVma.numActiveVmas++;
}

/**
 * __split_vma: split `vma` at `addr`; the new VMA takes the part below (newBelow) or above. The
 * allocations (splitSites) must already be taken. Returns the new VMA.
 */
export function* splitVma(mm: Mm, vma: Vma, addr: number, newBelow: boolean, who: string): Task<Vma> {
  mmArg('__split_vma', mm);
  vmaArg('__split_vma', vma);
  indexArg('__split_vma', 'addr', addr);
  booleanArg('__split_vma', 'newBelow', newBelow);
  whoArg('__split_vma', who);
  if (addr <= vma.vmStart || addr >= vma.vmEnd || addr % PAGE_SIZE !== 0) {
    throw new RangeError(`__split_vma: addr 0x${addr.toString(16)} is not inside ${vma.toString()} on a page boundary`);
  }
  const fn = `__split_vma (${who})`;
  const nv = vmAreaDup(vma);
  if (vma.policy) nv.policy = new MemPolicy(mm.kernel, vma.policy.mode);
  const delta = (addr - vma.vmStart) / PAGE_SIZE;
  if (newBelow) {
    nv.vmEnd = addr;
    vma.vmStart = addr;
    vma.vmPgoff += delta;
  } else {
    nv.vmStart = addr;
    nv.vmPgoff += delta;
    vma.vmEnd = addr;
  }
  yield* cloneChains(nv, vma, fn);
  if (nv.vmFile) {
    nv.vmFile.refs++;
    if (nv.vmFile.vmOps?.counted) nv.vmFile.opened++;
  }
  vmaStoreTree(mm, vma);
  vmaStoreTree(mm, nv);
  yield write(fieldId(mm.name, 'mm_mt'), `${fn}: ${vma.toString()} + ${nv.toString()}`);
  yield* vmaLinkFile(nv, fn);
  mm.mapCount++;
  return nv;
}

/**
 * Give `to` the anon_vma of `from` when it has none (dup_anon_vma, one chain allocation per link,
 * taken by the caller), so pages of the absorbed range stay reachable by rmap.
 */
export function dupAnonVmaSites(to: Pick<Vma, 'anonVma'>, from: Pick<Vma, 'anonVma'> & { readonly anonVmaChain: readonly unknown[] }): string[] {
  return !to.anonVma && from.anonVma ? from.anonVmaChain.map(() => 'anon_vma_clone') : [];
}

export function* dupAnonVma(to: Vma, from: Vma, who: string): Task {
  if (to.anonVma || !from.anonVma) return;
  to.anonVma = from.anonVma;
  yield* cloneChains(to, from, who);
}

/** Moves `vma`'s bounds (vma_expand / vma_shrink) and rewrites its tree slots. */
export function* setBounds(mm: Mm, vma: Vma, start: number, end: number, who: string): Task {
  if (start !== vma.vmStart) vma.vmPgoff += (start - vma.vmStart) / PAGE_SIZE;
  const oldStart = vma.vmStart;
  const oldEnd = vma.vmEnd;
  vma.vmStart = start;
  vma.vmEnd = end;
  // Clear what the VMA no longer covers, then store it over its new range.
  if (oldStart < start) mm.mmMt.state(oldStart, Math.min(start, oldEnd) - 1).storeGfp(undefined, 'kernel');
  if (oldEnd > end) mm.mmMt.state(Math.max(end, oldStart), oldEnd - 1).storeGfp(undefined, 'kernel');
  vmaStoreTree(mm, vma);
  yield write(fieldId(mm.name, 'mm_mt'), `${who}: ${vma.toString()}`);
}

/** Removes a VMA whose range another VMA took over (the merge's "delete" side): no pages to zap. */
export function* removeMergedVma(mm: Mm, vma: Vma, who: string): Task {
  yield* unlinkAnonVmas(vma, who);
  yield* unlinkFileVma(vma, who);
  vma.detached = true;
  mm.mapCount--;
  yield vmAreaFreeing(mm, who);
  removeVma(vma, who);
}

/**
 * Unmaps whole VMAs that lie inside [start, end) (the second half of do_vmi_align_munmap): zap their
 * pages, free page tables between the neighbours, unlink them from the rmaps, take them out of the
 * tree and free them, with the vm counters and accounting.
 */
export function* unmapVmasInRange(mm: Mm, vmas: readonly Vma[], prevEnd: number, nextStart: number, who: string): Task {
  if (vmas.length === 0) return;
  const start = vmas[0]!.vmStart;
  const end = vmas[vmas.length - 1]!.vmEnd;
  mm.mmMt.state(start, end - 1).storeGfp(undefined, 'kernel');
  yield write(fieldId(mm.name, 'mm_mt'), `${who}: clear [0x${start.toString(16)}, 0x${end.toString(16)})`);
  let unacct = 0;
  for (const vma of vmas) {
    zapVmaRange(mm, vma, vma.vmStart, vma.vmEnd);
    yield* unlinkAnonVmas(vma, who);
    yield* unlinkFileVma(vma, who);
  }
  freePgdRange(mm, start, end, prevEnd, nextStart);
  yield vmAreaFreeing(mm, who);
  for (const vma of vmas) {
    mm.statAccount(vma.vmFlags, -vma.pages);
    if (vma.vmFlags & VM_LOCKED) mm.lockedVm -= vma.pages;
    if (vma.vmFlags & VM_ACCOUNT) unacct += vma.pages;
    vma.detached = true;
    mm.mapCount--;
    removeVma(vma, who);
  }
  vmUnacctMemory(mm, unacct);
}

/** The VMAs overlapping [start, end), in order. */
export function vmasIn(mm: Mm, start: number, end: number): Vma[] {
  const out: Vma[] = [];
  if (end <= start) return out;
  const mas = mm.mmMt.state(start);
  for (let e = mas.find(end - 1); e !== undefined; e = mas.find(end - 1)) if (e instanceof Vma) out.push(e);
  return out;
}

/** The last VMA starting below `addr` (callers pass a VMA start or a free address, so it ends by `addr`). */
export function prevVma(mm: Mm, addr: number): Vma | null {
  if (addr === 0) return null;
  const e = mm.mmMt.state(addr - 1).findRev(0);
  return e instanceof Vma ? e : null;
}

/** The first VMA ending above `addr` (the one holding it, or the next). */
export function nextVma(mm: Mm, addr: number): Vma | null {
  const found = mm.mmMt.find(addr);
  return found && found.entry instanceof Vma ? found.entry : null;
}
