/**
 * Giving arena memory back. Our nodes live in per-tree arenas (node.ts), and a freed region is
 * only reused, never returned; after a long RCU reader (every region freed meanwhile waits for its
 * grace period) or a tree that shrank, most of the arenas can be free. When no reader can still be
 * looking at a region, the live nodes are copied into fresh, dense arenas and the old ones dropped,
 * so memory and dup() follow the live nodes, not the high-water mark. The kernel has no such step:
 * its nodes go back to the slab one by one.
 */
import { NodeStore } from './node.js';
import type { MapleTree } from './tree.js';

/** Rebuilds the tree's arenas from its live nodes when they are mostly free and nobody reads. */
export function compactNodes(tree: MapleTree): void {
  const nodes = tree.nodes;
  if (!nodes.quiet || !nodes.sparse) return;
  if (tree.root === null) {
    nodes.clear();
    return;
  }
  const fresh = new NodeStore(nodes.withGaps);
  const root = fresh.copyLive(nodes, tree.root.id);
  nodes.adopt(fresh);
  tree.root = nodes.node(root);
  // Node ids changed: cursors outside RCU mode see the new count and walk again; RCU cursors find
  // their handles replaced.
  tree.writeSeq++;
}
