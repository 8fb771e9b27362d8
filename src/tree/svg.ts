/**
 * A picture of a maple tree: one box per node, level by level, each listing its slots with their
 * ranges (child links drawn from the slot to the child), as a self-contained SVG. It is the dump's
 * content laid out in two dimensions, for people; large trees are cut at `maxNodes`.
 */
import { MAPLE_TYPE_NAMES, MAX_INDEX } from './constants.js';
import { entryText } from './dump.js';
import { masSafePivot, type MapleNode } from './node.js';
import type { MapleTree } from './tree.js';

export interface SvgOptions {
  readonly format?: 'dec' | 'hex';
  /** Nodes drawn at most (in breadth-first order); the rest are summarised. Default 120. */
  readonly maxNodes?: number;
}

interface Placed {
  readonly node: MapleNode;
  readonly min: number;
  readonly max: number;
  readonly depth: number;
  readonly lines: string[];
  x: number;
  y: number;
  width: number;
  height: number;
  readonly children: Placed[];
  readonly parent: Placed | null;
  readonly parentSlot: number;
}

const LINE = 14;
const CHAR = 7;
const GAP_X = 16;
const GAP_Y = 48;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function subtreeSize(node: MapleNode): number {
  if (node.isLeaf) return 1;
  let n = 1;
  for (let i = 0; i <= node.end; i++) n += subtreeSize(node.child(i));
  return n;
}

export function treeSvg(tree: MapleTree, options: SvgOptions = {}): string {
  const fmt = (n: number): string => (options.format === 'hex' ? `0x${n.toString(16)}` : String(n));
  const maxNodes = options.maxNodes ?? 120;
  if (tree.root === null) {
    const text = tree.rootEntry === undefined ? 'empty tree' : `root entry [0, 0]: ${entryText(tree.rootEntry)}`;
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${text.length * CHAR + 20}" height="30"><text x="10" y="20" font-family="monospace" font-size="12">${esc(text)}</text></svg>\n`;
  }
  // Breadth-first, so a cut keeps the upper levels whole.
  const levels: Placed[][] = [];
  const queue: Placed[] = [];
  const make = (node: MapleNode, min: number, max: number, depth: number, parent: Placed | null, parentSlot: number): Placed => {
    const lines = [`${MAPLE_TYPE_NAMES[node.type]} ${fmt(min)}-${fmt(max)}`];
    let lo = min;
    const gaps = node.gaps;
    for (let i = 0; i <= node.end; i++) {
      const hi = masSafePivot(node, i, max);
      lines.push(`${fmt(lo)}-${fmt(hi)}${node.isLeaf ? `: ${entryText(node.slot(i))}` : ''}${gaps ? `  gap ${fmt(gaps[i]!)}` : ''}`);
      lo = hi + 1;
    }
    const width = Math.max(...lines.map((l) => l.length)) * CHAR + 12;
    return { node, min, max, depth, lines, x: 0, y: 0, width, height: lines.length * LINE + 8, children: [], parent, parentSlot };
  };
  queue.push(make(tree.root, 0, MAX_INDEX, 0, null, 0));
  let drawn = 0;
  let cut = 0;
  while (queue.length > 0) {
    const p = queue.shift()!;
    if (drawn >= maxNodes) {
      cut += subtreeSize(p.node);
      continue;
    }
    drawn++;
    (levels[p.depth] ??= []).push(p);
    p.parent?.children.push(p);
    if (p.node.isLeaf) continue;
    let lo = p.min;
    for (let i = 0; i <= p.node.end; i++) {
      const hi = masSafePivot(p.node, i, p.max);
      queue.push(make(p.node.child(i), lo, hi, p.depth + 1, p, i));
      lo = hi + 1;
    }
  }
  // Lay each level out left to right; parents sit above the middle of their children.
  let y = 10;
  let totalWidth = 0;
  for (const level of levels) {
    let x = 10;
    for (const p of level) {
      p.x = x;
      p.y = y;
      x += p.width + GAP_X;
    }
    totalWidth = Math.max(totalWidth, x);
    y += Math.max(...level.map((p) => p.height)) + GAP_Y;
  }
  for (let d = levels.length - 2; d >= 0; d--) {
    let floor = 10;
    for (const p of levels[d]!) {
      if (p.children.length > 0) {
        const first = p.children[0]!;
        const last = p.children[p.children.length - 1]!;
        p.x = Math.max(floor, (first.x + last.x + last.width) / 2 - p.width / 2);
      } else {
        p.x = Math.max(floor, p.x);
      }
      floor = p.x + p.width + GAP_X;
      totalWidth = Math.max(totalWidth, floor);
    }
  }
  const parts: string[] = [];
  for (const level of levels) {
    for (const p of level) {
      if (p.parent) {
        const px = p.parent.x + p.parent.width - 6;
        const py = p.parent.y + 4 + (p.parentSlot + 1) * LINE + LINE / 2;
        parts.push(`<path d="M${px},${py} C${px + 30},${py} ${p.x + p.width / 2},${p.y - 30} ${p.x + p.width / 2},${p.y}" fill="none" stroke="#8aa" />`);
      }
      const fill = p.node.isLeaf ? '#eef7ee' : '#eef2fb';
      parts.push(`<rect x="${p.x}" y="${p.y}" width="${p.width}" height="${p.height}" rx="4" fill="${fill}" stroke="#567" />`);
      p.lines.forEach((line, i) => {
        parts.push(`<text x="${p.x + 6}" y="${p.y + 4 + (i + 1) * LINE - 3}"${i === 0 ? ' font-weight="bold"' : ''}>${esc(line)}</text>`);
      });
    }
  }
  if (cut > 0) parts.push(`<text x="10" y="${y}">… ${cut} more nodes not drawn</text>`);
  const height = y + (cut > 0 ? 20 : 0);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(totalWidth)}" height="${Math.ceil(height)}" font-family="ui-monospace,monospace" font-size="11">\n` +
    `<title>maple tree: height ${tree.height}, ${drawn + cut} nodes</title>\n${parts.join('\n')}\n</svg>\n`;
}
