/**
 * vma_modify_flags (mm/vma.c): give [start, end) of one VMA new flags, for mprotect and madvise.
 * Like vma_merge_existing_range it first tries to hand the range to a compatible neighbour (the
 * previous VMA grows, the next one grows down, or both merge across), and only otherwise splits the
 * VMA at the range's ends. Allocations come first, so ENOMEM changes nothing.
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

/**
 * Gives [start, end) ⊆ `vma` the flags `newFlags`; `charge` pages are charged to committed memory
 * first (mprotect making private memory writable). Returns 0 or -ENOMEM.
 */
export function* vmaModifyFlags(mm: Mm, vma: Vma, start: number, end: number, newFlags: number, who: string, charge = 0): Task<number> {
  mmArg('vma_modify_flags', mm);
  vmaArg('vma_modify_flags', vma);
  rangeInVmaArg('vma_modify_flags', vma, start, end);
  indexArg('vma_modify_flags', 'newFlags', newFlags);
  whoArg('vma_modify_flags', who);
  indexArg('vma_modify_flags', 'charge', charge);
  const pages = (end - start) / PAGE_SIZE;
  const mid = {
    vmFlags: newFlags, vmFile: vma.vmFile, policy: vma.policy, uffdCtx: vma.uffdCtx, anonName: vma.anonName, anonVma: vma.anonVma,
    vmPgoff: vma.vmPgoff + (start - vma.vmStart) / PAGE_SIZE, vmStart: start, vmEnd: end,
  };
  // Only a neighbour the range touches at an end of the VMA can take it over.
  const { prev, next } = vmaMergeTargets(mid, start === vma.vmStart ? prevVma(mm, start) : null, end === vma.vmEnd ? nextVma(mm, end) : null);
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
  if (!(yield* allocateAll(sites, who))) return MM_ERRNO.ENOMEM;

  mm.statAccount(vma.vmFlags, -pages);
  mm.statAccount(newFlags, pages);
  if (charge > 0) vmAcctMemory(mm, charge);
  if (both) {
    yield* dupAnonVma(prev, vma.anonVma ? vma : next, who);
    const top = next.vmEnd;
    yield* removeMergedVma(mm, vma, who);
    yield* removeMergedVma(mm, next, who);
    yield* setBounds(mm, prev, prev.vmStart, top, who);
  } else if (prev) {
    yield* dupAnonVma(prev, vma, who);
    if (end === vma.vmEnd) yield* removeMergedVma(mm, vma, who);
    else yield* setBounds(mm, vma, end, vma.vmEnd, who);
    yield* setBounds(mm, prev, prev.vmStart, end, who);
  } else if (next) {
    yield* dupAnonVma(next, vma, who);
    if (start === vma.vmStart) yield* removeMergedVma(mm, vma, who);
    else yield* setBounds(mm, vma, vma.vmStart, start, who);
    yield* setBounds(mm, next, start, next.vmEnd, who);
  } else {
    if (start > vma.vmStart) yield* splitVma(mm, vma, start, true, who);
    if (end < vma.vmEnd) yield* splitVma(mm, vma, end, false, who);
    vma.vmFlags = newFlags;
  }
  return 0;
}
