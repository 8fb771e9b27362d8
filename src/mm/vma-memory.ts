/**
 * VMA memory as the explorer sees it. DPOR orders two steps only if they declare a common object,
 * and a VMA is read through trees and freed by vm_area_free. Both normally happen under the owning
 * mm's mmap lock, which orders them already. One case escapes that lock: in 6.8–6.18 a failed
 * child's tree still holds the parent's VMAs beyond XA_ZERO_ENTRY, so a walker holding the child's
 * lock reads memory the parent frees under its own lock (exit_mmap, munmap, a merge). Declaring
 * both sides on one object, the owner's VMAs, lets DPOR find that use-after-free.
 */
import { read, write } from '../explore/protocol.js';
import type { Mm } from './mm.js';
import { Vma } from './vma.js';
import { fieldId } from './names.js';

/** The object standing for every vm_area_struct `mm` owns. */
export function vmasObject(mm: Mm): string {
  return fieldId(mm.name, 'vmas');
}

/**
 * The step that frees `mm`'s VMAs (remove_vma → vm_area_free): a write of its VMAs, so it races
 * with another mm's walker reading one of them through its own tree.
 */
export function vmAreaFreeing(mm: Mm, who: string): ReturnType<typeof write> {
  return write(vmasObject(mm), `${who}: remove_vma → vm_area_free (${mm.name}'s VMAs)`);
}

/**
 * What a walker of `mm`'s tree yields before it dereferences `slot`: when the slot is a VMA of
 * another mm, a read declared on the owner's VMAs (that mm's frees take locks the walker does not
 * hold). Own VMAs need nothing (null): their frees take `mm`'s mmap lock, which the walker holds.
 * An op or null rather than a generator: the walkers ask at every VMA of every walk.
 */
export function readForeignVma(slot: unknown, mm: Mm, who: string): ReturnType<typeof read> | null {
  if (slot instanceof Vma && slot.vmMm !== mm) {
    return read(vmasObject(slot.vmMm), `${who}: ${mm.name}'s tree gives ${slot.toString()} of ${slot.vmMm.name}`);
  }
  return null;
}
