/**
 * `mapletree demo`: the tree at work — a small process-like memory map, its dump, and queries.
 */
import { writeFileSync } from 'node:fs';
import pc from 'picocolors';
import { MapleTree, MAX_INDEX, ZERO_ENTRY } from '../index.js';
import { treeSvg } from '../tree/svg.js';

const hex = (n: number): string => `0x${n.toString(16)}`;

export function runDemo(log: (line: string) => void = console.log, svgFile?: string): void {
  const tree = new MapleTree<string>({ allocRange: true });
  // Page numbers of a small x86-64 process: text, data, heap, libraries and the stack.
  const maps: [number, number, string][] = [
    [0x400, 0x4ff, 'r-xp /usr/bin/demo'],
    [0x500, 0x50f, 'rw-p /usr/bin/demo'],
    [0x1200, 0x13ff, 'rw-p [heap]'],
    [0x7f0000000, 0x7f00001ff, 'r-xp /usr/lib/libc.so.6'],
    [0x7f0000200, 0x7f000020f, 'rw-p /usr/lib/libc.so.6'],
    [0x7ffffffde, 0x7ffffffff, 'rw-p [stack]'],
  ];
  for (const [first, last, name] of maps) tree.storeRange(first, last, name);

  log(pc.bold('A memory map in a maple tree (page numbers):'));
  for (const [first, last, name] of tree) log(`  ${hex(first).padStart(12)}-${hex(last).padEnd(12)} ${name}`);
  log('');
  log(pc.bold('mt_dump:'));
  log(tree.dump('hex'));
  log('');
  log(pc.bold('Queries:'));
  log(`  load(0x1300)                 -> ${tree.load(0x1300)}`);
  log(`  find(0x600)                  -> ${JSON.stringify(tree.find(0x600))}`);
  const mmapAt = tree.allocRRange(0x40, 'rw-p [anon]', 0x1000, 0x7ffffffdd);
  log(`  allocRRange(0x40 pages)      -> ${hex(mmapAt)} (top-down, like get_unmapped_area)`);
  tree.storeRange(0x1300, 0x13ff, undefined);
  log(`  munmap heap tail, then load  -> ${tree.load(0x1300)}`);
  const child = tree.dup();
  child.storeRange(0x500, 0x50f, ZERO_ENTRY);
  log(`  dup(); mark 0x500 with XA_ZERO_ENTRY in the copy: load -> ${child.load(0x500)}, parent still ${tree.load(0x500)}`);
  tree.validate();
  child.validate();
  log(`  height ${tree.height}, ${tree.size} ranges, ${tree.allocator.live} nodes live, indices up to ${MAX_INDEX}`);

  if (svgFile !== undefined) {
    // A tree with a few levels, drawn: 200 ranges of a growing process map.
    const pic = new MapleTree<string>({ allocRange: true });
    for (let i = 0; i < 200; i++) pic.storeRange(i * 0x10, i * 0x10 + 0xb, `vma ${i}`);
    writeFileSync(svgFile, treeSvg(pic, { format: 'hex' }));
    log(`  a 200-range tree (height ${pic.height}) drawn to ${svgFile}`);
  }

  // Grow a bigger tree to show splits and height.
  const big = new MapleTree<number>();
  for (let i = 0; i < 100_000; i++) big.storeRange(i * 16, i * 16 + 9, i);
  big.validate();
  log(`  100,000 ranges: height ${big.height}, ${big.allocator.live} nodes; load(16 * 4242 + 3) -> ${big.load(16 * 4242 + 3)}`);
}
