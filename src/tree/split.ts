/**
 * Splitting a node that overflows (mas_split): the maple tree splits upwards from the leaf. At
 * each level it first tries to push data into a sibling with room (mas_push_data, like a B* tree),
 * which stops the ripple; otherwise it cuts the big node in two (mab_calc_split) and carries the
 * two new nodes up into the parent's big node, until a level fits or a new root is made.
 */
import { type BigNode, mabCalcSplit, mabMasCp, mabNoNullSplit, mabSetBEnd, mabShiftRight, masMabCp } from './big-node.js';
import { MAPLE_ARANGE_64, MAPLE_RANGE_64, MAX_INDEX, MT_SLOTS } from './constants.js';
import {
  maIsRoot, type Mas, masAscend, masNextSibling, masPrevSibling, masSetParent, type NodeSource,
} from './mas.js';
import { type MapleNode } from './node.js';
import { masTopiaryReplace, type Subtree } from './topiary.js';
import type { WrScratch } from './wr-scratch.js';

/** mas_set_split_parent: the child at mas goes under left or right depending on the split. */
export function masSetSplitParent(mas: Mas, left: MapleNode, right: MapleNode | null, slot: { v: number }, split: number): void {
  if (mas.isNone) return;
  if (slot.v <= split) masSetParent(mas.n, left, slot.v);
  else if (right !== null) masSetParent(mas.n, right, slot.v - split - 1);
  slot.v++;
}

/** mast_split_data: cut the big node at `split` into mast.l and mast.r. */
function mastSplitData(mast: Subtree, mas: Mas, split: number, pSlot: { v: number }): void {
  mabMasCp(mast.bn, 0, split, mast.l, true);
  mast.r.n.pv[mast.r.n.at] = mast.r.max;
  mabMasCp(mast.bn, split + 1, mast.bn.bEnd, mast.r, false);
  mast.l.offset = mas.n.parentSlot;
  mast.l.max = mast.bn.pivot[split]!;
  mast.r.min = mast.l.max + 1;
  if (mas.n.isLeaf) return;
  pSlot.v = mast.origL.offset;
  masSetSplitParent(mast.origL, mast.l.n, mast.r.n, pSlot, split);
  masSetSplitParent(mast.origR, mast.l.n, mast.r.n, pSlot, split);
}

/** mast_fill_bnode: the parent's data with l and r in place of the split node, into the big node. */
function mastFillBnode(mast: Subtree, mas: Mas, skip: number): void {
  let cp = true;
  const b = mast.bn;
  b.clear(mas.tree.isAlloc);
  if (maIsRoot(mas.n)) {
    cp = false;
  } else {
    masAscend(mas);
    mas.offset = mas.n.parentSlot;
  }
  if (cp && mast.l.offset > 0) masMabCp(mas, 0, mast.l.offset - 1, b, 0);
  const split = b.bEnd;
  mabSetBEnd(b, mast.l, mast.l.node);
  mast.r.offset = b.bEnd;
  mabSetBEnd(b, mast.r, mast.r.node);
  if (b.pivot[b.bEnd - 1] === mas.max) cp = false;
  if (cp) masMabCp(mas, split + skip, MT_SLOTS[mas.n.type]! - 1, b, b.bEnd);
  b.bEnd--;
  b.type = mas.n.type;
}

/** mas_split_final_node: the last level fits in one node (perhaps a new root). */
function masSplitFinalNode(mast: Subtree, mas: Mas, pop: NodeSource): void {
  if (maIsRoot(mas.n)) mast.bn.type = mas.tree.isAlloc ? MAPLE_ARANGE_64 : MAPLE_RANGE_64;
  const ancestor = pop(mast.bn.type);
  masSetParent(mast.l.n, ancestor, mast.l.offset);
  masSetParent(mast.r.n, ancestor, mast.r.offset);
  ancestor.parent = mas.n.parent;
  ancestor.parentSlot = mas.n.parentSlot;
  mast.l.node = ancestor;
  mabMasCp(mast.bn, 0, MT_SLOTS[mast.bn.type]! - 1, mast.l, true);
  mas.offset = mast.bn.bEnd - 1;
}

/** mas_push_data: move data into the left or right sibling instead of splitting. */
function masPushData(mas: Mas, mast: Subtree, left: boolean, pop: NodeSource, s: WrScratch): boolean {
  const b = mast.bn;
  let slotTotal = b.bEnd;
  const tmp = s.tmp.copyFrom(mas);
  tmp.depth = mast.l.depth;
  if (left && !masPrevSibling(tmp)) return false;
  if (!left && !masNextSibling(tmp, s.parent)) return false;
  const end = tmp.n.end;
  slotTotal += end;
  let space = 2 * MT_SLOTS[mas.n.type]! - 2;
  if (b.type < 2) space--;
  if (mas.max === MAX_INDEX) space--;
  if (slotTotal >= space) return false;
  b.bEnd++;
  if (left) {
    mabShiftRight(b, end + 1);
    masMabCp(tmp, 0, end, b, 0);
    b.bEnd = slotTotal + 1;
  } else {
    masMabCp(tmp, 0, end, b, b.bEnd);
  }
  let split = MT_SLOTS[b.type]! - 2;
  if (left) {
    mas.copyFrom(tmp);
    const node = mast.l.node;
    mast.l.copyFrom(tmp);
    mast.l.node = node;
  } else {
    const node = mast.r.node;
    mast.r.copyFrom(tmp);
    mast.r.node = node;
    split = slotTotal - split;
  }
  split = mabNoNullSplit(b, split, MT_SLOTS[b.type]!);
  if (left) mast.origL.offset += end + 1;
  mastSplitData(mast, mas, split, s.slot);
  mastFillBnode(mast, mas, 2);
  masSplitFinalNode(mast, mas, pop);
  return true;
}

/** mas_split: `b` holds the leaf's new contents, one node's worth too many. */
export function masSplit(mas: Mas, b: BigNode, pop: NodeSource, s: WrScratch): void {
  const tree = mas.tree;
  const origHeight = tree.height;
  let height = 0;
  const mast = s.subtree(b);
  const { l, r, m, origL, origR } = mast;
  l.initLike(mas);
  r.initLike(mas);
  origL.initLike(mas);
  origR.initLike(mas);
  m.initLike(mas);
  const mid = s.mid;
  mid.split = 0;
  while (height++ <= origHeight) {
    if (MT_SLOTS[b.type]! > b.bEnd) {
      masSplitFinalNode(mast, mas, pop);
      break;
    }
    l.copyFrom(mas);
    r.copyFrom(mas);
    l.node = pop(b.type);
    r.node = pop(b.type);
    if (masPushData(mas, mast, true, pop, s)) {
      height++;
      break;
    }
    if (masPushData(mas, mast, false, pop, s)) {
      height++;
      break;
    }
    const split = mabCalcSplit(b, mid);
    mastSplitData(mast, mas, split, s.slot);
    r.max = mas.max;
    mastFillBnode(mast, mas, 1);
    origL.copyFrom(l);
    origR.copyFrom(r);
  }
  const old = mas.n;
  mas.node = l.node;
  masTopiaryReplace(mas, old, height, s);
}
