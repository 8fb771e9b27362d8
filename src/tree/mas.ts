/**
 * struct ma_state, the one maple state of the tree: a position in the tree (node, its range, an
 * offset, the data end), the range being read or written, the status and error. Navigation, gap
 * search and the write path all work on it; the public cursor MaState (state.ts) is a subclass.
 * Copying one is `copyFrom` / `clone` (the kernel's `*a = *b`); a state with no node while active
 * is the write path's ma_none.
 *
 * The helpers below are the node-level primitives everything is built from, each named after the
 * kernel function it models.
 */
import { MAPLE_NODE_SLOTS, MAX_INDEX, MT_PIVOTS } from './constants.js';
import type { MapleErrorCode } from './errors.js';
import { nodeMaxGap } from './gaps.js';
import { GAPS, masSafePivot, type MapleNode } from './node.js';

export { masSafeMin, masSafePivot } from './node.js';
import type { MapleTree } from './tree.js';

/** enum maple_status. 'root' is ma_root: the tree holds only the [0,0] root-pointer entry. */
export type MaStatus = 'start' | 'active' | 'root' | 'none' | 'pause' | 'overflow' | 'underflow' | 'error';

export class Mas {
  tree: MapleTree;
  // Numbers from the start: a field declared without one is defined as undefined first, and V8
  // then keeps it as a tagged value, so every store of an index above 2^31 boxed a new heap
  // number (four per MaState.find step near 2^52). Initialised to 0 it becomes a double field.
  index = 0;
  last = 0;
  node: MapleNode | null = null;
  min = 0;
  max = MAX_INDEX;
  offset = 0;
  /** The data end of `node` (mas->end), valid after a node walk. */
  end = 0;
  depth = 0;
  status: MaStatus = 'start';
  error: MapleErrorCode | null = null;
  /**
   * tree.writeSeq when the state last walked from the root. The kernel trusts the caller to hold
   * the lock across a cursor's calls; outside RCU mode we notice a write since and walk again.
   */
  seq = 0;

  constructor(tree: MapleTree, index: number, last: number = index) {
    this.tree = tree;
    this.index = index;
    this.last = last;
    this.seq = tree.writeSeq;
  }

  /** A fresh state over [index, last], as the constructor leaves it (MA_STATE on a reused state). */
  init(index: number, last: number): this {
    this.index = index;
    this.last = last;
    return this.#fresh();
  }

  /**
   * init over `o`'s range (MA_STATE(x, mas->tree, mas->index, mas->last)). The bounds are copied
   * here: passed as arguments from a state's double fields they would be boxed above 2^31.
   */
  initLike(o: Mas): this {
    this.index = o.index;
    this.last = o.last;
    return this.#fresh();
  }

  /** Everything but the range back to how the constructor leaves it. */
  #fresh(): this {
    this.node = null;
    this.min = 0;
    this.max = MAX_INDEX;
    this.offset = 0;
    this.end = 0;
    this.depth = 0;
    this.status = 'start';
    this.error = null;
    this.seq = this.tree.writeSeq;
    return this;
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
    this.status = o.status;
    this.error = o.error;
    this.seq = o.seq;
    return this;
  }

  /** A copy of this state (MA_STATE + `*tmp = *mas`). */
  clone(): Mas {
    return new Mas(this.tree, this.index, this.last).copyFrom(this);
  }

  /** The current node (the caller knows it is set). */
  get n(): MapleNode {
    return this.node!;
  }

  get isNone(): boolean {
    return this.node === null;
  }
}

/** The status, read afresh (TypeScript would otherwise keep a narrowing across calls that change it). */
export function statusOf(mas: Mas): MaStatus {
  return mas.status;
}

/** mas_reset: forget the node, walk again from the root next time. */
export function masReset(mas: Mas): void {
  mas.status = 'start';
  mas.node = null;
}

/**
 * mas_start: on a state in 'start', position at the root node ('active'), or note an empty tree
 * ('none') or a root-pointer tree ('root', returning its entry when index is 0).
 */
export function masStart(mas: Mas): unknown {
  if (statusOf(mas) !== 'start') return undefined;
  const tree = mas.tree;
  mas.min = 0;
  mas.max = MAX_INDEX;
  mas.depth = 0;
  mas.seq = tree.writeSeq;
  if (tree.root !== null) {
    mas.status = 'active';
    mas.node = tree.root;
    mas.offset = 0;
    return undefined;
  }
  mas.node = null;
  mas.offset = MAPLE_NODE_SLOTS;
  if (tree.rootEntry === undefined) {
    mas.status = 'none';
    return undefined;
  }
  mas.status = 'root';
  return mas.index > 0 ? undefined : tree.rootEntry;
}

/** mas_start for a write (mas_wr_prealloc_setup): from the root, whatever the state was. */
export function masStartNode(mas: Mas): void {
  masReset(mas);
  masStart(mas);
}

/** ma_is_root */
export function maIsRoot(node: MapleNode): boolean {
  return node.isRoot;
}

/** mas_is_root_limits */
export function masIsRootLimits(mas: Mas): boolean {
  return mas.min === 0 && mas.max === MAX_INDEX;
}

/** mas_descend: into the child at mas.offset. */
export function masDescend(mas: Mas): void {
  const node = mas.n;
  if (mas.offset > 0) mas.min = node.pv[node.at + mas.offset - 1]! + 1;
  mas.max = masSafePivot(node, mas.offset, mas.max);
  mas.node = node.child(mas.offset);
}

/**
 * mas_ascend: up to the parent, recomputing its range from the ancestors' pivots. Returns true when
 * a dead node was met on the way (a reader then walks again; the write path never meets one).
 */
export function masAscend(mas: Mas): boolean {
  const node = mas.n;
  const parent = node.parent;
  if (parent === null) {
    mas.offset = 0;
    return false;
  }
  if (node.dead) return true;
  mas.offset = node.parentSlot;
  mas.node = parent;
  if (parent.isRoot) {
    mas.min = 0;
    mas.max = MAX_INDEX;
    return false;
  }
  // The parent's min is ours when we are its first child, its max is ours when we end at
  // MAX_INDEX; otherwise the nearest ancestor whose pivots bound it on that side tells.
  let min = 0;
  let max = MAX_INDEX;
  let setMin = mas.offset === 0;
  if (setMin) min = mas.min;
  let setMax = mas.max === MAX_INDEX;
  let p = parent;
  while (!setMin || !setMax) {
    const a = p.parent!;
    const slot = p.parentSlot;
    if (a.dead) return true;
    if (!setMin && slot > 0) {
      setMin = true;
      min = a.pv[a.at + slot - 1]! + 1;
    }
    if (!setMax && slot < MT_PIVOTS[a.type]!) {
      setMax = true;
      max = a.pv[a.at + slot]!;
    }
    if (a.isRoot) break;
    p = a;
  }
  mas.min = min;
  mas.max = max;
  return false;
}

/** mas_prev_sibling: the node left of mas.node under the same parent. */
export function masPrevSibling(mas: Mas): boolean {
  const node = mas.n;
  if (node.isRoot || node.parentSlot === 0) return false;
  const pSlot = node.parentSlot;
  masAscend(mas);
  mas.offset = pSlot - 1;
  masDescend(mas);
  return true;
}

/** mas_next_sibling: the node right of mas.node under the same parent (`parent`: a scratch state). */
export function masNextSibling(mas: Mas, parent: Mas): boolean {
  const node = mas.n;
  if (node.isRoot) return false;
  parent.copyFrom(mas);
  masAscend(parent);
  parent.offset = node.parentSlot + 1;
  if (parent.offset > parent.n.end) return false;
  mas.copyFrom(parent);
  masDescend(mas);
  return true;
}

/** mas_set_parent: `child` hangs from `parent` at `slot`. */
export function masSetParent(child: MapleNode, parent: MapleNode, slot: number): void {
  child.store.link[child.id] = (parent.id + 1) * 16 + slot;
}

/** mas_adopt_children: every child of `parent` points back at it (by id: no child handles made). */
export function masAdoptChildren(parent: MapleNode): void {
  const link = parent.store.link;
  const up = (parent.id + 1) * 16;
  const sl = parent.sl;
  const st = parent.st;
  const end = parent.end;
  for (let i = 0; i <= end; i++) link[sl[st + i] as number] = up + i;
}

/** ma_set_meta / mas_leaf_set_meta: the data end (our nodes always record it). */
export function maSetMeta(node: MapleNode, end: number): void {
  node.end = end;
}

/** mas_max_gap: a leaf's computed gap, or an arange node's recorded largest. */
export function masMaxGap(mas: Mas): number {
  return nodeMaxGap(mas.n, mas.min, mas.max);
}

/** ma_max_gap: the largest gap of an arange node and where it is. */
function maMaxGap(node: MapleNode): number {
  const gp = node.gp!;
  const ga = node.at + GAPS;
  const end = node.end;
  let best = 0;
  let off = end;
  for (let i = end; i >= 0; i--) {
    const g = gp[ga + i]!;
    if (g > best) {
      best = g;
      off = i;
    }
  }
  node.gapOffset = off;
  return best;
}

/** mas_parent_gap: set the parent's gap for `node` and carry it up while the largest changes. */
function masParentGap(node: MapleNode, value: number): void {
  let child = node;
  let v = value;
  while (!child.isRoot) {
    const p = child.parent!;
    const offset = child.parentSlot;
    const gp = p.gp!;
    const metaOffset = p.gapOffset;
    const ga = p.at + GAPS;
    const metaGap = gp[ga + metaOffset]!;
    gp[ga + offset] = v;
    if (metaGap === v) return;
    if (offset !== metaOffset) {
      if (metaGap > v) return;
      p.gapOffset = offset;
    } else if (v < metaGap) {
      v = maMaxGap(p);
    }
    child = p;
  }
}

/** mas_update_gap: after the node at mas changed, refresh the gaps above it. */
export function masUpdateGap(mas: Mas): void {
  if (!mas.tree.isAlloc) return;
  const node = mas.n;
  if (node.isRoot) return;
  const gap = masMaxGap(mas);
  const p = node.parent!;
  if (p.gp![p.at + GAPS + node.parentSlot] !== gap) masParentGap(node, gap);
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
export function mtDestroyWalk(tree: MapleTree, node: MapleNode): void {
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
export function masPutInTree(mas: Mas, old: MapleNode, height: number): void {
  const node = mas.n;
  if (node.isRoot) {
    mas.tree.root = node;
    mas.tree.height = height;
  } else {
    node.parent!.setSlot(node.parentSlot, node);
  }
  old.dead = true;
}

/** mas_replace_node: put in tree, then free the old node. */
export function masReplaceNode(mas: Mas, old: MapleNode, height: number): void {
  masPutInTree(mas, old, height);
  freeNode(mas.tree, old);
}
