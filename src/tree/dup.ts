/**
 * __mt_dup: copy a tree keeping every node's shape.
 *
 * The kernel copies node by node in DFS pre-order (mas_dup_build). Our nodes are regions of the
 * tree's arenas with child links by id, so the copy takes the arenas whole: same ids, same
 * pivots, gaps and slots, no links to rewrite. The allocator is asked for exactly the nodes the
 * kernel would allocate (the live nodes), before anything is published.
 */
import type { Gfp } from './alloc.js';
import { MapleError } from './errors.js';
import { chunkOf, META, metaEnd, metaIsLeaf, regionOf, type NodeStore } from './node.js';
import type { MapleTree } from './tree.js';

/** Live nodes below and including `id`. */
function countNodes(store: NodeStore, id: number): number {
  const c = chunkOf(id);
  const s = regionOf(id, c);
  const meta = store.piv[c]![(s << store.pivotShift) + META]!;
  if (metaIsLeaf(meta)) return 1;
  const end = metaEnd(meta);
  const slots = store.slot[c]!;
  let n = 1;
  for (let i = 0; i <= end; i++) n += countNodes(store, slots[s + i] as number);
  return n;
}

/** Replaces each entry of the leaves below and including `id` by `map(entry)` (holes stay holes). */
function mapEntries(store: NodeStore, id: number, map: (entry: unknown) => unknown): void {
  const c = chunkOf(id);
  const s = regionOf(id, c);
  const meta = store.piv[c]![(s << store.pivotShift) + META]!;
  const end = metaEnd(meta);
  const slots = store.slot[c]!;
  if (metaIsLeaf(meta)) {
    for (let i = s; i <= s + end; i++) if (slots[i] !== undefined) slots[i] = map(slots[i]);
    return;
  }
  for (let i = 0; i <= end; i++) mapEntries(store, slots[s + i] as number, map);
}

/**
 * Copies `src` into the empty tree `dst` (same attributes). All nodes are allocated before the copy
 * is published, so ENOMEM leaves `dst` empty. Arenas mostly in use are copied whole; mostly free
 * ones (after a long RCU reader, or a tree that shrank) node by node, so the copy's cost and size
 * follow the live nodes. With `map`, each entry of the copy is `map(entry)`, in index order: the
 * same tree as storing every mapped entry over its own range after the copy, without the walks.
 */
export function dupTree(src: MapleTree, dst: MapleTree, gfp: Gfp, map?: (entry: unknown) => unknown): void {
  if (map !== undefined && typeof map !== 'function') throw new TypeError(`dup: map must be a function, got ${typeof map}`);
  if (src.isAlloc !== dst.isAlloc) throw new MapleError('EINVAL', 'dup: the trees have different attributes');
  if (!dst.isEmpty) throw new MapleError('EINVAL', 'dup: the destination tree is not empty');
  let count = 0;
  for (;;) {
    // The allocator may write to `src` (a failWhen predicate, a subclass): count again if it did.
    const seq = src.writeSeq;
    count = src.root === null ? 0 : countNodes(src.nodes, src.root.id);
    if (count > 0 && !dst.allocator.allocate(count, gfp)) throw new MapleError('ENOMEM', `dup: no memory for ${count} nodes`);
    if (src.writeSeq === seq) break;
    if (count > 0) dst.allocator.free(count);
  }
  const root = src.root;
  if (root === null) {
    dst.rootEntry = map !== undefined && src.rootEntry !== undefined ? map(src.rootEntry) : src.rootEntry;
    dst.writeSeq++;
    return;
  }
  if (count * 2 < src.nodes.capacity) {
    dst.root = dst.nodes.node(dst.nodes.copyLive(src.nodes, root.id));
  } else {
    dst.nodes.copyFrom(src.nodes);
    dst.root = dst.nodes.node(root.id);
  }
  if (map !== undefined) mapEntries(dst.nodes, dst.root.id, map);
  dst.height = src.height;
  dst.writeSeq++;
}
