/**
 * vma_modify_flags (mm/vma.c): give [start, end) of one VMA new flags, for mprotect and madvise.
 * Like vma_merge_existing_range it first tries to hand the range to a compatible neighbour (the
 * previous VMA grows, the next one grows down, or both merge across), and only otherwise splits the
 * VMA at the range's ends. Allocations come first, so ENOMEM changes nothing. The plan (which
 * neighbour takes the range, what must be allocated) is separate from the change, so a change over
 * a range of VMAs can take every allocation before its first VMA changes (vma-plan.ts).
 */
import { vmAcctMemory } from './accounting.js';
import type { Task } from '../explore/protocol.js';
import { indexArg, mmArg, rangeInVmaArg, vmaArg, whoArg } from './args.js';
import { PAGE_SIZE } from './constants.js';
import { MM_ERRNO } from './errno.js';
import type { Mm } from './mm.js';
import type { Vma } from './vma.js';
import {
  allocateAll, dupAnonVma, dupAnonVmaSites, nextVma, prevVma, removeMergedVma, setBounds, splitSites, splitVma,
} from './vma-ops.js';
import { vmaMergeTargets } from './vma-merge.js';

/** What planning a change reads of a VMA: a Vma, or the range planner's copy of one (vma-plan.ts). */
export interface VmaShape {
  readonly vmStart: number;
  readonly vmEnd: number;
  readonly vmFlags: number;
  readonly vmPgoff: number;
  readonly vmFile: Vma['vmFile'];
  readonly policy: Vma['policy'];
  readonly uffdCtx: Vma['uffdCtx'];
  readonly anonName: string | null;
  readonly anonVma: Vma['anonVma'];
  readonly anonVmaChain: readonly unknown[];
  readonly pages: number;
}

/** Where a plan finds a VMA's neighbours: the mm's tree, or the planner's copies. */
export interface VmaNeighbours<V extends VmaShape> {
  prevVma(addr: number): V | null;
  nextVma(addr: number): V | null;
}

/** How vma_modify_flags will change [start, end) of a VMA, and the allocations it needs first. */
export interface ModifyPlan<V extends VmaShape> {
  /** both: prev absorbs the range and next; prev / next: that neighbour takes the range; split: the VMA is split at the range's ends. */
  readonly kind: 'both' | 'prev' | 'next' | 'split';
  readonly prev: V | null;
  readonly next: V | null;
  readonly sites: readonly string[];
}

/** vma_merge_existing_range's choice, then __split_vma's: which neighbour takes [start, end), and what must be allocated. */
export function modifyPlan<V extends VmaShape>(at: VmaNeighbours<V>, vma: V, start: number, end: number, newFlags: number, charge: number): ModifyPlan<V> {
  const mid = {
    vmFlags: newFlags, vmFile: vma.vmFile, policy: vma.policy, uffdCtx: vma.uffdCtx, anonName: vma.anonName, anonVma: vma.anonVma,
    vmPgoff: vma.vmPgoff + (start - vma.vmStart) / PAGE_SIZE, vmStart: start, vmEnd: end,
  };
  // Only a neighbour the range touches at an end of the VMA can take it over.
  const { prev, next } = vmaMergeTargets(mid, start === vma.vmStart ? at.prevVma(start) : null, end === vma.vmEnd ? at.nextVma(end) : null);
  const both = prev !== null && next !== null;
  const sites: string[] = [];
  if (charge > 0) sites.push('security_vm_enough_memory_mm');
  if (both) sites.push(...dupAnonVmaSites(prev, vma.anonVma ? vma : next), 'vma_iter_prealloc');
  else if (prev) sites.push(...dupAnonVmaSites(prev, vma), 'vma_iter_prealloc');
  else if (next) sites.push(...dupAnonVmaSites(next, vma), 'vma_iter_prealloc');
  else {
    if (start > vma.vmStart) sites.push(...splitSites(vma));
    if (end < vma.vmEnd) sites.push(...splitSites(vma));
  }
  return { kind: both ? 'both' : prev ? 'prev' : next ? 'next' : 'split', prev, next, sites };
}

/** The mm's tree as a plan's neighbours. */
function treeOf(mm: Mm): VmaNeighbours<Vma> {
  return { prevVma: (addr) => prevVma(mm, addr), nextVma: (addr) => nextVma(mm, addr) };
}

function checkModify(mm: Mm, vma: Vma, start: number, end: number, newFlags: number, who: string, charge: number): void {
  mmArg('vma_modify_flags', mm);
  vmaArg('vma_modify_flags', vma);
  rangeInVmaArg('vma_modify_flags', vma, start, end);
  indexArg('vma_modify_flags', 'newFlags', newFlags);
  whoArg('vma_modify_flags', who);
  indexArg('vma_modify_flags', 'charge', charge);
}

/**
 * Gives [start, end) ⊆ `vma` the flags `newFlags`; `charge` pages are charged to committed memory
 * first (mprotect making private memory writable). Returns 0 or -ENOMEM.
 */
export function* vmaModifyFlags(mm: Mm, vma: Vma, start: number, end: number, newFlags: number, who: string, charge = 0): Task<number> {
  checkModify(mm, vma, start, end, newFlags, who, charge);
  const plan = modifyPlan(treeOf(mm), vma, start, end, newFlags, charge);
  if (!(yield* allocateAll(plan.sites, who))) return MM_ERRNO.ENOMEM;
  yield* applyPlan(mm, plan, vma, start, end, newFlags, who, charge);
  return 0;
}

/**
 * vmaModifyFlags for a change over a range whose allocations were all taken before the first VMA
 * changed (vma-plan.ts): `planned` are the sites the planner counted for this step, which the plan
 * made now must need too.
 */
export function* vmaModifyFlagsTaken(mm: Mm, vma: Vma, start: number, end: number, newFlags: number, who: string, charge: number, planned: readonly string[]): Task {
  checkModify(mm, vma, start, end, newFlags, who, charge);
  const plan = modifyPlan(treeOf(mm), vma, start, end, newFlags, charge);
  if (plan.sites.join() !== planned.join()) {
    throw new Error(`vma_modify_flags (${who}): ${vma.toString()} needs ${plan.sites.join(', ') || 'nothing'}, the range's plan took ${planned.join(', ') || 'nothing'}`);
  }
  yield* applyPlan(mm, plan, vma, start, end, newFlags, who, charge);
}

/** The change itself, its allocations taken. */
function* applyPlan(mm: Mm, plan: ModifyPlan<Vma>, vma: Vma, start: number, end: number, newFlags: number, who: string, charge: number): Task {
  const pages = (end - start) / PAGE_SIZE;
  const { prev, next } = plan;
  mm.statAccount(vma.vmFlags, -pages);
  mm.statAccount(newFlags, pages);
  if (charge > 0) vmAcctMemory(mm, charge);
  if (plan.kind === 'both') {
    yield* dupAnonVma(prev!, vma.anonVma ? vma : next!, who);
    const top = next!.vmEnd;
    yield* removeMergedVma(mm, vma, who);
    yield* removeMergedVma(mm, next!, who);
    yield* setBounds(mm, prev!, prev!.vmStart, top, who);
  } else if (plan.kind === 'prev') {
    yield* dupAnonVma(prev!, vma, who);
    if (end === vma.vmEnd) yield* removeMergedVma(mm, vma, who);
    else yield* setBounds(mm, vma, end, vma.vmEnd, who);
    yield* setBounds(mm, prev!, prev!.vmStart, end, who);
  } else if (plan.kind === 'next') {
    yield* dupAnonVma(next!, vma, who);
    if (start === vma.vmStart) yield* removeMergedVma(mm, vma, who);
    else yield* setBounds(mm, vma, vma.vmStart, start, who);
    yield* setBounds(mm, next!, start, next!.vmEnd, who);
  } else {
    if (start > vma.vmStart) yield* splitVma(mm, vma, start, true, who);
    if (end < vma.vmEnd) yield* splitVma(mm, vma, end, false, who);
    vma.vmFlags = newFlags;
  }
}
