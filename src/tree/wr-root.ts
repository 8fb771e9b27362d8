/**
 * Writes at the root: into an empty or root-pointer tree (mas_store_root, mas_root_expand) and
 * over the whole index range (mas_new_root).
 */
import { MAPLE_LEAF_64, MAX_INDEX } from './constants.js';
import { isInternalEntry } from './entry.js';
import { mtDestroyWalk, type Mas, type NodeSource } from './mas.js';

/** mas_root_expand: the first leaf, holding the old root entry (if any) and the new range. */
function masRootExpand(mas: Mas, entry: unknown, pop: NodeSource): void {
  const tree = mas.tree;
  const contents = tree.rootEntry;
  const node = pop(MAPLE_LEAF_64);
  const pv = node.pv;
  const base = node.at;
  node.parent = null;
  mas.node = node;
  let slot = 0;
  if (mas.index > 0) {
    if (contents !== undefined) {
      node.setSlot(slot, contents);
      if (mas.index > 1) slot++;
    }
    pv[base + slot++] = mas.index - 1;
  }
  node.setSlot(slot, entry);
  mas.offset = slot;
  pv[base + slot] = mas.last;
  if (mas.last !== MAX_INDEX) pv[base + ++slot] = MAX_INDEX;
  node.end = slot;
  tree.height = 1;
  tree.rootEntry = undefined;
  tree.root = node;
}

/** mas_store_root */
export function masStoreRoot(mas: Mas, entry: unknown, pop: NodeSource): void {
  const tree = mas.tree;
  if (entry === undefined) {
    if (mas.index === 0) tree.rootEntry = undefined;
  } else if (mas.last !== 0 || mas.index !== 0 || isInternalEntry(entry)) {
    masRootExpand(mas, entry, pop);
  } else {
    tree.rootEntry = entry;
  }
}

/** mas_new_root: a write over [0, MAX_INDEX]; the old tree is destroyed. */
export function masNewRoot(mas: Mas, entry: unknown, pop: NodeSource): void {
  const tree = mas.tree;
  const old = tree.root;
  if (entry === undefined) {
    tree.height = 0;
    tree.root = null;
    tree.rootEntry = undefined;
  } else {
    const node = pop(MAPLE_LEAF_64);
    node.parent = null;
    mas.node = node;
    node.setSlot(0, entry);
    node.pv[node.at] = mas.last;
    node.end = 0;
    tree.height = 1;
    tree.root = node;
    tree.rootEntry = undefined;
  }
  if (old !== null) mtDestroyWalk(tree, old);
}
