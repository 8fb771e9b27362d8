/**
 * Tearing VMAs down: zapping their pages (unmap_vmas), unlinking them from the rmaps and freeing
 * their page tables (free_pgtables), closing and freeing them (remove_vma, tear_down_vmas), and
 * unmap_region, which combines the first two. The walks are bounded by an unmap descriptor (7.0's
 * struct unmap_desc); under the 'xa-zero' kernel they also stop at XA_ZERO_ENTRY as 6.18 does.
 */
import { ModelViolation, type Task } from '../explore/protocol.js';
import type { MaState } from '../tree/state.js';
import { mpolPut } from './accounting.js';
import { putAnonVma } from './anon-vma.js';
import { FIRST_USER_ADDRESS, USER_PGTABLES_CEILING, VM_ACCOUNT } from './constants.js';
import { kfree, use } from './kasan.js';
import { anonVmaLockWrite, anonVmaUnlockWrite, iMmapLockWrite, iMmapUnlockWrite } from './locks.js';
import type { Mm } from './mm.js';
import { tablesToFree } from './page-table.js';
import { leavesZeroMarker } from './config.js';
import { derefVma, peekVma, type Vma } from './vma.js';
import { isZero, vmaFind, vmaIterSet, vmaNext } from './vma-iter.js';

/** struct unmap_desc (7.0 mm/vma.h): the limits of one teardown walk. */
export interface UnmapDesc {
  readonly mas: MaState;
  readonly first: Vma;
  /** Page-table floor and ceiling to free. */
  pgStart: number;
  pgEnd: number;
  /** Address range to zap inside the VMAs. */
  vmaStart: number;
  vmaEnd: number;
  /** Bound of the tree walk: mas_find(mas, tree_end - 1). */
  treeEnd: number;
  /** Where the walk restarts between the unmap and the free phase. */
  treeReset: number;
  mmWrLocked: boolean;
}

/** UNMAP_STATE(name, vmi, vma, vma_start, vma_end, prev, next) */
export function unmapState(mas: MaState, vma: Vma, vmaStart: number, vmaEnd: number, prev: Vma | null, next: Vma | null): UnmapDesc {
  return {
    mas, first: vma,
    pgStart: prev ? prev.vmEnd : FIRST_USER_ADDRESS,
    pgEnd: next ? next.vmStart : USER_PGTABLES_CEILING,
    vmaStart, vmaEnd,
    treeEnd: next ? next.vmStart : USER_PGTABLES_CEILING,
    treeReset: vma.vmEnd,
    mmWrLocked: true,
  };
}

/** unmap_all_init: the exit path's descriptor (everything, mmap lock held for reading). */
export function unmapAllInit(mas: MaState, vma: Vma): UnmapDesc {
  return {
    mas, first: vma, pgStart: FIRST_USER_ADDRESS, pgEnd: USER_PGTABLES_CEILING,
    vmaStart: 0, vmaEnd: Number.MAX_SAFE_INTEGER, treeEnd: Number.MAX_SAFE_INTEGER, treeReset: vma.vmEnd,
    mmWrLocked: false,
  };
}

/** unmap_pgtable_init: restart the walk for free_pgtables. */
export function unmapPgtableInit(unmap: UnmapDesc): void {
  vmaIterSet(unmap.mas, unmap.treeReset);
  unmap.vmaStart = FIRST_USER_ADDRESS;
  unmap.vmaEnd = USER_PGTABLES_CEILING;
  unmap.treeEnd = USER_PGTABLES_CEILING;
}

/** Whether this kernel's teardown walks stop at XA_ZERO_ENTRY (the checks d24062914837 added). */
function stopsAtZero(mm: Mm): boolean {
  return leavesZeroMarker(mm.kernel.config);
}

/** zap_page_range_single / unmap_single_vma: drop the PTEs of `vma` inside [start, end). */
export function zapVmaRange(mm: Mm, vma: Vma, start: number, end: number): void {
  const lo = Math.max(start, vma.vmStart);
  const hi = Math.min(end, vma.vmEnd);
  if (lo >= hi) return;
  for (const addr of mm.pt.addresses(lo, hi)) {
    const pte = mm.pt.clear(addr)!;
    if (pte.kind === 'swap') mm.kernel.swap.free(pte.slot);
    else mm.kernel.unmapPage(pte.page);
  }
}

/** unmap_vmas: zap every VMA of the walk, from unmap.first until the tree walk ends. */
export function unmapVmas(mm: Mm, unmap: UnmapDesc, who: string): void {
  let vma: Vma | null = unmap.first;
  while (vma) {
    zapVmaRange(mm, derefVma(vma, mm, 'vm_start', who), unmap.vmaStart, unmap.vmaEnd);
    const next = vmaFind(unmap.mas, unmap.treeEnd);
    if (next === undefined || (stopsAtZero(mm) && isZero(next))) break;
    vma = derefVma(next, mm, 'vm_start', who);
  }
}

/** unlink_anon_vmas: drop the VMA's anon_vma chains, putting each anon_vma whose last chain went. */
export function* unlinkAnonVmas(vma: Vma, who: string): Task {
  if (vma.anonVmaChain.length === 0) return;
  const root = vma.anonVmaChain[0]!.anonVma.root;
  yield anonVmaLockWrite(root, who);
  const emptied = [];
  for (const avc of vma.anonVmaChain) {
    const av = use(avc.anonVma, who);
    av.chains.delete(avc);
    if (av.chains.size === 0) {
      if (av.parent !== av) av.parent.numChildren--;
      emptied.push(av);
    }
  }
  if (vma.anonVma) vma.anonVma.numActiveVmas--;
  yield anonVmaUnlockWrite(root, who);
  for (const avc of vma.anonVmaChain) kfree(avc, `unlink_anon_vmas (${who})`);
  vma.anonVmaChain.length = 0;
  for (const av of emptied) putAnonVma(av, `put_anon_vma (${who})`);
}

/** unlink_file_vma: take the VMA out of its file's i_mmap. */
export function* unlinkFileVma(vma: Vma, who: string): Task {
  const file = vma.vmFile;
  if (!file) return;
  yield iMmapLockWrite(file.mapping, who);
  file.mapping.iMmap.delete(vma);
  if (vma.isSharedMaywrite) file.mapping.writable--;
  yield iMmapUnlockWrite(file.mapping, who);
}

/** free_pgd_range: free the PTE tables of [addr, end) that lie wholly inside [floor, ceiling). */
export function freePgdRange(mm: Mm, addr: number, end: number, floor: number, ceiling: number): void {
  const [lo, hi] = tablesToFree(addr, end, floor, ceiling);
  const tables = mm.pt.tables;
  // A VMA spans a table or a few, the mm has many: look each up, unless the range has more numbers
  // than the mm has tables (the exit's whole range). Either way the same tables are left.
  if (hi - lo <= tables.size) {
    for (let t = lo; t < hi; t++) tables.delete(t);
    return;
  }
  // Deleting the entry a Set iteration stands on is safe: the walk goes on with the next one.
  for (const t of tables) if (t >= lo && t < hi) tables.delete(t);
}

/** free_pgtables: unlink every VMA of the walk from the rmaps and free the page tables under it. */
export function* freePgtables(mm: Mm, unmap: UnmapDesc, who: string): Task {
  let vma: Vma | null = unmap.first;
  if (unmap.vmaEnd - 1 > unmap.pgEnd - 1) {
    throw new ModelViolation('warn', `free_pgtables: vma_end 0x${unmap.vmaEnd.toString(16)} beyond pg_end 0x${unmap.pgEnd.toString(16)}`);
  }
  while (vma) {
    let next: unknown = vmaFind(unmap.mas, unmap.treeEnd);
    if (stopsAtZero(mm) && isZero(next)) next = undefined;
    const nextVma = next === undefined ? null : derefVma(next, mm, 'vm_start', who);
    // Each returns at once for a VMA without chains or without a file: no generator for those.
    if (vma.anonVmaChain.length > 0) yield* unlinkAnonVmas(vma, who);
    if (vma.vmFile) yield* unlinkFileVma(vma, who);
    freePgdRange(mm, vma.vmStart, vma.vmEnd, unmap.pgStart, nextVma ? nextVma.vmStart : unmap.pgEnd);
    vma = nextVma;
  }
}

/** unmap_region: zap and free page tables for a descriptor's range (mmap lock held for writing). */
export function* unmapRegion(mm: Mm, unmap: UnmapDesc, who: string): Task {
  unmapVmas(mm, unmap, who);
  vmaIterSet(unmap.mas, unmap.treeReset);
  yield* freePgtables(mm, unmap, who);
}

/** remove_vma: vma_close, fput, mpol_put, vm_area_free. */
export function removeVma(vma: Vma, who: string): void {
  const file = vma.vmFile;
  if (file) {
    if (file.vmOps?.counted) file.opened--;
    file.refs--;
  }
  if (vma.policy) mpolPut(vma.policy, who);
  kfree(vma, `vm_area_free (${who})`);
}

/**
 * tear_down_vmas (7.0): close and free the VMAs from `vma` while they end at or below `end`;
 * returns the accounted pages. The count must match map_count (VM_WARN_ON_ONCE in 7.0).
 */
export function tearDownVmas(mm: Mm, vmi: MaState, first: Vma, end: number, who: string): number {
  let nrAccounted = 0;
  let count = 0;
  vmaIterSet(vmi, first.vmEnd);
  let vma: Vma | null = first;
  while (vma) {
    if (vma.vmFlags & VM_ACCOUNT) nrAccounted += vma.pages;
    vma.detached = true;
    removeVma(vma, who);
    count++;
    const next = vmaNext(vmi);
    if (next === undefined) break;
    const nextVma = peekVma(next, mm, 'vm_end', who);
    vma = nextVma.vmEnd <= end ? derefVma(nextVma, mm, 'vm_start', who) : null;
  }
  if (count !== mm.mapCount) {
    throw new ModelViolation('map-count-mismatch', `tear_down_vmas: removed ${count} VMAs but ${mm.name}.map_count is ${mm.mapCount}`);
  }
  return nrAccounted;
}
