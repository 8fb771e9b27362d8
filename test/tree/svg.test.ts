import { describe, expect, it } from 'vitest';
import { treeSvg } from '../../src/tree/svg.js';
import { MapleTree } from '../../src/tree/tree.js';

function countNodes(tree: MapleTree<string>): number {
  return tree.allocator.live;
}

describe('treeSvg', () => {
  it('draws one box per node, with a line per slot and a link per child', () => {
    const t = new MapleTree<string>({ allocRange: true });
    for (let i = 0; i < 40; i++) t.storeRange(i * 16, i * 16 + 11, `vma ${i}`);
    const svg = treeSvg(t, { format: 'hex' });
    const nodes = countNodes(t);
    expect((svg.match(/<rect /g) ?? []).length).toBe(nodes);
    expect((svg.match(/<path /g) ?? []).length).toBe(nodes - 1);
    expect(svg).toContain(`height ${t.height}, ${nodes} nodes`);
    expect(svg).toContain('0x270-0x27b: &quot;vma 39&quot;'.replace(/&quot;/g, '"'));
  });

  it('cuts large trees at maxNodes and says how many were left out', () => {
    const t = new MapleTree<string>();
    for (let i = 0; i < 2000; i++) t.storeRange(i * 4, i * 4 + 1, 'x');
    const svg = treeSvg(t, { maxNodes: 10 });
    expect((svg.match(/<rect /g) ?? []).length).toBe(10);
    expect(svg).toContain(`… ${countNodes(t) - 10} more nodes not drawn`);
  });

  it('draws the root-entry and empty cases as text', () => {
    const t = new MapleTree<string>();
    expect(treeSvg(t)).toContain('empty tree');
    t.store(0, 'only');
    expect(treeSvg(t)).toContain('root entry [0, 0]: "only"');
  });
});
