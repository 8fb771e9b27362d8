/**
 * The write path's maple state: a position in the tree (node, its range, an offset) and the range
 * being written, as struct ma_state is used inside lib/maple_tree.c's write side. Copying one is
 * `copyFrom` (the kernel's `*a = *b`); a state with no node is the kernel's ma_none.
 *
 * The helpers below are the node-level primitives the write path is built from, each named after
 * the kernel function it models.
 */
import { MAX_INDEX, MT_PIVOTS } from './constants.js';
import { nodeMaxGap } from './gaps.js';
import { type MapleNode } from './node.js';
import type { MapleTree } from './tree.js';

export class Mas {
  tree: MapleTree;
  node: MapleNode | null = null;
  min = 0;
  max = MAX_INDEX;
  offset = 0;
  /** The data end of `node` (mas->end), valid after a node walk. */
  end = 0;
  depth = 0;
  index: number;
  last: number;

  constructor(tree: MapleTree, index: number, last: number) {
    this.tree = tree;
    this.index = index;
    this.last = last;
  }

  copyFrom(o: Mas): this {
    this.tree = o.tree;
    this.node = o.node;
    this.min = o.min;
    this.max = o.max;
    this.offset = o.offset;
    this.end = o.end;
    this.depth = o.depth;
    this.index = o.index;
    this.last = o.last;
    return this;
  }

  /** The current node (the caller knows it is set). */
  get n(): MapleNode {
    return this.node!;
  }

  get isNone(): boolean {
    return this.node === null;
  }
}

/** mas_start for a write: the root node with the whole index range. */
export function masStartNode(mas: Mas): void {
  mas.node = mas.tree.root;
  mas.min = 0;
  mas.max = MAX_INDEX;
  mas.offset = 0;
  mas.depth = 0;
}

/** mas_safe_pivot: the upper bound of slot `piv`, or the node's max past the stored pivots. */
export function safePivot(node: MapleNode, piv: number, max: number): number {
  return piv >= MT_PIVOTS[node.type]! ? max : node.pivots[piv]!;
}

/** mas_safe_min: the lower bound of slot `offset`. */
export function safeMin(node: MapleNode, offset: number, min: number): number {
  return offset > 0 ? node.pivots[offset - 1]! + 1 : min;
}

/** ma_is_root */
export function isRoot(node: MapleNode): boolean {
  return node.parent === null;
}

/** mas_is_root_limits */
export function isRootLimits(mas: Mas): boolean {
  return mas.min === 0 && mas.max === MAX_INDEX;
}

/** mas_descend: into the child at mas.offset. */
export function masDescend(mas: Mas): void {
  const node = mas.n;
  if (mas.offset > 0) mas.min = node.pivots[mas.offset - 1]! + 1;
  mas.max = safePivot(node, mas.offset, mas.max);
  mas.node = node.child(mas.offset);
}

/** mas_ascend: up to the parent, recomputing its range from the ancestors' pivots. */
export function masAscend(mas: Mas): void {
  const child = mas.n;
  if (child.parent === null) {
    mas.offset = 0;
    return;
  }
  const parent = child.parent;
  mas.offset = child.parentSlot;
  mas.node = parent;
  if (parent.parent === null) {
    mas.min = 0;
    mas.max = MAX_INDEX;
    return;
  }
  let min = 0;
  let max = MAX_INDEX;
  let setMin = false;
  let setMax = false;
  if (mas.offset === 0) {
    min = mas.min;
    setMin = true;
  }
  if (mas.max === MAX_INDEX) setMax = true;
  let p = parent;
  while (!setMin || !setMax) {
    const a = p.parent!;
    const slot = p.parentSlot;
    if (!setMin && slot > 0) {
      setMin = true;
      min = a.pivots[slot - 1]! + 1;
    }
    if (!setMax && slot < MT_PIVOTS[a.type]!) {
      setMax = true;
      max = a.pivots[slot]!;
    }
    if (a.parent === null) break;
    p = a;
  }
  mas.min = min;
  mas.max = max;
}

/** mas_prev_sibling: the node left of mas.node under the same parent. */
export function masPrevSibling(mas: Mas): boolean {
  const node = mas.n;
  if (node.parent === null || node.parentSlot === 0) return false;
  const pSlot = node.parentSlot;
  masAscend(mas);
  mas.offset = pSlot - 1;
  masDescend(mas);
  return true;
}

/** mas_next_sibling: the node right of mas.node under the same parent. */
export function masNextSibling(mas: Mas): boolean {
  const node = mas.n;
  if (node.parent === null) return false;
  const parent = new Mas(mas.tree, mas.index, mas.last).copyFrom(mas);
  masAscend(parent);
  parent.offset = node.parentSlot + 1;
  if (parent.offset > parent.n.end) return false;
  mas.copyFrom(parent);
  masDescend(mas);
  return true;
}

/** mas_set_parent: `child` hangs from `parent` at `slot`. */
export function setParent(child: MapleNode, parent: MapleNode, slot: number): void {
  child.parent = parent;
  child.parentSlot = slot;
}

/** mas_adopt_children: every child of `parent` points back at it. */
export function adoptChildren(parent: MapleNode): void {
  for (let i = 0; i <= parent.end; i++) setParent(parent.child(i), parent, i);
}

/** ma_set_meta / mas_leaf_set_meta: the data end (our nodes always record it). */
export function setMetaEnd(node: MapleNode, end: number): void {
  node.end = end;
}

/** mas_max_gap: a leaf's computed gap, or an arange node's recorded largest. */
export function masMaxGap(mas: Mas): number {
  return nodeMaxGap(mas.n, mas.min, mas.max);
}

/** ma_max_gap: the largest gap of an arange node and where it is. */
function maxGapOf(node: MapleNode): number {
  const gaps = node.gaps!;
  let best = 0;
  let off = node.end;
  for (let i = node.end; i >= 0; i--) {
    if (gaps[i]! > best) {
      best = gaps[i]!;
      off = i;
    }
  }
  node.gapOffset = off;
  return best;
}

/** mas_parent_gap: set the parent's gap for `node` and carry it up while the largest changes. */
function parentGap(node: MapleNode, value: number): void {
  let child = node;
  let v = value;
  while (child.parent !== null) {
    const p = child.parent;
    const offset = child.parentSlot;
    const gaps = p.gaps!;
    const metaOffset = p.gapOffset;
    const metaGap = gaps[metaOffset]!;
    gaps[offset] = v;
    if (metaGap === v) return;
    if (offset !== metaOffset) {
      if (metaGap > v) return;
      p.gapOffset = offset;
    } else if (v < metaGap) {
      v = maxGapOf(p);
    }
    child = p;
  }
}

/** mas_update_gap: after the node at mas changed, refresh the gaps above it. */
export function masUpdateGap(mas: Mas): void {
  if (!mas.tree.isAlloc) return;
  const node = mas.n;
  if (node.parent === null) return;
  const gap = masMaxGap(mas);
  if (node.parent.gaps![node.parentSlot] !== gap) parentGap(node, gap);
}

/** mas_pop_node: a fresh node of `type` from the store's allocation. */
export type NodeSource = (type: MapleNode['type']) => MapleNode;

/**
 * ma_free_rcu / mte_set_node_dead: `node` leaves the tree. The allocator is told later, by
 * settleFrees, once the write is complete.
 */
export function freeNode(tree: MapleTree, node: MapleNode): void {
  tree.nodes.release(node);
}

/** mt_destroy_walk: every node of a subtree leaves the tree (settled later, like freeNode). */
export function freeSubtree(tree: MapleTree, node: MapleNode): void {
  const stack: MapleNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (!n.isLeaf) for (let i = 0; i <= n.end; i++) stack.push(n.child(i));
    tree.nodes.release(n);
  }
}

/** Gives the nodes the last write released back to the allocator; the tree is consistent by now. */
export function settleFrees(tree: MapleTree): void {
  const n = tree.nodes.takeReleased();
  if (n > 0) tree.allocator.free(n);
}

/**
 * mas_put_in_tree: mas.node takes its place (as the root with `height`, or in its parent's slot,
 * its parent link copied from the node it replaces), and `old` is marked dead.
 */
export function putInTree(mas: Mas, old: MapleNode, height: number): void {
  const node = mas.n;
  if (node.parent === null) {
    mas.tree.root = node;
    mas.tree.height = height;
  } else {
    node.parent.setSlot(node.parentSlot, node);
  }
  old.dead = true;
}

/** mas_replace_node: put in tree, then free the old node. */
export function replaceNode(mas: Mas, old: MapleNode, height: number): void {
  putInTree(mas, old, height);
  freeNode(mas.tree, old);
}
