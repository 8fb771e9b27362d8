// Helpers shared by the kernel test ports: the kernel's small check_* macros, re-expressed.
import { expect } from 'vitest';
import { MapleTree } from '../../src/index.js';
import { MapleNode } from '../../src/internals.js';

/** xa_mk_value(n): a tagged integer in the kernel; a distinct string per n here. */
export const xaMkValue = (n: number): string => `v${n}`;

/** mtree_insert_index / check_index_load */
export function insertIndex(t: MapleTree, i: number): void {
  t.insert(i, xaMkValue(i));
}

export function checkIndexLoad(t: MapleTree, i: number): void {
  expect(t.load(i)).toBe(xaMkValue(i));
}

/** check_seq: insert 0..max in order, checking every load after each insert. */
export function checkSeq(t: MapleTree, max: number): void {
  expect(t.isEmpty).toBe(true);
  for (let i = 0; i <= max; i++) {
    insertIndex(t, i);
    for (let j = 0; j <= i; j++) checkIndexLoad(t, j);
    if (i > 0) expect(t.height).toBeGreaterThan(0);
    expect(t.load(i + 1)).toBeUndefined();
  }
}

/** check_rev_seq: insert max down to 1, checking loads, toggling RCU mode on and off. */
export function checkRevSeq(t: MapleTree, max: number): void {
  expect(t.isEmpty).toBe(true);
  for (let i = max; i > 0; i--) {
    insertIndex(t, i);
    for (let j = i; j <= max; j++) checkIndexLoad(t, j);
    expect(t.load(i - 1)).toBeUndefined();
    t.setRcu(true);
    expect(t.height).toBeGreaterThan(0);
    t.setRcu(false);
    expect(t.height).toBeGreaterThan(0);
  }
  expect(t.load(max + 1)).toBeUndefined();
}

/**
 * The count mas_dfs_preorder's loop reaches: one step onto the root, one per further node in
 * pre-order, and the step that finds no more — the number of nodes plus one.
 */
export function dfsPreorderCount(t: MapleTree): number {
  let count = 1;
  const visit = (node: MapleNode): void => {
    count++;
    if (!node.isLeaf) for (let i = 0; i <= node.end; i++) visit(node.slots[i] as MapleNode);
  };
  if (t.root !== null) visit(t.root);
  return count;
}

/** The data end of the node a state points at (mas_data_end). */
export function dataEnd(node: MapleNode | null): number {
  if (node === null) throw new Error('the state is not on a node');
  return node.end;
}
