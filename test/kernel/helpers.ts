// Helpers shared by the kernel test ports: the kernel's small check_* macros, re-expressed.
import { expect } from 'vitest';
import { MapleTree, MAX_INDEX } from '../../src/index.js';
import { type MapleNode, MT_SLOTS } from '../../src/internals.js';

/** xa_mk_value(n): a tagged integer in the kernel; a distinct string per n here. */
export const xaMkValue = (n: number): string => `v${n}`;

/** mtree_insert_index / check_index_load */
export function insertIndex(t: MapleTree, i: number): void {
  t.insert(i, xaMkValue(i));
}

export function checkIndexLoad(t: MapleTree, i: number): void {
  // expect() only on a mismatch: check_seq makes millions of these loads.
  const got = t.load(i);
  if (got !== xaMkValue(i)) expect(got, `load(${i})`).toBe(xaMkValue(i));
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
    if (!node.isLeaf) for (let i = 0; i <= node.end; i++) visit(node.child(i));
  };
  if (t.root !== null) visit(t.root);
  return count;
}

/** Every slot of a node: entries in a leaf, child nodes in an internal node. */
export function slotsOf(node: MapleNode): unknown[] {
  return Array.from({ length: MT_SLOTS[node.type]! }, (_, i) => node.slot(i));
}

/** The data end of the node a state points at (mas_data_end). */
export function dataEnd(node: MapleNode | null): number {
  if (node === null) throw new Error('the state is not on a node');
  return node.end;
}

export interface Visit { node: MapleNode; min: number; max: number }

/** Nodes in pre-order with their ranges (what mas_dfs_preorder visits). */
export function preorder(t: MapleTree): Visit[] {
  const out: Visit[] = [];
  const go = (node: MapleNode, min: number, max: number): void => {
    out.push({ node, min, max });
    if (node.isLeaf) return;
    let lo = min;
    for (let i = 0; i <= node.end; i++) {
      const hi = i < node.end ? node.pivots[i]! : max;
      go(node.child(i), lo, hi);
      lo = hi + 1;
    }
  };
  if (t.root !== null) go(t.root, 0, MAX_INDEX);
  return out;
}

/** build_full_tree: split the largest range of the first non-full node until every node is full. */
export function buildFullTree(allocRange: boolean, height: number): MapleTree {
  const t = new MapleTree({ allocRange });
  t.insertRange(0, MAX_INDEX, xaMkValue(5));
  for (;;) {
    let lo = 0;
    let hi = MAX_INDEX;
    if (t.height >= height) {
      const open = preorder(t).find((v) => v.node.end + 1 < MT_SLOTS[v.node.type]!);
      if (open === undefined) break;
      lo = open.min;
      hi = open.max;
    }
    // mas_subtree_max_range: the largest range in [lo, hi], the later one on a tie.
    let best = { index: 0, last: -1 };
    const mas = t.state(lo);
    for (let e = mas.find(hi); e !== undefined; e = mas.find(hi)) {
      if (mas.last - mas.index >= best.last - best.index) best = { index: mas.index, last: mas.last };
    }
    const step = best.last - best.index;
    if (step < 1) throw new Error('build_full_tree: no range left to split');
    t.storeRange(best.index, best.index + Math.floor(step / 2), xaMkValue(5));
  }
  expect(t.height).toBe(height);
  return t;
}

