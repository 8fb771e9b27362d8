/**
 * mt_validate: every structural rule of the tree, checked node by node.
 */
import { checkIndex, checkString } from './args.js';
import { MAPLE_ARANGE_64, MAPLE_LEAF_64, MAPLE_RANGE_64, MAX_INDEX, MT_MIN_SLOTS, MT_SLOTS } from './constants.js';
import { isInternalEntry } from './entry.js';
import { nodeMaxGap } from './gaps.js';
import { masSafePivot, type MapleNode } from './node.js';
import { shown } from './shown.js';
import type { MapleTree } from './tree.js';

/** A broken invariant: names the node (slot path from the root and its range) and the rule. */
export class TreeInvariantError extends Error {
  constructor(readonly path: readonly number[], readonly min: number, readonly max: number, readonly rule: string) {
    if (!Array.isArray(path)) throw new TypeError(`path must be an array of slot offsets, got ${shown(path)}`);
    checkIndex(min, 'min');
    checkIndex(max, 'max');
    checkString(rule, 'rule');
    super(`node at [${path.join(',')}] covering ${min}-${max}: ${rule}`);
    this.name = 'TreeInvariantError';
  }
}

interface LeafCursor {
  lastWasNull: boolean;
  leaves: number;
}

function check(node: MapleNode, min: number, max: number, depth: number, path: number[], tree: MapleTree, cur: LeafCursor): void {
  const fail = (rule: string): never => {
    throw new TreeInvariantError(path.slice(), min, max, rule);
  };
  if (node.dead) fail('node is dead');
  const leafDepth = tree.height - 1;
  if (depth === leafDepth) {
    if (node.type !== MAPLE_LEAF_64) fail(`type ${node.type} at leaf depth`);
  } else {
    if (depth > leafDepth) fail('deeper than the tree height');
    const want = tree.isAlloc ? MAPLE_ARANGE_64 : MAPLE_RANGE_64;
    if (node.type !== want) fail(`internal node of type ${node.type}, expected ${want}`);
  }
  const slots = MT_SLOTS[node.type]!;
  if (node.end < 0 || node.end >= slots) fail(`data end ${node.end} out of range`);
  if (depth > 0 && node.end + 1 < MT_MIN_SLOTS[node.type]!) fail(`only ${node.end + 1} slots used, minimum ${MT_MIN_SLOTS[node.type]}`);
  if (depth === 0 && !node.isLeaf && node.end < 1) fail('internal root with a single child');
  // Pivots: strictly increasing inside [min, max]; the last used one equals max unless implied.
  let prev = min - 1;
  for (let i = 0; i < node.end && i < node.pivots.length; i++) {
    const p = node.pivots[i]!;
    if (p <= prev) fail(`pivot ${i} (${p}) does not increase past ${prev}`);
    if (p >= max) fail(`pivot ${i} (${p}) reaches the node maximum ${max} before the data end`);
    prev = p;
  }
  if (node.end < node.pivots.length && node.pivots[node.end] !== max) {
    fail(`pivot at data end ${node.end} is ${node.pivots[node.end]}, expected the node maximum ${max}`);
  }
  for (let i = node.end + 1; i < node.pivots.length; i++) if (node.pivots[i] !== 0) fail(`pivot ${i} set past the data end`);
  for (let i = node.end + 1; i < slots; i++) if (node.slot(i) !== undefined) fail(`slot ${i} set past the data end`);
  let start = min;
  if (node.isLeaf) {
    for (let i = 0; i <= node.end; i++) {
      const entry = node.slot(i);
      if (isInternalEntry(entry) && entry.value < 256) fail(`slot ${i} holds internal entry ${entry.name}`);
      const isNull = entry === undefined;
      if (isNull && cur.lastWasNull) fail(`slot ${i} is NULL after a NULL`);
      cur.lastWasNull = isNull;
    }
    cur.leaves++;
    if (node.slot(node.end) === undefined && max !== MAX_INDEX) fail('a leaf other than the right-most ends with NULL');
    return;
  }
  const gaps = node.gaps;
  for (let i = 0; i <= node.end; i++) {
    const last = masSafePivot(node, i, max);
    const child = node.slot(i);
    path.push(i);
    if (!(child !== null && typeof child === 'object' && 'pivots' in child)) fail(`slot ${i} does not hold a node`);
    const c = child as MapleNode;
    if (c.parent !== node) fail(`child ${i} has the wrong parent`);
    if (c.parentSlot !== i) fail(`child ${i} records parent slot ${c.parentSlot}`);
    check(c, start, last, depth + 1, path, tree, cur);
    path.pop();
    if (gaps !== null) {
      const real = nodeMaxGap(c, start, last);
      if (gaps[i] !== real) fail(`gap ${i} is ${gaps[i]}, the child's largest gap is ${real}`);
      if (node.kidAt(i) !== c.id) fail(`child id ${i} in the pivot region is ${node.kidAt(i)}, not ${c.id}`);
    }
    start = last + 1;
  }
  if (gaps !== null) {
    let best = 0;
    for (let i = 0; i <= node.end; i++) if (gaps[i]! > gaps[best]!) best = i;
    if (gaps[node.gapOffset] !== gaps[best]) fail(`meta gap offset ${node.gapOffset} is not the largest gap (${best})`);
    for (let i = node.end + 1; i < gaps.length; i++) if (gaps[i] !== 0) fail(`gap ${i} set past the data end`);
    for (let i = node.end + 1; i < gaps.length; i++) if (node.kidAt(i) !== 0) fail(`child id ${i} set past the data end`);
  }
}

/** Throws TreeInvariantError at the first broken rule. */
export function validateTree(tree: MapleTree): void {
  if (tree.root === null) {
    if (tree.height !== 0) throw new TreeInvariantError([], 0, MAX_INDEX, `height ${tree.height} without a root node`);
    return;
  }
  if (tree.root.parent !== null) throw new TreeInvariantError([], 0, MAX_INDEX, 'root has a parent');
  if (tree.rootEntry !== undefined) throw new TreeInvariantError([], 0, MAX_INDEX, 'root node and root entry both set');
  check(tree.root, 0, MAX_INDEX, 0, [], tree, { lastWasNull: false, leaves: 0 });
}
