/**
 * __mt_dup: copy a tree node by node in DFS pre-order, keeping every node's shape.
 */
import type { Gfp } from './alloc.js';
import { MapleError } from './errors.js';
import { MapleNode } from './node.js';
import type { MapleTree } from './tree.js';

function countNodes(node: MapleNode): number {
  if (node.isLeaf) return 1;
  let n = 1;
  for (let i = 0; i <= node.end; i++) n += countNodes(node.slots[i] as MapleNode);
  return n;
}

function copyNode(src: MapleNode, parent: MapleNode | null): MapleNode {
  const node = new MapleNode(src.type);
  node.parent = parent;
  node.parentSlot = src.parentSlot;
  node.pivots.set(src.pivots);
  node.end = src.end;
  node.gapOffset = src.gapOffset;
  if (src.gaps !== null) node.gaps!.set(src.gaps);
  const slots = node.slots;
  if (src.isLeaf) {
    for (let i = 0; i <= src.end; i++) slots[i] = src.slots[i];
  } else {
    for (let i = 0; i <= src.end; i++) slots[i] = copyNode(src.slots[i] as MapleNode, node);
  }
  return node;
}

/**
 * Copies `src` into the empty tree `dst` (same attributes). All nodes are allocated before the copy
 * is published, so ENOMEM leaves `dst` empty.
 */
export function dupTree(src: MapleTree, dst: MapleTree, gfp: Gfp): void {
  if (src.isAlloc !== dst.isAlloc) throw new MapleError('EINVAL', 'dup: the trees have different attributes');
  if (!dst.isEmpty) throw new MapleError('EINVAL', 'dup: the destination tree is not empty');
  if (src.root === null) {
    dst.rootEntry = src.rootEntry;
    dst.writeSeq++;
    return;
  }
  const count = countNodes(src.root);
  if (!dst.allocator.allocate(count, gfp)) throw new MapleError('ENOMEM', `dup: no memory for ${count} nodes`);
  dst.root = copyNode(src.root, null);
  dst.height = src.height;
  dst.writeSeq++;
}
