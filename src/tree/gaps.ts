/**
 * Gap tracking for allocation trees (MT_FLAGS_ALLOC_RANGE): arange_64 nodes record, per child, the
 * largest run of empty indices below it; leaves compute theirs on the fly (mas_leaf_max_gap).
 */
import { masSafePivot, type MapleNode } from './node.js';

/** mas_leaf_max_gap: the largest empty range of a leaf covering [min, max]. */
export function masLeafMaxGap(leaf: MapleNode, min: number, max: number): number {
  let best = 0;
  let start = min;
  const end = leaf.end;
  for (let i = 0; i <= end; i++) {
    const last = masSafePivot(leaf, i, max);
    if (leaf.slot(i) === undefined) {
      const size = last - start + 1;
      if (size > best) best = size;
    }
    start = last + 1;
  }
  return best;
}

/** ma_max_gap: the largest gap below any node. */
export function nodeMaxGap(node: MapleNode, min: number, max: number): number {
  if (node.isLeaf) return masLeafMaxGap(node, min, max);
  if (node.gaps === null) throw new Error('nodeMaxGap: internal node of a non-allocation tree has no gaps');
  return node.gaps[node.gapOffset]!;
}

