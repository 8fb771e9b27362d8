/**
 * Walking the tree: the descent of mtree_range_walk / mas_descend, and the recorded path the write
 * path and the navigation helpers work from.
 */
import { MAPLE_HEIGHT_MAX, MAX_INDEX } from './constants.js';
import { chunkOf, META, metaEnd, metaIsLeaf, regionOf, type MapleNode, type TreeRoot } from './node.js';

/** Upper bound of slot `offset` in `node`, whose range ends at `max` (mas_safe_pivot). */
export function pivotAt(node: MapleNode, offset: number, max: number): number {
  return offset < node.end ? node.pivots[offset]! : max;
}

/** Offset of the slot of `node` covering `index` (mas_node_walk for range nodes). */
export function slotFor(node: MapleNode, index: number): number {
  const pivots = node.pivots;
  const end = node.end;
  let offset = 0;
  while (offset < end && index > pivots[offset]!) offset++;
  return offset;
}

/**
 * A root-to-leaf path: at depth d, `nodes[d]` covers `[mins[d], maxs[d]]` and `offs[d]` is the slot
 * taken (the child at depth d + 1, or the entry in the leaf). Depth 0 is the root.
 */
export class WalkPath {
  readonly nodes: (MapleNode | null)[] = new Array<MapleNode | null>(MAPLE_HEIGHT_MAX + 1).fill(null);
  readonly offs = new Int32Array(MAPLE_HEIGHT_MAX + 1);
  readonly mins = new Float64Array(MAPLE_HEIGHT_MAX + 1);
  readonly maxs = new Float64Array(MAPLE_HEIGHT_MAX + 1);
  /** Depth of the leaf: height - 1. */
  leafDepth = -1;

  copyFrom(other: WalkPath): this {
    const n = other.leafDepth + 1;
    for (let d = 0; d < n; d++) this.nodes[d] = other.nodes[d]!;
    this.offs.set(other.offs.subarray(0, n));
    this.mins.set(other.mins.subarray(0, n));
    this.maxs.set(other.maxs.subarray(0, n));
    this.leafDepth = other.leafDepth;
    return this;
  }

  clone(): WalkPath {
    return new WalkPath().copyFrom(this);
  }

  node(d: number): MapleNode {
    return this.nodes[d]!;
  }

  /** The leaf's slot range: first index of the slot the path ends in. */
  slotMin(): number {
    const d = this.leafDepth;
    const off = this.offs[d]!;
    return off === 0 ? this.mins[d]! : this.nodes[d]!.pivots[off - 1]! + 1;
  }

  /** Last index of the slot the path ends in. */
  slotMax(): number {
    const d = this.leafDepth;
    return pivotAt(this.nodes[d]!, this.offs[d]!, this.maxs[d]!);
  }

  /** The entry in the slot the path ends in. */
  slotEntry(): unknown {
    const d = this.leafDepth;
    return this.nodes[d]!.slot(this.offs[d]!);
  }
}

/** Walks from the root to the leaf slot covering `index`, recording the path. The tree has a root node. */
export function walkPath(tree: TreeRoot, index: number, path: WalkPath): void {
  let node = tree.root!;
  let min = 0;
  let max = MAX_INDEX;
  let d = 0;
  for (;;) {
    const off = slotFor(node, index);
    path.nodes[d] = node;
    path.offs[d] = off;
    path.mins[d] = min;
    path.maxs[d] = max;
    if (node.isLeaf) break;
    if (off > 0) min = node.pivots[off - 1]! + 1;
    max = pivotAt(node, off, max);
    node = node.child(off);
    d++;
  }
  path.leafDepth = d;
}

/**
 * mtree_lookup_walk: the entry covering `index`, without recording anything. It walks the arenas
 * by node id, never touching a node handle: one pivot region and one slot per level.
 */
export function lookup(tree: TreeRoot, index: number): unknown {
  const root = tree.root;
  if (root === null) return index === 0 ? tree.rootEntry : undefined;
  const store = tree.nodes;
  const piv = store.piv;
  const slot = store.slot;
  let id = root.id;
  for (;;) {
    const c = chunkOf(id);
    const p = piv[c]!;
    const r = regionOf(id, c);
    const meta = p[r + META]!;
    const end = metaEnd(meta);
    let off = 0;
    while (off < end && index > p[r + off]!) off++;
    const next = slot[c]![r + off];
    if (metaIsLeaf(meta)) return next;
    id = next as number;
  }
}

/**
 * Moves `path` to the next (dir = 1) or previous (dir = -1) node at depth `d`, keeping everything
 * above consistent. Returns false, leaving `path` untouched, when there is none.
 */
export function stepAtDepth(path: WalkPath, d: number, dir: 1 | -1): boolean {
  let k = d - 1;
  while (k >= 0) {
    const off = path.offs[k]!;
    if (dir === 1 ? off < path.nodes[k]!.end : off > 0) break;
    k--;
  }
  if (k < 0) return false;
  path.offs[k] = path.offs[k]! + dir;
  for (; k < d; k++) {
    const parent = path.nodes[k]!;
    const off = path.offs[k]!;
    const min = off === 0 ? path.mins[k]! : parent.pivots[off - 1]! + 1;
    const max = pivotAt(parent, off, path.maxs[k]!);
    const child = parent.child(off);
    path.nodes[k + 1] = child;
    path.mins[k + 1] = min;
    path.maxs[k + 1] = max;
    path.offs[k + 1] = dir === 1 ? 0 : child.end;
  }
  return true;
}
