/**
 * Swapping a rebuilt subtree into the tree (mas_topiary_replace / mas_wmb_replace). New nodes are
 * recognised by their parent links: a new node's children were linked to it as it was built, while
 * the old nodes' children still point at the old nodes. After the swap, each new node adopts all its
 * children (reused old ones included); then the old nodes that were replaced are found the same way
 * and freed, whole subtrees at once where they lay inside the written range.
 */
import type { BigNode } from './big-node.js';
import { masAdoptChildren, freeNode, mtDestroyWalk, Mas, masDescend, masUpdateGap, masPutInTree } from './mas.js';
import type { MapleNode } from './node.js';

/** struct maple_subtree_state: the old left/right edges, the new left/middle/right nodes, the data. */
export interface Subtree {
  readonly origL: Mas;
  readonly origR: Mas;
  readonly l: Mas;
  readonly m: Mas;
  readonly r: Mas;
  readonly bn: BigNode;
}

/** mas_find_child: the next child (from mas.offset) whose parent link is mas's node. */
function masFindChild(mas: Mas, child: Mas): boolean {
  const node = mas.n;
  const store = node.store;
  for (let offset = mas.offset; offset <= node.end; offset++) {
    if (store.parentId(node.sl[node.at + offset] as number) === node.id) {
      child.copyFrom(mas);
      mas.offset = offset + 1;
      child.offset = offset;
      masDescend(child);
      child.offset = 0;
      return true;
    }
  }
  return false;
}

/** One level of the walk: the children found under up to three states, kept when `onFound` says so. */
function level(from: Mas[], next: Mas[], onFound: (child: Mas) => boolean, afterEach: (m: Mas) => void): number {
  let n = 0;
  for (let i = 0; i < 3; i++) {
    const m = from[i]!;
    if (m.isNone) continue;
    while (n < 3) {
      if (!masFindChild(m, next[n]!)) break;
      if (onFound(next[n]!)) n++;
    }
    afterEach(m);
  }
  for (let k = n; k < 3; k++) next[k]!.node = null;
  return n;
}

const keepAll = (): boolean => true;
const adopt = (m: Mas): void => masAdoptChildren(m.n);
const nothing = (): void => undefined;

/** mas_topiary_replace */
export function masTopiaryReplace(mas: Mas, old: MapleNode, newHeight: number): void {
  const tree = mas.tree;
  masPutInTree(mas, old, newHeight);
  const mk = (): Mas => new Mas(tree, mas.index, mas.last);
  let tmp = [mas.clone(), mk(), mk()];
  let tmpNext = [mk(), mk(), mk()];
  tmp[0]!.offset = 0;
  tmp[1]!.node = null;
  tmp[2]!.node = null;
  while (!tmp[0]!.n.isLeaf) {
    const n = level(tmp, tmpNext, keepAll, adopt);
    if (n === 0) break;
    [tmp, tmpNext] = [tmpNext, tmp];
  }
  if (old.isLeaf) {
    freeNode(tree, old);
  } else {
    // The same six states walk the old subtree.
    tmp[0]!.copyFrom(mas);
    tmp[0]!.offset = 0;
    tmp[0]!.node = old;
    tmp[1]!.node = null;
    tmp[2]!.node = null;
    for (let i = 0; i < 3; i++) tmpNext[i]!.node = null;
    const subtrees: MapleNode[] = [];
    const inside = (child: Mas): boolean => {
      if (child.min >= child.index && child.max <= child.last) {
        subtrees.push(child.n);
        child.node = null;
        return false;
      }
      return true;
    };
    do {
      if (level(tmp, tmpNext, inside, nothing) === 0) break;
      for (let i = 0; i < 3; i++) if (!tmp[i]!.isNone) freeNode(tree, tmp[i]!.n);
      [tmp, tmpNext] = [tmpNext, tmp];
    } while (!tmp[0]!.n.isLeaf);
    for (let i = 0; i < 3; i++) if (!tmp[i]!.isNone) freeNode(tree, tmp[i]!.n);
    for (const s of subtrees) mtDestroyWalk(tree, s);
  }
  if (mas.n.isLeaf) return;
  masUpdateGap(mas);
}
