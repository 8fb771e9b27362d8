/**
 * The write path: storing an entry (or NULL) over [index, last].
 *
 * Every store ends in one mechanism, modelled on the kernel's big-node rebuild (mas_wr_bnode,
 * mas_split, mas_rebalance, mas_spanning_rebalance): the affected run of nodes at one level is
 * replaced by new contents; when those do not fit in place, new nodes are built and the run's
 * parents are rebuilt the same way, level by level, until the change fits in one node or a new root
 * is made. Small stores that fit in their leaf are written in place (exact fit, slot store, append
 * and node store in the kernel's vocabulary); in RCU mode the leaf is copied and swapped in.
 *
 * Kernel rules kept: NULL stores swallow neighbouring NULL ranges (mas_wr_extend_null), so no two
 * adjacent slots are NULL; a NULL store may not end a leaf other than the right-most
 * (mas_is_span_wr); new nodes never end on NULL except the right-most leaf; a non-root node keeps
 * at least mt_min_slots entries; the root collapses when it has a single child; gaps propagate up
 * allocation trees; nodes are allocated before anything changes, so ENOMEM leaves the tree as it was.
 */
import type { Gfp } from './alloc.js';
import {
  MAPLE_ARANGE_64, MAPLE_HEIGHT_MAX, MAPLE_LEAF_64, MAPLE_RANGE_64, MAX_INDEX, MT_MIN_SLOTS, MT_SLOTS,
  type MapleType,
} from './constants.js';
import { isInternalEntry } from './entry.js';
import { MapleError } from './errors.js';
import { refreshGaps, nodeMaxGap } from './gaps.js';
import { MapleNode } from './node.js';
import type { MapleTree } from './tree.js';
import { pivotAt, stepAtDepth, walkPath, WalkPath } from './walk.js';

/** Contents of one level of a run: values (entries or child nodes) with their upper bounds. */
class LevelItems {
  vals: unknown[] = [];
  pivs: number[] = [];

  clear(): void {
    this.vals.length = 0;
    this.pivs.length = 0;
  }

  push(val: unknown, piv: number): void {
    this.vals.push(val);
    this.pivs.push(piv);
  }

  /** Appends slots [from, to] of `node` (covering up to `max`). */
  pushSlots(node: MapleNode, from: number, to: number, max: number): void {
    for (let i = from; i <= to; i++) this.push(node.slots[i], pivotAt(node, i, max));
  }

  get count(): number {
    return this.vals.length;
  }
}

/** Nodes a MaState reserved with mas_preallocate; a store draws on them and cannot fail. */
export interface Reservation {
  count: number;
}

/** Per-tree scratch space, so a store allocates nothing but the nodes it builds. */
export class WriteScratch {
  /** The range the last store covered, after NULL expansion (mas->index / mas->last after mas_store). */
  storedIndex = 0;
  storedLast = 0;
  readonly left = new WalkPath();
  readonly right = new WalkPath();
  readonly probe = new WalkPath();
  readonly items = new LevelItems();
  readonly next = new LevelItems();
}

/** Nodes one store may need at most: three per level of a run plus a new root (mas_prealloc_calc's spanning bound). */
export function worstCaseNodes(height: number): number {
  return 3 * height + 1;
}

function internalType(tree: MapleTree): MapleType {
  return tree.isAlloc ? MAPLE_ARANGE_64 : MAPLE_RANGE_64;
}

/**
 * Stores `entry` over [index, last]. Throws MapleError ENOMEM, with the tree unchanged, when the
 * allocator refuses the nodes the store needs.
 */
export function storeEntry(tree: MapleTree, index: number, last: number, entry: unknown, gfp: Gfp, reserve?: Reservation): void {
  tree.scratch.storedIndex = index;
  tree.scratch.storedLast = last;
  if (tree.root === null) {
    storeRoot(tree, index, last, entry, gfp, reserve);
    return;
  }
  const s = tree.scratch;
  if (entry === undefined) {
    // mas_wr_extend_null: a NULL store takes in the NULL ranges it touches or borders.
    walkPath(tree, index, s.probe);
    if (s.probe.slotEntry() === undefined) index = s.probe.slotMin();
    if (index > 0) {
      walkPath(tree, index - 1, s.probe);
      if (s.probe.slotEntry() === undefined) index = s.probe.slotMin();
    }
    walkPath(tree, last, s.probe);
    if (s.probe.slotEntry() === undefined) last = s.probe.slotMax();
    if (last < MAX_INDEX) {
      walkPath(tree, last + 1, s.probe);
      if (s.probe.slotEntry() === undefined) last = s.probe.slotMax();
    }
  }
  s.storedIndex = index;
  s.storedLast = last;
  if (index === 0 && last === MAX_INDEX) {
    storeNewRoot(tree, entry, gfp, reserve);
    return;
  }

  const L = s.left;
  const R = s.right;
  walkPath(tree, index, L);
  walkPath(tree, last, R);
  const leafD = L.leafDepth;
  // A NULL store may not end a leaf that has a right neighbour: take the next leaf in (mas_is_span_wr).
  if (entry === undefined && last === R.maxs[leafD]! && last < MAX_INDEX) walkPath(tree, last + 1, R);

  // The new contents of the leaf run [L, R].
  const items = s.items;
  items.clear();
  const lNode = L.node(leafD);
  const lOff = L.offs[leafD]!;
  items.pushSlots(lNode, 0, lOff - 1, L.maxs[leafD]!);
  if (L.slotMin() < index) items.push(lNode.slots[lOff], index - 1);
  items.push(entry, last);
  const rNode = R.node(leafD);
  const rMax = R.maxs[leafD]!;
  let rOff = R.offs[leafD]!;
  if (pivotAt(rNode, rOff, rMax) > last) items.push(rNode.slots[rOff], pivotAt(rNode, rOff, rMax));
  items.pushSlots(rNode, rOff + 1, rNode.end, rMax);
  rOff = 0;

  const fitsInPlace = lNode === rNode && items.count <= MT_SLOTS[MAPLE_LEAF_64]! &&
    (leafD === 0 || items.count >= MT_MIN_SLOTS[MAPLE_LEAF_64]!);
  const need = fitsInPlace ? (tree.rcu ? 1 : 0) : worstCaseNodes(tree.height) + 1;
  obtain(tree, need, gfp, reserve, `a store over [${index}, ${last}]`);
  tree.writeSeq++;
  const used = fitsInPlace ? rewriteInPlace(tree, L, leafD, items) : rebuildRun(tree, items);
  giveBack(tree, need - used, reserve);
}

/**
 * Takes `need` nodes before anything changes: from the MaState's preallocation when there is one
 * (mas_store_prealloc cannot fail: the preallocation covers the worst case), else from the
 * allocator, failing with ENOMEM.
 */
function obtain(tree: MapleTree, need: number, gfp: Gfp, reserve: Reservation | undefined, what: string): void {
  if (need === 0) return;
  if (reserve !== undefined) {
    if (reserve.count < need) throw new Error(`preallocated ${reserve.count} nodes but ${what} needs up to ${need}`);
    reserve.count -= need;
  } else if (!tree.allocator.allocate(need, gfp)) {
    throw new MapleError('ENOMEM', `no memory for the ${need} nodes ${what} may need`);
  }
}

/** Returns nodes taken but not used, to the preallocation or the allocator. */
function giveBack(tree: MapleTree, unused: number, reserve: Reservation | undefined): void {
  if (unused <= 0) return;
  if (reserve !== undefined) reserve.count += unused;
  else tree.allocator.free(unused);
}

/** mas_store_root / mas_root_expand: a store into an empty or root-pointer tree. */
function storeRoot(tree: MapleTree, index: number, last: number, entry: unknown, gfp: Gfp, reserve?: Reservation): void {
  if (entry === undefined) {
    // Only a NULL store that covers index 0 removes the root-pointer entry.
    if (index === 0 && tree.rootEntry !== undefined) {
      tree.rootEntry = undefined;
      tree.writeSeq++;
    }
    return;
  }
  if (index === 0 && last === 0 && !isInternalEntry(entry)) {
    tree.rootEntry = entry;
    tree.writeSeq++;
    return;
  }
  obtain(tree, 1, gfp, reserve, 'the first leaf');
  const items = tree.scratch.items;
  items.clear();
  if (index > 0) {
    if (tree.rootEntry !== undefined) {
      items.push(tree.rootEntry, 0);
      if (index > 1) items.push(undefined, index - 1);
    } else {
      items.push(undefined, index - 1);
    }
  }
  items.push(entry, last);
  if (last < MAX_INDEX) items.push(undefined, MAX_INDEX);
  const leaf = new MapleNode(MAPLE_LEAF_64);
  fillNode(tree, leaf, items, 0, items.count, 0, MAX_INDEX);
  tree.writeSeq++;
  tree.rootEntry = undefined;
  tree.root = leaf;
  tree.height = 1;
}

/** mas_new_root: a store over [0, MAX_INDEX] replaces the whole tree. */
function storeNewRoot(tree: MapleTree, entry: unknown, gfp: Gfp, reserve?: Reservation): void {
  if (entry !== undefined) obtain(tree, 1, gfp, reserve, 'the new root');
  tree.writeSeq++;
  freeSubtree(tree, tree.root!);
  tree.root = null;
  tree.rootEntry = undefined;
  tree.height = 0;
  if (entry === undefined) return;
  const items = tree.scratch.items;
  items.clear();
  items.push(entry, MAX_INDEX);
  const leaf = new MapleNode(MAPLE_LEAF_64);
  fillNode(tree, leaf, items, 0, 1, 0, MAX_INDEX);
  tree.root = leaf;
  tree.height = 1;
}

/** Frees every node of a subtree (mt_destroy_walk), marking them dead. */
export function freeSubtree(tree: MapleTree, node: MapleNode): void {
  let count = 0;
  const stack: MapleNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    n.dead = true;
    count++;
    if (!n.isLeaf) for (let i = 0; i <= n.end; i++) stack.push(n.slots[i] as MapleNode);
  }
  tree.allocator.free(count);
}

/**
 * Writes items[from, from + count) into `node`, which covers [min, max], clearing what lies past the
 * new end and adopting child nodes. Gaps of an arange node are recomputed.
 */
function fillNode(tree: MapleTree, node: MapleNode, items: LevelItems, from: number, count: number, min: number, max: number): void {
  const { vals, pivs } = items;
  const slots = node.slots;
  const pivots = node.pivots;
  const leaf = node.isLeaf;
  for (let i = 0; i < count; i++) {
    const v = vals[from + i];
    slots[i] = v;
    if (i < pivots.length) pivots[i] = pivs[from + i]!;
    if (!leaf) {
      const child = v as MapleNode;
      child.parent = node;
      child.parentSlot = i;
    }
  }
  for (let i = count; i < slots.length; i++) slots[i] = undefined;
  for (let i = count; i < pivots.length; i++) pivots[i] = 0;
  node.end = count - 1;
  if (node.gaps !== null) refreshGaps(node, min, max);
  void tree;
}

/** Replaces `old` by `node` in its parent's slot or as the root (mas_replace_node). */
function replaceNode(tree: MapleTree, old: MapleNode, node: MapleNode): void {
  const parent = old.parent;
  node.parent = parent;
  node.parentSlot = old.parentSlot;
  if (parent === null) tree.root = node;
  else parent.slots[old.parentSlot] = node;
  old.dead = true;
  tree.allocator.free(1);
}

/**
 * Writes `items` over the node at depth d of `path` (same range), in place or — in RCU mode — into a
 * fresh copy swapped in for it; then carries the gap change up. Returns the nodes it used.
 */
function rewriteInPlace(tree: MapleTree, path: WalkPath, d: number, items: LevelItems): number {
  const old = path.node(d);
  const min = path.mins[d]!;
  const max = path.maxs[d]!;
  let node = old;
  let used = 0;
  if (tree.rcu) {
    node = new MapleNode(old.type);
    used = 1;
  }
  fillNode(tree, node, items, 0, items.count, min, max);
  if (node !== old) {
    replaceNode(tree, old, node);
    path.nodes[d] = node;
  }
  propagateGap(tree, path, d);
  return used;
}

/** mas_update_gap: after the node at depth d changed, refresh the gap its parents record for it. */
function propagateGap(tree: MapleTree, path: WalkPath, d: number): void {
  if (!tree.isAlloc) return;
  for (let k = d; k > 0; k--) {
    const child = path.node(k);
    const parent = child.parent!;
    const gap = nodeMaxGap(child, path.mins[k]!, path.maxs[k]!);
    const gaps = parent.gaps!;
    if (gaps[child.parentSlot] === gap) return;
    gaps[child.parentSlot] = gap;
    let best = 0;
    let bestOff = 0;
    for (let i = 0; i <= parent.end; i++) {
      if (gaps[i]! > best) {
        best = gaps[i]!;
        bestOff = i;
      }
    }
    parent.gapOffset = bestOff;
  }
}

/** Counts and kills the nodes at depth d from L's to R's inclusive; they are being replaced. */
function retireRun(tree: MapleTree, L: WalkPath, R: WalkPath, d: number): void {
  const last = R.node(d);
  const walker = tree.scratch.probe.copyFrom(L);
  let count = 1;
  let node = walker.node(d);
  node.dead = true;
  while (node !== last) {
    if (!stepAtDepth(walker, d, 1)) throw new Error('retireRun: lost the right end of the run');
    node = walker.node(d);
    node.dead = true;
    count++;
  }
  tree.allocator.free(count);
}

/**
 * Rebuilds the run [L, R] level by level, from the leaves up (mas_spanning_rebalance's shape).
 * `items` holds the leaf run's new contents. Returns the nodes built.
 */
function rebuildRun(tree: MapleTree, items: LevelItems): number {
  const s = tree.scratch;
  const L = s.left;
  const R = s.right;
  let cur = items;
  let other = s.next;
  let used = 0;
  const iType = internalType(tree);
  for (let d = L.leafDepth; ; d--) {
    const type = d === L.leafDepth ? MAPLE_LEAF_64 : iType;
    const slots = MT_SLOTS[type]!;
    const minSlots = MT_MIN_SLOTS[type]!;
    // Too few entries for a non-root node: take in a neighbour (mas_rebalance takes a sibling).
    if (d > 0 && cur.count < minSlots) {
      if (stepAtDepth(R, d, 1)) {
        const n = R.node(d);
        cur.pushSlots(n, 0, n.end, R.maxs[d]!);
      } else if (stepAtDepth(L, d, -1)) {
        const n = L.node(d);
        other.clear();
        other.pushSlots(n, 0, n.end, L.maxs[d]!);
        for (let i = 0; i < cur.count; i++) other.push(cur.vals[i], cur.pivs[i]!);
        const t = cur;
        cur = other;
        other = t;
      }
    }
    const runMin = L.mins[d]!;
    const runMax = R.maxs[d]!;
    const single = L.node(d) === R.node(d);
    if (single && cur.count <= slots && (cur.count >= minSlots || d === 0)) {
      if (d === 0 && type !== MAPLE_LEAF_64 && cur.count === 1) {
        collapseRoot(tree, cur.vals[0] as MapleNode, L, R, 0);
        return used;
      }
      return used + rewriteInPlace(tree, L, d, cur);
    }
    if (d > 0 && type !== MAPLE_LEAF_64 && cur.count === 1 && isWholeLevel(L, R, d)) {
      // Everything above has a single child: it becomes the root (the height drops).
      collapseRoot(tree, cur.vals[0] as MapleNode, L, R, d);
      return used;
    }

    // Build the replacement nodes for this level.
    // Leaves keep one slot spare so the no-NULL-ending shift below always fits.
    const capacity = type === MAPLE_LEAF_64 ? slots - 1 : slots;
    const nodes = Math.max(1, Math.ceil(cur.count / capacity));
    other.clear();
    let from = 0;
    let min = runMin;
    for (let k = 0; k < nodes; k++) {
      let take = k === nodes - 1 ? cur.count - from : Math.ceil((cur.count - from) / (nodes - k));
      // mab_no_null_split: a node other than the last may not end on NULL.
      if (k < nodes - 1 && type === MAPLE_LEAF_64 && cur.vals[from + take - 1] === undefined) {
        take += take < slots ? 1 : -1;
      }
      const node = new MapleNode(type);
      used++;
      const max = cur.pivs[from + take - 1]!;
      fillNode(tree, node, cur, from, take, min, max);
      other.push(node, max);
      from += take;
      min = max + 1;
    }
    retireRun(tree, L, R, d);

    if (d === 0) {
      if (nodes === 1) {
        setRoot(tree, other.vals[0] as MapleNode, tree.height);
      } else {
        const root = new MapleNode(iType);
        used++;
        fillNode(tree, root, other, 0, other.count, 0, MAX_INDEX);
        if (tree.height + 1 > MAPLE_HEIGHT_MAX) throw new Error('maple tree height would exceed MAPLE_HEIGHT_MAX');
        setRoot(tree, root, tree.height + 1);
      }
      return used;
    }

    // The parents' new contents: their untouched children around the rebuilt run.
    const pL = L.node(d - 1);
    const pR = R.node(d - 1);
    const upper = cur;
    upper.clear();
    upper.pushSlots(pL, 0, L.offs[d - 1]! - 1, L.maxs[d - 1]!);
    for (let i = 0; i < other.count; i++) upper.push(other.vals[i], other.pivs[i]!);
    upper.pushSlots(pR, R.offs[d - 1]! + 1, pR.end, R.maxs[d - 1]!);
    cur = upper;
    void runMax;
  }
}

function isWholeLevel(L: WalkPath, R: WalkPath, d: number): boolean {
  for (let k = 0; k < d; k++) {
    if (L.offs[k] !== 0 || R.offs[k] !== R.node(k).end) return false;
  }
  return true;
}

function setRoot(tree: MapleTree, node: MapleNode, height: number): void {
  node.parent = null;
  node.parentSlot = 0;
  tree.root = node;
  tree.height = height;
}

/**
 * Levels 0..`above` are left with a single child: that child becomes the root, and so on down while
 * a root has a single child. The retired levels span the whole width of the tree.
 */
function collapseRoot(tree: MapleTree, child: MapleNode, L: WalkPath, R: WalkPath, above: number): void {
  for (let k = 0; k <= above; k++) retireRun(tree, L, R, k);
  let height = tree.height - (above + 1);
  let node = child;
  while (!node.isLeaf && node.end === 0) {
    node.dead = true;
    tree.allocator.free(1);
    node = node.slots[0] as MapleNode;
    height--;
  }
  setRoot(tree, node, height);
}
