/**
 * Rebalancing (mas_rebalance) and stores that span nodes (mas_wr_spanning_store): both gather the
 * affected data of one level into a big node, cut it into up to three new nodes, and carry those up
 * into the parents' data, level by level (mas_spanning_rebalance). A level with too little data
 * borrows a neighbour, the right one first (mast_spanning_rebalance); when a level's data fits in
 * one node spanning the old left and right edges, the climb stops, and a single node with the whole
 * range becomes the new root.
 */
import { type BigNode, mabCalcSplit, scratchBigNode, mabMasCp, mabSetBEnd, mabShiftRight, masMabCp, masStoreBNode } from './big-node.js';
import { MAX_INDEX, MT_MIN_SLOTS, MT_SLOTS } from './constants.js';
import {
  maIsRoot, masIsRootLimits, type Mas, masAscend, masDescend, masNextSibling, masPrevSibling, masSafePivot, masSetParent, type NodeSource,
} from './mas.js';
import { type MapleNode } from './node.js';
import { masSetSplitParent } from './split.js';
import { masTopiaryReplace, type Subtree } from './topiary.js';
import { masNewRoot } from './wr-root.js';
import { type SplitNodes, type WrScratch, wrScratch } from './wr-scratch.js';
import { masWrNodeWalk, masWrWalkIndex, type WrState } from './wr-state.js';

/** mast_rebalance_next: take in the whole right neighbour. */
function mastRebalanceNext(mast: Subtree): void {
  masMabCp(mast.origR, 0, MT_SLOTS[mast.origR.n.type]!, mast.bn, mast.bn.bEnd);
  mast.origR.last = mast.origR.max;
}

/** mast_rebalance_prev: take in the whole left neighbour, in front. */
function mastRebalancePrev(mast: Subtree): void {
  const end = mast.origL.n.end + 1;
  const bEnd = mast.bn.bEnd;
  mabShiftRight(mast.bn, end);
  masMabCp(mast.origL, 0, end - 1, mast.bn, 0);
  mast.l.min = mast.origL.min;
  mast.origL.index = mast.origL.min;
  mast.bn.bEnd = end + bEnd;
  mast.l.offset += end;
}

/** mast_spanning_rebalance: borrow the nearest neighbour at this depth, right first. */
function mastSpanningRebalance(mast: Subtree, s: WrScratch): boolean {
  const rTmp = s.rTmp.copyFrom(mast.origR);
  const lTmp = s.lTmp.copyFrom(mast.origL);
  let depth = 0;
  do {
    masAscend(mast.origR);
    masAscend(mast.origL);
    depth++;
    if (mast.origR.offset < mast.origR.n.end) {
      mast.origR.offset++;
      do {
        masDescend(mast.origR);
        mast.origR.offset = 0;
      } while (--depth);
      mastRebalanceNext(mast);
      mast.origL.copyFrom(lTmp);
      return true;
    } else if (mast.origL.offset !== 0) {
      mast.origL.offset--;
      do {
        masDescend(mast.origL);
        mast.origL.offset = mast.origL.n.end;
      } while (--depth);
      mastRebalancePrev(mast);
      mast.origR.copyFrom(rTmp);
      return true;
    }
  } while (!maIsRoot(mast.origR.n));
  mast.origR.copyFrom(rTmp);
  mast.origL.copyFrom(lTmp);
  return false;
}

/** mast_ascend: both original edges up a level, positioned at the data already rebuilt. */
function mastAscend(mast: Subtree, s: WrScratch): void {
  masAscend(mast.origL);
  masAscend(mast.origR);
  mast.origR.offset = 0;
  mast.origR.index = mast.r.max;
  if (mast.origR.last < mast.origR.index) mast.origR.last = mast.origR.index;
  const walk = s.walk;
  walk.mas = mast.origR;
  walk.begin(undefined);
  masWrNodeWalk(walk);
  mast.origL.offset = 0;
  mast.origL.index = mast.l.min;
  walk.mas = mast.origL;
  walk.begin(undefined);
  masWrNodeWalk(walk);
  mast.bn.type = mast.origL.n.type;
}

/** mas_mab_to_node: new nodes for the big node's data; returns the (first) split. */
function masMabToNode(b: BigNode, pop: NodeSource, out: SplitNodes, mid: { split: number }): number {
  const slotCount = MT_SLOTS[b.type]!;
  out.left = pop(b.type);
  out.right = null;
  out.middle = null;
  out.midSplit = 0;
  let split: number;
  if (b.bEnd < slotCount) {
    split = b.bEnd;
  } else {
    mid.split = 0;
    split = mabCalcSplit(b, mid);
    out.midSplit = mid.split;
    out.right = pop(b.type);
  }
  if (out.midSplit !== 0) out.middle = pop(b.type);
  return split;
}

/** mast_set_split_parents: the children in l, m and r go under the new left/middle/right nodes. */
function mastSetSplitParents(
  mast: Subtree, left: MapleNode, middle: MapleNode | null, right: MapleNode | null, split: number, midSplit: number,
  slot: { v: number },
): void {
  if (mast.l.isNone) return;
  let l: MapleNode = left;
  let r: MapleNode | null = middle ?? right;
  let sp = split;
  slot.v = mast.l.offset;
  // Before each child: once past the middle node's split, the middle and right nodes take over.
  for (let i = 0; i < 3; i++) {
    if (r !== right && slot.v >= midSplit) {
      l = r!;
      r = right;
      sp = midSplit;
    }
    masSetSplitParent(i === 0 ? mast.l : i === 1 ? mast.m : mast.r, l, r, slot, sp);
  }
}

/** mast_cp_to_nodes: the big node's data into the new left (middle) (right) nodes. */
function mastCpToNodes(mast: Subtree, left: MapleNode, middle: MapleNode | null, right: MapleNode | null, split: number, midSplit: number): void {
  let newLmax = true;
  mast.l.node = left;
  mast.m.node = middle;
  mast.r.node = right;
  mast.l.min = mast.origL.min;
  if (split === mast.bn.bEnd) {
    mast.l.max = mast.origR.max;
    newLmax = false;
  }
  mabMasCp(mast.bn, 0, split, mast.l, newLmax);
  if (middle !== null) {
    mabMasCp(mast.bn, 1 + split, midSplit, mast.m, true);
    mast.m.min = mast.bn.pivot[split]! + 1;
    split = midSplit;
  }
  mast.r.max = mast.origR.max;
  if (right !== null) {
    mabMasCp(mast.bn, 1 + split, mast.bn.bEnd, mast.r, false);
    mast.r.min = mast.bn.pivot[split]! + 1;
  }
}

/** mast_combine_cp_left */
function mastCombineCpLeft(mast: Subtree): void {
  const lSlot = mast.origL.offset;
  if (lSlot === 0) return;
  masMabCp(mast.origL, 0, lSlot - 1, mast.bn, 0);
}

/** mast_combine_cp_right */
function mastCombineCpRight(mast: Subtree): void {
  if (mast.bn.pivot[mast.bn.bEnd - 1]! >= mast.origR.max) return;
  masMabCp(mast.origR, mast.origR.offset + 1, MT_SLOTS[mast.origR.n.type]!, mast.bn, mast.bn.bEnd);
  mast.origR.last = mast.origR.max;
}

/** mas_spanning_rebalance: rebuild upwards for at most `count` levels (see the file comment). */
export function masSpanningRebalance(mas: Mas, mast: Subtree, count: number, pop: NodeSource, s: WrScratch): void {
  let slot = 0;
  let newHeight = 0;
  const out = s.out;
  const lMas = mast.l;
  const rMas = mast.r;
  const mMas = mast.m;
  lMas.node = rMas.node = mMas.node = null;
  if ((mast.origL.min !== 0 || mast.origR.max !== MAX_INDEX) && mast.bn.bEnd <= MT_MIN_SLOTS[mast.bn.type]!) {
    mastSpanningRebalance(mast, s);
  }
  let newRootHere = false;
  while (count-- > 0) {
    mast.bn.bEnd--;
    mast.bn.type = mast.origL.n.type;
    const split = masMabToNode(mast.bn, pop, out, s.mid);
    mastSetSplitParents(mast, out.left!, out.middle, out.right, split, out.midSplit, s.slot);
    mastCpToNodes(mast, out.left!, out.middle, out.right, split, out.midSplit);
    newHeight++;
    mast.bn.clear(mas.tree.isAlloc);
    mast.bn.type = out.left!.type;
    if (masIsRootLimits(mast.l)) {
      newRootHere = true;
      break;
    }
    mastAscend(mast, s);
    mastCombineCpLeft(mast);
    lMas.offset = mast.bn.bEnd;
    mabSetBEnd(mast.bn, lMas, out.left);
    mabSetBEnd(mast.bn, mMas, out.middle);
    mabSetBEnd(mast.bn, rMas, out.right);
    mastCombineCpRight(mast);
    mast.origL.last = mast.origL.max;
    if (mast.bn.bEnd > MT_MIN_SLOTS[mast.origL.n.type]!) {
      if (mast.bn.bEnd > MT_SLOTS[mast.origL.n.type]!) continue;
      if (mast.origL.node === mast.origR.node) {
        slot = mast.l.offset;
        break;
      }
      continue;
    }
    if (masIsRootLimits(mast.origL)) break;
    mastSpanningRebalance(mast, s);
    if (count === 0) count++;
  }
  if (!newRootHere) {
    lMas.node = pop(mast.origL.n.type);
    mabMasCp(mast.bn, 0, MT_SLOTS[mast.bn.type]! - 1, lMas, true);
    newHeight++;
    masSetParent(out.left!, lMas.n, slot);
    if (out.middle !== null) masSetParent(out.middle, lMas.n, ++slot);
    if (out.right !== null) masSetParent(out.right, lMas.n, ++slot);
  }
  if (newRootHere || masIsRootLimits(mast.l)) {
    mast.l.n.parent = null;
    mast.l.n.parentSlot = 0;
    while (!maIsRoot(mast.origL.n)) mastAscend(mast, s);
  } else {
    lMas.n.parent = mast.origL.n.parent;
    lMas.n.parentSlot = mast.origL.n.parentSlot;
  }
  const old = mast.origL.n;
  mas.depth = lMas.depth;
  mas.node = lMas.node;
  mas.min = lMas.min;
  mas.max = lMas.max;
  mas.offset = lMas.offset;
  masTopiaryReplace(mas, old, newHeight, s);
}

/** mas_rebalance: the leaf at mas would be left with too little data; `b` holds it. */
export function masRebalance(wr: WrState, b: BigNode, pop: NodeSource): void {
  const mas = wr.mas;
  const s = wrScratch(wr);
  const emptyCount = mas.tree.height;
  const bEnd = ++b.bEnd;
  const mast = s.subtree(b);
  const lMas = mast.origL.copyFrom(mas);
  const rMas = mast.origR.copyFrom(mas);
  mast.l.init(mas.index, mas.index);
  mast.m.init(mas.index, mas.index);
  mast.r.initLike(mas);
  b.type = mas.n.type;
  if (masNextSibling(rMas, s.parent)) {
    masMabCp(rMas, 0, MT_SLOTS[rMas.n.type]!, b, bEnd);
    rMas.last = rMas.index = rMas.max;
  } else {
    masPrevSibling(lMas);
    const shift = lMas.n.end + 1;
    mabShiftRight(b, shift);
    mas.offset += shift;
    masMabCp(lMas, 0, shift - 1, b, 0);
    b.bEnd = shift + bEnd;
    lMas.index = lMas.last = lMas.min;
  }
  masSpanningRebalance(mas, mast, emptyCount, pop, s);
}

/** mas_extend_spanning_null: a NULL spanning store takes in the NULLs at both of its ends. */
function masExtendSpanningNull(l: WrState, r: WrState): void {
  const rMas = r.mas;
  const lMas = l.mas;
  const lSlot = lMas.offset;
  if (l.content === undefined) lMas.index = l.rMin;
  if (lMas.index === l.rMin && lSlot > 0 && l.node.slot(lSlot - 1) === undefined) {
    lMas.index = lSlot > 1 ? l.node.pv[l.node.at + lSlot - 2]! + 1 : lMas.min;
    lMas.offset = lSlot - 1;
  }
  if (r.content === undefined) {
    if (rMas.last < r.rMax) rMas.last = r.rMax;
    rMas.offset++;
  } else if (rMas.last === r.rMax && rMas.last < rMas.max && r.node.slot(rMas.offset + 1) === undefined) {
    rMas.last = masSafePivot(r.node, rMas.offset + 1, rMas.max);
    rMas.offset++;
  }
}

/** mas_wr_spanning_store: the write starts in one leaf and ends in another (or ends a leaf on NULL). */
export function masWrSpanningStore(wr: WrState, pop: NodeSource): void {
  const mas = wr.mas;
  const tree = mas.tree;
  if (mas.index === 0 && mas.last === MAX_INDEX) {
    masNewRoot(mas, wr.entry, pop);
    return;
  }
  const height = tree.height;
  const s = wrScratch(wr);
  const rWr = s.rWr;
  const rMas = rWr.mas.copyFrom(mas);
  if (rMas.last < MAX_INDEX) rMas.last++;
  rMas.index = rMas.last;
  rWr.begin(wr.entry);
  masWrWalkIndex(rWr);
  rMas.last = rMas.index = mas.last;
  const lWr = s.lWr;
  const lMas = lWr.mas.copyFrom(mas);
  lWr.begin(wr.entry);
  masWrWalkIndex(lWr);
  if (wr.entry === undefined) {
    masExtendSpanningNull(lWr, rWr);
    mas.offset = lMas.offset;
    mas.index = lMas.index;
    mas.last = lMas.last = rMas.last;
  }
  if (lMas.index === 0 && rMas.last === MAX_INDEX) {
    mas.index = 0;
    mas.last = MAX_INDEX;
    masNewRoot(mas, wr.entry, pop);
    return;
  }
  const b = scratchBigNode(tree.isAlloc);
  masStoreBNode(lMas, lWr, b, lMas.end);
  if (rMas.max > rMas.last) masMabCp(rMas, rMas.offset, rMas.end, b, b.bEnd + 1);
  else b.bEnd++;
  lMas.index = lMas.last = mas.index;
  const mast = s.subtree(b);
  mast.l.init(mas.index, mas.index);
  mast.m.init(mas.index, mas.index);
  mast.r.initLike(mas);
  masSpanningRebalance(mas, mast, height + 1, pop, s);
}
