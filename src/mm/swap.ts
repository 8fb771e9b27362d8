/**
 * Swap: pushing an anonymous page out to the swap device (reclaim of a page mapped once, as
 * MADV_PAGEOUT does) and bringing a swap entry back in (do_swap_page, and swapoff's unuse_pte).
 * The first swap entry of an mm puts it on the mmlist, which is how swapoff finds every mm.
 */
import { indexArg, mmArg, whoArg } from './args.js';
import { write, type Task } from '../explore/protocol.js';
import { mmlistLock, mmlistUnlock } from './locks.js';
import type { Mm } from './mm.js';

/** Reclaim one anonymous page of `mm` to swap; false when the PTE is not a private anonymous page. */
export function* swapOutPage(mm: Mm, addr: number, who: string): Task<boolean> {
  mmArg('swapOutPage', mm);
  indexArg('swapOutPage', 'addr', addr);
  whoArg('swapOutPage', who);
  const pte = mm.pt.get(addr);
  if (!pte || pte.kind !== 'present' || !pte.page.anon || pte.page.mapcount !== 1) return false;
  const kernel = mm.kernel;
  const slot = kernel.swap.allocate(pte.page.id);
  mm.pt.set(addr, { kind: 'swap', slot });
  kernel.unmapPage(pte.page);
  if (!mm.onMmlist) {
    yield mmlistLock(who);
    if (!mm.onMmlist) {
      kernel.mmlist.unshift(mm);
      mm.onMmlist = true;
      yield write('mmlist', `${who}: list_add(&${mm.name}->mmlist, &init_mm.mmlist)`);
    }
    yield mmlistUnlock(who);
  }
  return true;
}

/** Bring the swap entry at `addr` back in, through the swap cache; false when it is not a swap PTE. */
export function swapInPte(mm: Mm, addr: number): boolean {
  mmArg('swapInPte', mm);
  indexArg('swapInPte', 'addr', addr);
  const pte = mm.pt.get(addr);
  if (!pte || pte.kind !== 'swap') return false;
  const kernel = mm.kernel;
  let page = kernel.swapCache.get(pte.slot);
  if (!page) {
    page = kernel.newPage(true);
    kernel.swapCache.set(pte.slot, page);
  } else if (page.mapcount === 0) {
    // A swap-cache page every mapper has since dropped is mapped again: it is in use once more.
    kernel.anonPages++;
  }
  page.mapcount++;
  mm.pt.set(addr, { kind: 'present', page });
  kernel.swap.free(pte.slot);
  if (!kernel.swap.map.has(pte.slot)) kernel.swapCache.delete(pte.slot);
  return true;
}
