/**
 * mtree_lookup_walk: the read-only descent the normal API's load uses.
 */
import { chunkOf, META, metaEnd, metaIsLeaf, regionOf } from './node.js';
import type { MapleTree } from './tree.js';

/**
 * mtree_lookup_walk: the entry covering `index`, without recording anything. It walks the arenas
 * by node id, never touching a node handle: one pivot region and one slot per level.
 */
export function lookup(tree: MapleTree, index: number): unknown {
  const root = tree.root;
  if (root === null) return index === 0 ? tree.rootEntry : undefined;
  const store = tree.nodes;
  const piv = store.piv;
  const slot = store.slot;
  const shift = store.pivotShift;
  let id = root.id;
  for (;;) {
    const c = chunkOf(id);
    const p = piv[c]!;
    const s = regionOf(id, c);
    const r = s << shift;
    const meta = p[r + META]!;
    const end = metaEnd(meta);
    let off = 0;
    while (off < end && index > p[r + off]!) off++;
    const next = slot[c]![s + off];
    if (metaIsLeaf(meta)) return next;
    id = next as number;
  }
}

