/**
 * Page-level work on an mm (mm/memory.c): allocating PTE tables, copying page tables at fork
 * (copy_page_range, which puts the child on swapoff's mmlist when it copies a swap entry), and
 * populating or swapping pages.
 */
import { alloc, write, type Task } from '../explore/protocol.js';
import { PMD_SIZE, VM_PFNMAP } from './constants.js';
import { MM_ERRNO } from './errno.js';
import { mmlistLock, mmlistUnlock } from './locks.js';
import type { Mm } from './mm.js';
import { PageTables, type Pte } from './page-table.js';
import type { Vma } from './vma.js';
import { hexAddress } from './names.js';

/** pte_alloc: make sure the PTE table for `addr` exists; false on ENOMEM. */
export function* pteAlloc(mm: Mm, addr: number, who: string): Task<boolean> {
  if (mm.pt.hasTable(addr)) return true;
  if (!(yield alloc('pte_alloc', `${who}: pte_alloc(${mm.name}, ${hexAddress(addr)})`))) return false;
  mm.pt.tables.add(PageTables.tableOf(addr));
  return true;
}

/** vma_needs_copy: only VMAs with anonymous pages (or PFN maps) copy their page tables at fork. */
function vmaNeedsCopy(src: Vma): boolean {
  return (src.vmFlags & VM_PFNMAP) !== 0 || src.anonVma !== null;
}

/** Put `dst` on the mmlist right after `src`, once (copy_nonpresent_pte). */
function* addToMmlist(dst: Mm, src: Mm, who: string): Task {
  if (dst.onMmlist) return;
  yield mmlistLock(who);
  if (!dst.onMmlist) {
    const list = dst.kernel.mmlist;
    const at = list.indexOf(src);
    list.splice(at < 0 ? list.length : at + 1, 0, dst);
    dst.onMmlist = true;
    yield write('mmlist', `${who}: list_add(&${dst.name}->mmlist, &${src.name}->mmlist)`);
  }
  yield mmlistUnlock(who);
}

/**
 * copy_page_range: copy the parent's PTEs of `src` into the child's `dst`. Anonymous pages become
 * shared copy-on-write; swap entries are duplicated, and the first one puts the child on the
 * mmlist. Returns 0 or -ENOMEM (a PTE table allocation failed; PTEs copied so far stay).
 */
export function* copyPageRange(dst: Vma, src: Vma, who: string): Task<number> {
  if (!vmaNeedsCopy(src)) return 0;
  const dstMm = dst.vmMm;
  const srcMm = src.vmMm;
  const fn = `copy_page_range (${who})`;
  let table = -1;
  for (const addr of srcMm.pt.addresses(src.vmStart, src.vmEnd)) {
    const t = Math.floor(addr / PMD_SIZE);
    if (t !== table) {
      if (!(yield* pteAlloc(dstMm, addr, fn))) return MM_ERRNO.ENOMEM;
      table = t;
    }
    // The PTE is read under its lock after the table allocation: reclaim may have changed it meanwhile.
    const pte = srcMm.pt.get(addr);
    if (pte === undefined) continue;
    let copy: Pte;
    if (pte.kind === 'swap') {
      dstMm.kernel.swap.duplicate(pte.slot);
      yield* addToMmlist(dstMm, srcMm, fn);
      copy = pte;
    } else {
      pte.page.mapcount++;
      copy = pte;
    }
    dstMm.pt.set(addr, copy);
  }
  return 0;
}
