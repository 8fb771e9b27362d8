// Every store type of mas_wr_store_type, made to happen on purpose: the planner names it, the
// store leaves a valid tree holding what a reference model holds, and the shapes change the way
// the kernel's do (in place, one new node, a split into two or three, a collapse).
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX } from '../../src/index.js';
import { type MapleNode, planStore, type StoreType } from '../../src/internals.js';
import { RangeModel } from './reference-model.js';

function seqTree(n: number, opts: { rcu?: boolean; allocRange?: boolean } = {}): { t: MapleTree; m: RangeModel } {
  const t = new MapleTree(opts);
  const m = new RangeModel();
  for (let i = 0; i < n; i++) {
    t.storeRange(i * 10, i * 10 + 5, i);
    m.storeRange(i * 10, i * 10 + 5, i);
  }
  return { t, m };
}

function leaves(t: MapleTree): MapleNode[] {
  const out: MapleNode[] = [];
  const go = (n: MapleNode): void => {
    if (n.isLeaf) out.push(n);
    else for (let i = 0; i <= n.end; i++) go(n.child(i));
  };
  if (t.root) go(t.root);
  return out;
}

/** Plans, checks the type, stores, validates and compares with the model. */
function storeAs(t: MapleTree, m: RangeModel, first: number, last: number, entry: unknown, type: StoreType): void {
  expect(planStore(t, first, last, entry).type).toBe(type);
  t.storeRange(first, last, entry);
  m.storeRange(first, last, entry);
  t.validate();
  expect([...t]).toEqual(m.visible());
}

describe('store types', () => {
  it('store_root: a lone [0, 0] entry stays in the root pointer; anything else expands to a leaf', () => {
    const t = new MapleTree();
    const m = new RangeModel();
    storeAs(t, m, 0, 0, 'a', 'store_root');
    expect(t.root).toBeNull();
    storeAs(t, m, 5, 9, 'b', 'store_root');
    expect(t.height).toBe(1);
  });

  it('exact_fit writes the slot in place, also in RCU mode', () => {
    const { t, m } = seqTree(10, { rcu: true });
    const leaf = t.root;
    storeAs(t, m, 30, 35, 'x', 'exact_fit');
    expect(t.root).toBe(leaf);
  });

  it('append and slot_store change the leaf in place; in RCU mode a node store copies it', () => {
    const { t, m } = seqTree(5);
    const leaf = t.root;
    storeAs(t, m, 100, 200, 'end', 'append');
    storeAs(t, m, 4, 9, 'over two slots', 'slot_store');
    expect(t.root).toBe(leaf);
    const r = seqTree(5, { rcu: true });
    const old = r.t.root!;
    storeAs(r.t, r.m, 100, 200, 'end', 'node_store');
    expect(r.t.root).not.toBe(old);
    expect(old.dead).toBe(true);
  });

  it('node_store rewrites a leaf whose data end changes', () => {
    const { t, m } = seqTree(5);
    storeAs(t, m, 12, 13, 'inside', 'node_store');
  });

  it('split_store: a full leaf splits (pushing into a sibling when it has room)', () => {
    const { t, m } = seqTree(8);
    const types: StoreType[] = [];
    // Each store into a NULL gap adds two slots to the one leaf until it overflows.
    for (let i = 0; i < 8 && t.height === 1; i++) {
      const type = planStore(t, i * 10 + 7, i * 10 + 8, `g${i}`).type;
      types.push(type);
      storeAs(t, m, i * 10 + 7, i * 10 + 8, `g${i}`, type);
    }
    expect(types.at(-1)).toBe('split_store');
    expect(types.slice(0, -1).every((x) => x === 'node_store')).toBe(true);
    expect(t.height).toBe(2);
    expect(leaves(t)).toHaveLength(2);
  });

  it('a spanning store over two full leaves can need three nodes (the 3-way split)', () => {
    const t = new MapleTree();
    const m = new RangeModel();
    for (let i = 0; i < 2000; i++) {
      t.storeRange(i * 2, i * 2, i);
      m.storeRange(i * 2, i * 2, i);
    }
    // Two neighbouring full leaves; write over the end of one and the start of the other.
    const ls = leaves(t);
    const k = ls.findIndex((l, i) => l.end === 15 && ls[i + 1]?.end === 15);
    expect(k).toBeGreaterThanOrEqual(0);
    const left = ls[k]!;
    const lastLeft = left.pivots[14]!;
    const before = ls.length;
    storeAs(t, m, lastLeft + 1, lastLeft + 2, 'bridge', 'spanning_store');
    expect(leaves(t).length).toBeGreaterThanOrEqual(before);
  });

  it('rebalance: erasing a leaf down to too few entries merges it with a neighbour, and height collapses', () => {
    const { t, m } = seqTree(300);
    const h = t.height;
    for (let i = 0; i < 300; i++) {
      const type = planStore(t, i * 10, i * 10 + 5, undefined).type;
      expect(['exact_fit', 'node_store', 'slot_store', 'rebalance', 'spanning_store', 'new_root']).toContain(type);
      storeAs(t, m, i * 10, i * 10 + 5, undefined, type);
    }
    expect(h).toBeGreaterThan(1);
    expect(t.isEmpty).toBe(true);
  });

  it('a store over everything replaces the tree with one leaf (mas_new_root, reached as a spanning store)', () => {
    const { t, m } = seqTree(100);
    storeAs(t, m, 0, MAX_INDEX, 'all', 'spanning_store');
    expect(t.height).toBe(1);
    expect(t.allocator.live).toBe(1);
    // In a single leaf, NULL over the only entry grows to [0, MAX] with its NULL neighbours: new_root.
    const one = new MapleTree();
    const om = new RangeModel();
    storeAs(one, om, 0, 5, 'a', 'store_root');
    storeAs(one, om, 0, 5, undefined, 'new_root');
    expect(one.isEmpty).toBe(true);
  });

  it('every type but invalid is reached by a random workload', () => {
    const seen = new Set<StoreType>();
    const t = new MapleTree();
    let s = 7;
    const rnd = (n: number): number => (s = (s * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 20000; i++) {
      const a = rnd(5000);
      const b = a + rnd(i % 10 === 0 ? 400 : 6);
      const e = rnd(4) === 0 ? undefined : i;
      seen.add(planStore(t, a, b, e).type);
      t.storeRange(a, b, e);
    }
    t.validate();
    for (const type of ['exact_fit', 'append', 'slot_store', 'node_store', 'split_store', 'rebalance', 'spanning_store'] as const) {
      expect(seen, type).toContain(type);
    }
  });
});
