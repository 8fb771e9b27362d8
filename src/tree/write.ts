/**
 * The write path's entry points: a store (mas_store_gfp / mas_store_prealloc, carried out by
 * wr-store.ts with the kernel's store types), and freeing a whole subtree (mt_destroy_walk).
 */
import type { Gfp } from './alloc.js';
import type { MapleTree } from './tree.js';
import { storeEntry as wrStore, type Reservation } from './wr-store.js';

export type { Reservation } from './wr-store.js';
export { preallocCount } from './wr-store.js';
export { freeSubtree } from './mas.js';

/** Per-tree record of the last store: the range it covered after NULL expansion (mas->index/last). */
export class WriteScratch {
  storedIndex = 0;
  storedLast = 0;
}

/**
 * Stores `entry` over [index, last]; false for ENOMEM, with the tree unchanged. With `nomem`, a
 * failed allocation is retried once with it (mas_nomem).
 */
export function storeEntry(tree: MapleTree, index: number, last: number, entry: unknown, gfp: Gfp, reserve?: Reservation, nomem?: Gfp): boolean {
  const r = wrStore(tree, index, last, entry, gfp, reserve, nomem);
  if (r === null) return false;
  tree.scratch.storedIndex = r.index;
  tree.scratch.storedLast = r.last;
  return true;
}
