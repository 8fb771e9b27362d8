/**
 * The VMA iterator (struct vma_iterator) over an mm's tree: thin names over the maple tree's
 * advanced API, which — unlike the normal API — returns XA_ZERO_ENTRY to the caller.
 */
import { MAX_INDEX } from '../tree/constants.js';
import { ZERO_ENTRY } from '../tree/entry.js';
import type { MaState } from '../tree/state.js';
import type { Mm } from './mm.js';

/** VMA_ITERATOR(vmi, mm, addr) */
export function vmaIter(mm: Mm, addr = 0): MaState {
  return mm.mmMt.state(addr);
}

/** vma_next: the next slot holding anything, up to ULONG_MAX (XA_ZERO_ENTRY included). */
export function vmaNext(vmi: MaState): unknown {
  return vmi.find(MAX_INDEX);
}

/** vma_prev / mas_for_each_rev's step: the previous slot holding anything, down to 0. */
export function vmaPrev(vmi: MaState): unknown {
  return vmi.findRev(0);
}

/** vma_find(vmi, max): the next slot starting below `max`. */
export function vmaFind(vmi: MaState, max: number): unknown {
  return max === 0 ? undefined : vmi.find(max - 1);
}

/** vma_iter_set */
export function vmaIterSet(vmi: MaState, addr: number): void {
  vmi.set(addr);
}

/** vma_iter_load: the slot at the iterator's index (mas_walk), XA_ZERO_ENTRY included. */
export function vmaIterLoad(vmi: MaState): unknown {
  return vmi.walk();
}

export function isZero(slot: unknown): boolean {
  return slot === ZERO_ENTRY;
}
