/**
 * The write path's entry points: a store (mas_store_gfp / mas_store_prealloc, carried out by
 * wr-store.ts with the kernel's store types), and freeing a whole subtree (mt_destroy_walk).
 */
export { storeEntry, preallocCount, type Reservation, type StoreRetry } from './wr-store.js';
export { mtDestroyWalk, settleFrees } from './mas.js';
