/**
 * The normal API's searches on a reusable cursor: mt_find, mt_find_after, mt_next, mt_prev
 * (Linux 6.18 lib/maple_tree.c). Each leaves the range found in mas.index / mas.last, so the tree
 * can report it without allocating anything but its result object.
 */
import { ZERO_ENTRY } from './entry.js';
import { statusOf, type Mas } from './mas.js';
import { masNext, masPrev, masSet, masWalk } from './navigate.js';

/**
 * mt_find: the first entry intersecting [index, max], ZERO_ENTRY ranges skipped; undefined when
 * none. On success mas.index / mas.last hold its range (the kernel's caller cursor becomes
 * mas.last + 1, which may wrap to 0 past MAX_INDEX).
 */
export function mtFind(mas: Mas, index: number, max: number): unknown {
  if (index > max) return undefined;
  masSet(mas, index);
  let entry = masWalk(mas);
  if (entry === ZERO_ENTRY) entry = undefined;
  if (entry !== undefined) return entry;
  while (statusOf(mas) === 'active' && mas.last < max) {
    // mas_next_slot by way of mas_next: the cursor is active, so no setup runs.
    entry = masNext(mas, max);
    if (entry !== undefined && entry !== ZERO_ENTRY) return entry;
  }
  return undefined;
}

/** mt_find_after: as mtFind, but an index of 0 means a previous search wrapped: nothing more. */
export function mtFindAfter(mas: Mas, index: number, max: number): unknown {
  if (index === 0) return undefined;
  return mtFind(mas, index, max);
}

/** mt_next: the entry after the range holding `index`, starting at most at `max`. */
export function mtNext(mas: Mas, index: number, max: number): unknown {
  masSet(mas, index);
  return masNext(mas, max);
}

/**
 * mt_prev: the entry before the range holding `index`, ending at least at `min`. The kernel's
 * mt_prev inherits mas_prev_setup's root-pointer shortcut, which hands back the [0, 0] entry
 * whatever `min` is; here the normal API keeps its documented contract and returns nothing when
 * that entry ends below `min` (the same contents in a leaf give the same answer).
 */
export function mtPrev(mas: Mas, index: number, min: number): unknown {
  masSet(mas, index);
  const entry = masPrev(mas, min);
  return entry !== undefined && mas.last < min ? undefined : entry;
}
