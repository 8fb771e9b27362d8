/**
 * Searching for a free range (mas_empty_area / mas_empty_area_rev): descend only into children whose
 * recorded gap could hold `size` indices inside the window [lo, hi].
 */
import { MAX_INDEX } from './constants.js';
import type { MapleNode, TreeRoot } from './node.js';
import { pivotAt } from './walk.js';

/** Fit of [start, last] ∩ [lo, hi] for `size`: the start to use, or -1. */
function fit(start: number, last: number, lo: number, hi: number, size: number, rev: boolean): number {
  const a = Math.max(start, lo);
  const b = Math.min(last, hi);
  if (a > b || b - a + 1 < size) return -1;
  return rev ? b - size + 1 : a;
}

function searchNode(node: MapleNode, min: number, max: number, lo: number, hi: number, size: number, rev: boolean): number {
  const end = node.end;
  for (let k = 0; k <= end; k++) {
    const i = rev ? end - k : k;
    const start = i === 0 ? min : node.pivots[i - 1]! + 1;
    const last = pivotAt(node, i, max);
    if (last < lo || start > hi) continue;
    if (node.isLeaf) {
      if (node.slots[i] !== undefined) continue;
      const at = fit(start, last, lo, hi, size, rev);
      if (at >= 0) return at;
    } else {
      if (node.gaps !== null && node.gaps[i]! < size) continue;
      const at = searchNode(node.slots[i] as MapleNode, start, last, lo, hi, size, rev);
      if (at >= 0) return at;
    }
  }
  return -1;
}

/** The lowest (or, with rev, highest) start of `size` free indices inside [lo, hi]; -1 if none. */
export function findGap(tree: TreeRoot, lo: number, hi: number, size: number, rev: boolean): number {
  if (tree.root === null) {
    const from = tree.rootEntry === undefined ? 0 : 1;
    return fit(from, MAX_INDEX, lo, hi, size, rev);
  }
  return searchNode(tree.root, 0, MAX_INDEX, lo, hi, size, rev);
}
