/**
 * struct maple_big_node: room for the contents of two nodes and a few more, where the slow write
 * paths (split, rebalance, spanning store) assemble a level's new data before cutting it into
 * nodes. A pivot of 0 past the first slot marks the end of the data, as in the kernel.
 */
import { MAPLE_ARANGE_64, MAPLE_BIG_NODE_GAPS, MAPLE_BIG_NODE_SLOTS, MT_MIN_SLOTS, MT_PIVOTS, MT_SLOTS, type MapleType } from './constants.js';
import { masMaxGap, masSafePivot, maSetMeta, type Mas } from './mas.js';
import { GAPS, type MapleNode } from './node.js';
import type { WrState } from './wr-state.js';

const BIG_SLOTS = MAPLE_BIG_NODE_SLOTS;
const BIG_GAPS = MAPLE_BIG_NODE_GAPS;

export class BigNode {
  readonly pivot = new Float64Array(BIG_SLOTS - 1);
  readonly slot: unknown[] = new Array<unknown>(BIG_SLOTS).fill(undefined);
  readonly gap = new Float64Array(BIG_GAPS + BIG_SLOTS);
  bEnd = 0;
  type: MapleType = 1;

  /**
   * memset(b_node, 0, ...). Gaps are read only in allocation trees, so `gaps` false leaves them:
   * the fill is a third of the cost of a split's big-node work.
   */
  clear(gaps: boolean): void {
    // Plain loops: a third cheaper than fill() at these lengths.
    const pivot = this.pivot;
    const slot = this.slot;
    for (let i = 0; i < pivot.length; i++) pivot[i] = 0;
    for (let i = 0; i < slot.length; i++) slot[i] = undefined;
    if (gaps) {
      const gap = this.gap;
      for (let i = 0; i < gap.length; i++) gap[i] = 0;
    }
    this.bEnd = 0;
  }
}

const scratch = new BigNode();
let scratchInUse = false;

/**
 * The big node a slow-path write assembles its data in, cleared. The kernel keeps it on the
 * writer's stack; one is enough here because a write never runs inside another.
 */
export function scratchBigNode(gaps: boolean): BigNode {
  scratch.clear(gaps);
  scratch.type = 1;
  scratchInUse = true;
  return scratch;
}

/** The scratch big node as it is, for the write path's scratch states to point at. */
export function scratchBigNodeRef(): BigNode {
  return scratch;
}

/** The end of a write: the scratch big node lets go of the nodes and entries it held. */
export function releaseBigNode(): void {
  if (!scratchInUse) return;
  const slot = scratch.slot;
  for (let i = 0; i < slot.length; i++) slot[i] = undefined;
  scratchInUse = false;
}

/** mab_shift_right: move the first bEnd entries right by `shift`. */
export function mabShiftRight(b: BigNode, shift: number): void {
  const size = b.bEnd;
  b.pivot.copyWithin(shift, 0, size);
  for (let i = size - 1; i >= 0; i--) b.slot[i + shift] = b.slot[i];
  if (b.type === MAPLE_ARANGE_64) b.gap.copyWithin(shift, 0, size);
}

/** mab_middle_node: does the data need a third node? */
function mabMiddleNode(b: BigNode, split: number, slotCount: number): boolean {
  const size = b.bEnd;
  if (size >= 2 * slotCount) return true;
  return b.slot[split] === undefined && size >= 2 * slotCount - 1;
}

/** mab_no_null_split: move a split off a NULL so no node but the last ends on one. */
export function mabNoNullSplit(b: BigNode, split: number, slotCount: number): number {
  if (b.slot[split] === undefined) {
    if (split < slotCount - 1 && b.bEnd - split > MT_MIN_SLOTS[b.type]!) split++;
    else split--;
  }
  return split;
}

/** mab_calc_split: where to cut the big node, and a second cut when three nodes are needed. */
export function mabCalcSplit(b: BigNode, mid: { split: number }): number {
  const bEnd = b.bEnd;
  let split = Math.floor(bEnd / 2);
  const slotCount = MT_SLOTS[b.type]!;
  if (mabMiddleNode(b, split, slotCount)) {
    split = Math.floor(bEnd / 3);
    mid.split = split * 2;
  } else {
    mid.split = 0;
  }
  split = mabNoNullSplit(b, split, slotCount);
  if (mid.split !== 0) mid.split = mabNoNullSplit(b, mid.split, slotCount);
  return split;
}

/** mas_mab_cp: copy slots [start, end] of the node at mas into the big node from `at`; sets bEnd. */
export function masMabCp(mas: Mas, start: number, end: number, b: BigNode, at: number): void {
  const node = mas.n;
  const pv = node.pv;
  const base = node.at;
  let i = start;
  let j = at;
  complete: {
    if (i === 0) {
      b.pivot[j] = pv[base + i++]!;
      if (i > end) break complete;
      j++;
    }
    const pivEnd = Math.min(end, MT_PIVOTS[node.type]!);
    for (; i < pivEnd; i++, j++) {
      b.pivot[j] = pv[base + i]!;
      if (b.pivot[j] === 0) break complete;
      if (mas.max === b.pivot[j]) break complete;
    }
    b.pivot[j] = masSafePivot(node, i, mas.max);
  }
  b.bEnd = ++j;
  j -= at;
  for (let k = 0; k < j; k++) b.slot[at + k] = node.slot(start + k);
  if (!node.isLeaf && mas.tree.isAlloc) {
    const gp = node.gp!;
    const g = node.at + GAPS + start;
    for (let k = 0; k < j; k++) b.gap[at + k] = gp[g + k]!;
  }
}

/** mab_mas_cp: write big-node entries [start, end] into the node at mas (new_max: set mas.max). */
export function mabMasCp(b: BigNode, start: number, end: number, mas: Mas, newMax: boolean): void {
  const node = mas.n;
  const type = node.type;
  const pv = node.pv;
  const base = node.at;
  const nPivots = MT_PIVOTS[type]!;
  if (end - start > nPivots) end--;
  if (pv[base + nPivots - 1] === 0) node.setSlot(nPivots, undefined);
  let i = start;
  let j = 0;
  do {
    // A full node's last bound is implied: slot nPivots of the region is the metadata word.
    if (j < nPivots) pv[base + j] = b.pivot[i]!;
    j++;
    i++;
  } while (i <= end && b.pivot[i] !== 0);
  for (let k = start; k < i; k++) {
    const v = b.slot[k];
    node.setSlot(k - start, v);
  }
  if (newMax) mas.max = b.pivot[i - 1]!;
  const dataEnd = j - 1;
  if (!node.isLeaf && mas.tree.isAlloc) {
    const gp = node.gp!;
    const g = node.at + GAPS;
    let maxGap = 0;
    let offset = 0;
    do {
      const gap = b.gap[--i]!;
      gp[g + --j] = gap;
      if (gap > maxGap) {
        offset = j;
        maxGap = gap;
      }
    } while (j > 0);
    node.gapOffset = offset;
  }
  maSetMeta(node, dataEnd);
}

/**
 * mas_store_b_node: the leaf's data with [mas.index, mas.last] = entry, into the big node.
 * `wr.content` is the entry the write starts in; `offsetEnd` the slot where it ends.
 */
export function masStoreBNode(mas: Mas, wr: WrState, b: BigNode, offsetEnd: number): void {
  const node = wr.node;
  b.type = node.type;
  let bEnd = 0;
  let slot = mas.offset;
  let piv: number;
  if (slot > 0) {
    masMabCp(mas, 0, slot - 1, b, 0);
    bEnd = b.bEnd;
    piv = b.pivot[bEnd - 1]!;
  } else {
    piv = mas.min - 1;
  }
  if (piv + 1 < mas.index) {
    b.slot[bEnd] = wr.content;
    if (wr.content === undefined) b.gap[bEnd] = mas.index - 1 - piv;
    b.pivot[bEnd++] = mas.index - 1;
  }
  mas.offset = bEnd;
  b.slot[bEnd] = wr.entry;
  b.pivot[bEnd] = mas.last;
  if (mas.last >= mas.max) {
    b.bEnd = bEnd;
    return;
  }
  piv = masSafePivot(node, offsetEnd, mas.max);
  if (piv > mas.last) {
    if (offsetEnd !== slot) wr.content = node.slot(offsetEnd);
    b.slot[++bEnd] = wr.content;
    if (wr.content === undefined) b.gap[bEnd] = piv - mas.last + 1;
    b.pivot[bEnd] = piv;
  }
  slot = offsetEnd + 1;
  if (slot > mas.end) {
    b.bEnd = bEnd;
    return;
  }
  masMabCp(mas, slot, mas.end + 1, b, ++bEnd);
  b.bEnd--;
}

/** mab_set_b_end: append a child (with its range end and gap) to the big node; NULL adds nothing. */
export function mabSetBEnd(b: BigNode, mas: Mas, entry: MapleNode | null): void {
  if (entry === null) return;
  b.slot[b.bEnd] = entry;
  if (mas.tree.isAlloc) b.gap[b.bEnd] = masMaxGap(mas);
  b.pivot[b.bEnd++] = mas.max;
}
