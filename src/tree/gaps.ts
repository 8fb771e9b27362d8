/**
 * Gap tracking for allocation trees (MT_FLAGS_ALLOC_RANGE): arange_64 nodes record, per child, the
 * largest run of empty indices below it; leaves compute theirs on the fly (mas_leaf_max_gap).
 */
import { MT_PIVOTS } from './constants.js';
import { GAPS, type MapleNode } from './node.js';

/** mas_leaf_max_gap: the largest empty range of a leaf covering [min, max]. */
export function masLeafMaxGap(leaf: MapleNode, min: number, max: number): number {
  const pv = leaf.pv;
  const sl = leaf.sl;
  const at = leaf.at;
  const st = leaf.st;
  const end = leaf.end;
  const nPivots = MT_PIVOTS[leaf.type]!;
  let best = 0;
  let start = min;
  for (let i = 0; i <= end; i++) {
    const last = i < nPivots ? pv[at + i]! : max;
    if (sl[st + i] === undefined) {
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
  if (node.gp === null) throw new Error('nodeMaxGap: internal node of a non-allocation tree has no gaps');
  return node.gp[node.at + GAPS + node.gapOffset]!;
}

