/**
 * mt_dump-like text: one line per node and per leaf slot, indented by depth.
 */
import { MAPLE_TYPE_NAMES, MAX_INDEX } from './constants.js';
import { ZERO_ENTRY } from './entry.js';
import type { MapleNode, TreeRoot } from './node.js';
import { pivotAt } from './walk.js';

function num(n: number, format: 'dec' | 'hex'): string {
  return format === 'hex' ? `0x${n.toString(16)}` : String(n);
}

function entryText(entry: unknown): string {
  if (entry === undefined) return '(nil)';
  if (entry === ZERO_ENTRY) return 'XA_ZERO_ENTRY';
  if (typeof entry === 'string') return JSON.stringify(entry);
  if (typeof entry === 'object' && entry !== null) return entry.constructor?.name ?? 'object';
  return String(entry);
}

function dumpNode(node: MapleNode, min: number, max: number, depth: number, format: 'dec' | 'hex', out: string[]): void {
  const pad = '  '.repeat(depth);
  out.push(`${pad}${num(min, format)}-${num(max, format)}: ${MAPLE_TYPE_NAMES[node.type]} depth ${depth} end ${node.end}` +
    (node.gaps !== null ? ` gaps [${Array.from(node.gaps.subarray(0, node.end + 1)).map((g) => num(g, format)).join(', ')}]` : ''));
  let start = min;
  for (let i = 0; i <= node.end; i++) {
    const last = pivotAt(node, i, max);
    if (node.isLeaf) out.push(`${pad}  ${num(start, format)}-${num(last, format)}: ${entryText(node.slots[i])}`);
    else dumpNode(node.slots[i] as MapleNode, start, last, depth + 1, format, out);
    start = last + 1;
  }
}

/** Text picture of the whole tree. */
export function dumpTree(tree: TreeRoot, format: 'dec' | 'hex' = 'dec'): string {
  const flags = `${tree.isAlloc ? ' alloc-range' : ''}${tree.rcu ? ' rcu' : ''}`;
  const out = [`maple_tree height ${tree.height}${flags}`];
  if (tree.root === null) {
    out.push(tree.rootEntry === undefined ? '(empty)' : `root entry 0-0: ${entryText(tree.rootEntry)}`);
  } else {
    dumpNode(tree.root, 0, MAX_INDEX, 0, format, out);
  }
  return out.join('\n');
}
