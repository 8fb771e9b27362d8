/**
 * Reclaim of one anonymous folio (shrink_folio_list → add_to_swap → try_to_unmap): rmap_walk_anon
 * takes the folio's anon_vma lock for reading and calls try_to_unmap_one on every VMA chained to it.
 * Each VMA whose mm maps the folio gets a swap PTE, and that mm joins init_mm.mmlist if it is not on
 * it yet. It never looks at any mm's VMA tree: it goes from the folio to VMAs and page tables only.
 * A fork's child is chained to the anon_vma from anon_vma_clone on and maps the folio once
 * copy_page_range shared it, so reclaim can put a child on the mmlist with no swap entry copied.
 */
import { kobjectOf, indexArg, whoArg } from '../args.js';
import { lock, unlock, write, type Task } from '../../explore/protocol.js';
import type { AnonVma } from '../anon-vma.js';
import { use } from '../kasan.js';
import { mmlistLock, mmlistUnlock } from '../locks.js';
import type { Mm } from '../mm.js';
import type { Page } from '../page-table.js';
import { fieldId } from '../names.js';

/** The folio reclaim tries to free: a page, the anon_vma it was faulted under (folio->mapping) and its address. */
export interface AnonFolio {
  readonly page: Page;
  readonly anonVma: AnonVma;
  readonly addr: number;
}

/**
 * The first resident anonymous page of `mm` mapped by a VMA with an anon_vma, as the LRU would
 * offer it; null when there is none.
 */
export function firstAnonFolio(mm: Mm): AnonFolio | null {
  let found: AnonFolio | null = null;
  mm.mmMt.forEach((slot) => {
    const vma = slot as { anonVma: AnonVma | null; vmStart: number; vmEnd: number };
    if (found || !vma.anonVma) return;
    for (const [addr, pte] of mm.pt.range(vma.vmStart, vma.vmEnd)) {
      if (pte.kind === 'present' && pte.page.anon) {
        found = { page: pte.page, anonVma: vma.anonVma, addr };
        return;
      }
    }
  });
  return found;
}

/** list_add(&mm->mmlist, &init_mm.mmlist) under mmlist_lock, once (try_to_unmap_one). */
function* addToInitMmlist(mm: Mm, who: string): Task {
  if (mm.onMmlist) return;
  yield mmlistLock(who);
  if (!mm.onMmlist) {
    mm.kernel.mmlist.unshift(mm);
    mm.onMmlist = true;
    yield write('mmlist', `${who}: list_add(&${mm.name}->mmlist, &init_mm.mmlist)`);
  }
  yield mmlistUnlock(who);
}

/**
 * try_to_unmap over anon rmap: every mapping of `folio` becomes a swap PTE of one swap slot.
 * Returns how many PTEs it unmapped.
 */
export function* tryToUnmap(folio: AnonFolio, who = 'reclaim'): Task<number> {
  if (typeof folio !== 'object' || folio === null) throw new TypeError(`try_to_unmap: folio must be an AnonFolio, got ${String(folio)}`);
  kobjectOf('try_to_unmap', 'folio.anonVma', folio.anonVma, 'anon_vma', 'an AnonVma');
  indexArg('try_to_unmap', 'folio.addr', folio.addr);
  whoArg('try_to_unmap', who);
  const fn = `try_to_unmap (${who})`;
  const av = use(folio.anonVma, fn);
  yield lock(av.lockId, 'read', `${fn}: rmap_walk_anon → anon_vma_lock_read`);
  let slot: number | null = null;
  let unmapped = 0;
  for (const avc of [...av.chains]) {
    const vma = use(avc.vma, fn);
    const mm = vma.vmMm;
    // page_vma_mapped_walk: does this VMA's mm map the folio at its address?
    const pte = mm.pt.get(folio.addr);
    if (folio.addr < vma.vmStart || folio.addr >= vma.vmEnd || !pte || pte.kind !== 'present' || pte.page !== folio.page) continue;
    mm.kernel.noteReach(mm, who);
    const kernel = mm.kernel;
    if (slot === null) slot = kernel.swap.allocate(folio.page.id);
    else kernel.swap.duplicate(slot);
    mm.pt.set(folio.addr, { kind: 'swap', slot });
    kernel.unmapPage(folio.page);
    unmapped++;
    yield write(fieldId(mm.name, 'pgtables'), `try_to_unmap_one (${who}): swap PTE in ${mm.name} at 0x${folio.addr.toString(16)}`);
    yield* addToInitMmlist(mm, `try_to_unmap_one (${who})`);
  }
  yield unlock(av.lockId, 'read', `${fn}: anon_vma_unlock_read`);
  return unmapped;
}
