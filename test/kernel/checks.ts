// More of lib/test_maple_tree.c's small helpers (check_load, check_store_range, mt_for_each,
// mas_for_each), re-expressed for the ports in this folder.
import { expect } from 'vitest';
import { MapleError, type MapleTree, MAX_INDEX, type MaState } from '../../src/index.js';
import { xaMkValue } from './helpers.js';

/** check_load: `index` reads back exactly `ptr` (undefined for NULL). */
export function checkLoad(t: MapleTree, index: number, ptr: unknown): void {
  expect(t.load(index), `load(${index})`).toBe(ptr);
}

/** The kernel's int return of a normal-API call: 0, or the negative errno of the MapleError thrown. */
export function errnoOf(fn: () => void): number {
  try {
    fn();
    return 0;
  } catch (e) {
    if (e instanceof MapleError) return e.errno;
    throw e;
  }
}

/** check_store_range: mtree_store_range returns `expected`; on success every index reads `ptr`. */
export function checkStoreRange(t: MapleTree, start: number, end: number, ptr: unknown, expected: number): void {
  expect(errnoOf(() => t.storeRange(start, end, ptr)), `store [${start}, ${end}]`).toBe(expected);
  if (expected !== 0) return;
  for (let i = start; i <= end; i++) checkLoad(t, i, ptr);
}

/** check_insert_range: mtree_insert_range returns `expected`; on success every index reads `ptr`. */
export function checkInsertRange(t: MapleTree, start: number, end: number, ptr: unknown, expected: number): void {
  expect(errnoOf(() => t.insertRange(start, end, ptr)), `insert [${start}, ${end}]`).toBe(expected);
  if (expected !== 0) return;
  for (let i = start; i <= end; i++) checkLoad(t, i, ptr);
}

/** mtree_erase_index: the erase returns the indexed value and the index reads empty after. */
export function mtreeEraseIndex(t: MapleTree, index: number): void {
  expect(t.erase(index)).toBe(xaMkValue(index));
  expect(t.load(index)).toBeUndefined();
}

/**
 * mt_for_each: mt_find from 0, then mt_find_after from last + 1 (0 once last is MAX_INDEX, which
 * ends the walk, as the kernel's unsigned index wraps). Calls `fn(entry, index)` where index is the
 * kernel's cursor after the find, i.e. last + 1.
 */
export function mtForEach(t: MapleTree, max: number, fn: (entry: unknown) => void): void {
  let r = t.find(0, max);
  while (r !== undefined) {
    fn(r.entry);
    const index = r.last === MAX_INDEX ? 0 : r.last + 1;
    r = t.findAfter(index, max);
  }
}

/** mas_for_each: mas_find(max) until it returns NULL; `fn` may move or pause the state. */
export function masForEach(mas: MaState, max: number, fn: (entry: unknown) => void): void {
  for (let entry = mas.find(max); entry !== undefined; entry = mas.find(max)) fn(entry);
}
