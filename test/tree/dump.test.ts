/**
 * dumpTree / MapleTree.dump: mt_dump-like text for every root case, both formats, and the
 * node-per-line layout of multi-level trees.
 */
import { describe, expect, it } from 'vitest';
import { MAX_INDEX } from '../../src/tree/constants.js';
import { dumpTree } from '../../src/tree/dump.js';
import { ZERO_ENTRY } from '../../src/tree/entry.js';
import { MapleTree } from '../../src/tree/tree.js';

describe('dump', () => {
  it('empty and root-pointer trees', () => {
    const t = new MapleTree();
    expect(t.dump()).toBe('maple_tree flags -, height 0 root (nil)\n(empty)');
    t.store(0, 'a');
    expect(t.dump()).toBe('maple_tree flags -, height 0 root "a"\n0: "a"');
  });

  it('a single leaf, decimal and hex; values, zero entries and NULL ranges', () => {
    const t = new MapleTree({ rcu: true });
    t.storeRange(10, 20, 5);
    t.storeRange(30, 30, ZERO_ENTRY);
    const dec = t.dump().split('\n');
    expect(dec[0]).toBe('maple_tree flags rcu, height 1 root node#0');
    expect(dec[1]).toBe(`0-${MAX_INDEX}: node#0 depth 0 type 1 (leaf_64) parent tree contents: (nil) 9 value 5 (0x5) 20 (nil) 29 zero (257) 30 (nil)`);
    expect(dec.slice(2)).toEqual(['  0-9: (nil)', '  10-20: value 5 (0x5)', '  21-29: (nil)', '  30: zero (257)', `  31-${MAX_INDEX}: (nil)`]);
    const hex = t.dump('hex').split('\n');
    expect(hex[3]).toBe('  a-14: value 5 (0x5)');
    expect(hex[6]).toBe(`  1f-${MAX_INDEX.toString(16)}: (nil)`);
  });

  it('multi-level allocation trees: one line per node, gaps and metadata, DFS numbering', () => {
    const t = new MapleTree({ allocRange: true });
    for (let i = 0; i < 200; i++) t.storeRange(i * 10, i * 10 + 5, i + 1);
    const lines = dumpTree(t).split('\n');
    expect(lines[0]).toBe(`maple_tree flags alloc-range, height ${t.height} root node#0`);
    expect(lines[1]).toMatch(/^0-9007199254740991: node#0 depth 0 type 3 \(arange_64\) parent tree contents: gaps .* \| end \d+ gap \d+ \| node#1 /);
    const nodeLines = lines.filter((l) => / node#\d+ depth /.test(l));
    const ids = nodeLines.map((l) => Number(/node#(\d+) depth/.exec(l)![1]));
    expect(ids).toEqual(ids.map((_, i) => i));
    const leafLines = lines.filter((l) => /: value \d+ \(0x/.test(l) && !/node#/.test(l));
    expect(leafLines.length).toBe(200);
    expect(t.dup().dump()).toBe(t.dump());
  });
});
