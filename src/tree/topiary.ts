/**
 * Swapping a rebuilt subtree into the tree (mas_topiary_replace / mas_wmb_replace). New nodes are
 * recognised by their parent links: a new node's children were linked to it as it was built, while
 * the old nodes' children still point at the old nodes. After the swap, each new node adopts all its
 * children (reused old ones included); then the old nodes that were replaced are found the same way
 * and freed, whole subtrees at once where they lay inside the written range.
 */
import type { BigNode } from './big-node.js';
import { masAdoptChildren, freeNode, mtDestroyWalk, type Mas, masDescend, masUpdateGap, masPutInTree } from './mas.js';
import type { MapleNode } from './node.js';
import type { WrScratch } from './wr-scratch.js';

/** struct maple_subtree_state: the old left/right edges, the new left/middle/right nodes, the data. */
export interface Subtree {
  readonly origL: Mas;
  readonly origR: Mas;
  readonly l: Mas;
  readonly m: Mas;
  readonly r: Mas;
  bn: BigNode;
}

/** mas_find_child: the next child (from mas.offset) whose parent link is mas's node. */
function masFindChild(mas: Mas, child: Mas): boolean {
  const node = mas.n;
  const store = node.store;
  for (let offset = mas.offset; offset <= node.end; offset++) {
    if (store.parentId(node.sl[node.st + offset] as number) === node.id) {
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

/**
 * One level of the new subtree's walk: the children found under up to three states go to `next`;
 * each state's node then adopts all its children.
 */
function levelAdopt(from: Mas[], next: Mas[]): number {
  let n = 0;
  for (let i = 0; i < 3; i++) {
    const m = from[i]!;
    if (m.isNone) continue;
    while (n < 3 && masFindChild(m, next[n]!)) n++;
    masAdoptChildren(m.n);
  }
  for (let k = n; k < 3; k++) next[k]!.node = null;
  return n;
}

/**
 * One level of the old subtree's walk: a child wholly inside the written range is set aside in
 * `subtrees` (freed whole later); the others go to `next`.
 */
function levelOld(from: Mas[], next: Mas[], subtrees: MapleNode[]): number {
  let n = 0;
  for (let i = 0; i < 3; i++) {
    const m = from[i]!;
    if (m.isNone) continue;
    while (n < 3) {
      const child = next[n]!;
      if (!masFindChild(m, child)) break;
      if (child.min >= child.index && child.max <= child.last) {
        subtrees.push(child.n);
        child.node = null;
      } else {
        n++;
      }
    }
  }
  for (let k = n; k < 3; k++) next[k]!.node = null;
  return n;
}

/** mas_topiary_replace (`s`: the write's scratch states) */
export function masTopiaryReplace(mas: Mas, old: MapleNode, newHeight: number, s: WrScratch): void {
  const tree = mas.tree;
  masPutInTree(mas, old, newHeight);
  let tmp = s.level;
  let tmpNext = s.nextLevel;
  tmp[0]!.copyFrom(mas);
  tmp[1]!.initLike(mas);
  tmp[2]!.initLike(mas);
  for (let i = 0; i < 3; i++) tmpNext[i]!.initLike(mas);
  tmp[0]!.offset = 0;
  while (!tmp[0]!.n.isLeaf) {
    if (levelAdopt(tmp, tmpNext) === 0) break;
    const t = tmp;
    tmp = tmpNext;
    tmpNext = t;
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
    const subtrees = s.subtrees;
    subtrees.length = 0;
    do {
      if (levelOld(tmp, tmpNext, subtrees) === 0) break;
      for (let i = 0; i < 3; i++) if (!tmp[i]!.isNone) freeNode(tree, tmp[i]!.n);
      const t = tmp;
      tmp = tmpNext;
      tmpNext = t;
    } while (!tmp[0]!.n.isLeaf);
    for (let i = 0; i < 3; i++) if (!tmp[i]!.isNone) freeNode(tree, tmp[i]!.n);
    for (let i = 0; i < subtrees.length; i++) mtDestroyWalk(tree, subtrees[i]!);
    subtrees.length = 0;
  }
  if (mas.n.isLeaf) return;
  masUpdateGap(mas);
}
