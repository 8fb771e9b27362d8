/**
 * mt_dump-like text (Linux 6.18 lib/maple_tree.c: mt_dump, mt_dump_node, mt_dump_range64,
 * mt_dump_arange64, mt_dump_entry): a header line, then every node with its range, depth, type,
 * parent and raw contents (gaps and metadata for arange_64), then its slots one level deeper.
 *
 * Where the kernel prints pointers we print stable names: nodes are numbered `node#0`, `node#1` …
 * in DFS pre-order, so two trees of the same shape and contents dump to the same text. Ranges are
 * decimal or (format 'hex') lower-case hex without a prefix, as the kernel prints them.
 */
import { MAPLE_TYPE_NAMES, MAX_INDEX } from './constants.js';
import { isReservedEntry, ZERO_ENTRY } from './entry.js';
import type { MapleNode } from './node.js';
import type { MapleTree } from './tree.js';

export type DumpFormat = 'dec' | 'hex';

function num(n: number, format: DumpFormat): string {
  return format === 'hex' ? n.toString(16) : String(n);
}

/** mt_dump_range: `min-max: `, or `min: ` for a single index, indented two spaces per depth. */
function rangeText(min: number, max: number, depth: number, format: DumpFormat): string {
  const pad = '  '.repeat(depth);
  return min === max ? `${pad}${num(min, format)}: ` : `${pad}${num(min, format)}-${num(max, format)}: `;
}

/** How an entry reads in a dump (mt_dump_entry's cases, JavaScript values in place of pointers). */
export function entryText(entry: unknown): string {
  if (entry === undefined) return '(nil)';
  if (entry === ZERO_ENTRY) return 'zero (257)';
  if (isReservedEntry(entry)) return `UNKNOWN ENTRY (${String(entry)})`;
  if (typeof entry === 'number' && Number.isInteger(entry)) return `value ${entry} (0x${entry.toString(16)})`;
  if (typeof entry === 'string') return JSON.stringify(entry);
  if (typeof entry === 'object' && entry !== null) {
    const name = (entry as { constructor?: { name?: string } }).constructor?.name;
    return name !== undefined && name !== 'Object' ? `<${name}>` : '<object>';
  }
  return String(entry);
}

class Dumper {
  readonly out: string[] = [];
  readonly ids = new Map<MapleNode, number>();

  constructor(readonly format: DumpFormat) {}

  /** Numbers every node of the subtree in DFS pre-order. */
  number(node: MapleNode): void {
    this.ids.set(node, this.ids.size);
    if (node.isLeaf) return;
    for (let i = 0; i <= node.end; i++) this.number(node.child(i));
  }

  nodeName(node: MapleNode): string {
    return `node#${this.ids.get(node) ?? '?'}`;
  }

  slotText(node: MapleNode, i: number): string {
    return node.isLeaf ? entryText(node.slot(i)) : this.nodeName(node.child(i));
  }

  /** mt_dump_node with mt_dump_range64 / mt_dump_arange64. */
  node(node: MapleNode, min: number, max: number, depth: number): void {
    const f = this.format;
    const parent = node.parent === null ? 'tree' : this.nodeName(node.parent);
    let line = `${rangeText(min, max, depth, f)}${this.nodeName(node)} depth ${depth} type ${node.type} ` +
      `(${MAPLE_TYPE_NAMES[node.type]}) parent ${parent}${node.dead ? ' DEAD' : ''} contents:`;
    const nodeGaps = node.gaps;
    if (nodeGaps !== null) {
      const gaps: string[] = [];
      for (let i = 0; i <= node.end; i++) gaps.push(num(nodeGaps[i]!, f));
      line += ` gaps ${gaps.join(' ')} | end ${node.end} gap ${node.gapOffset} |`;
    }
    for (let i = 0; i <= node.end; i++) {
      line += ` ${this.slotText(node, i)}`;
      if (i < node.end) line += ` ${num(node.pivots[i]!, f)}`;
    }
    this.out.push(line);
    let first = min;
    for (let i = 0; i <= node.end; i++) {
      const last = i < node.end ? node.pivots[i]! : max;
      if (node.isLeaf) this.out.push(`${rangeText(first, last, depth + 1, f)}${entryText(node.slot(i))}`);
      else this.node(node.child(i), first, last, depth + 1);
      if (last >= max) break;
      first = last + 1;
    }
  }
}

/** mt_dump: text picture of the whole tree. */
export function dumpTree(tree: MapleTree, format: DumpFormat = 'dec'): string {
  const flags = [tree.isAlloc ? 'alloc-range' : '', tree.rcu ? 'rcu' : ''].filter((s) => s !== '').join(',');
  const d = new Dumper(format);
  const rootText = tree.root !== null ? 'node#0' : tree.rootEntry !== undefined ? entryText(tree.rootEntry) : '(nil)';
  d.out.push(`maple_tree flags ${flags === '' ? '-' : flags}, height ${tree.height} root ${rootText}`);
  if (tree.root !== null) {
    d.number(tree.root);
    d.node(tree.root, 0, MAX_INDEX, 0);
  } else if (tree.rootEntry !== undefined) {
    d.out.push(`${rangeText(0, 0, 0, format)}${entryText(tree.rootEntry)}`);
  } else {
    d.out.push('(empty)');
  }
  return d.out.join('\n');
}
