/**
 * Cursor navigation on multi-level trees, against the reference model: walk, find, find_rev,
 * next/prev (and their _range forms) visit exactly the model's ranges in order, across leaves and
 * up to the tree's edges; cursors survive writes (RCU dead nodes, writeSeq outside RCU).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INDEX } from '../../src/tree/constants.js';
import { ZERO_ENTRY } from '../../src/tree/entry.js';
import {
  masFind, masFindRange, masFindRangeRev, masFindRev, masNext, masNextRange, masPrev, masPrevRange, masSet,
  masWalk,
} from '../../src/tree/navigate.js';
import { Mas } from '../../src/tree/mas.js';
import { MapleTree } from '../../src/tree/tree.js';
import { RangeModel, type ModelRange } from './reference-model.js';

type Build = { a: number; len: number; v: number; kind: 'store' | 'null' | 'zero' };

function buildArb(span: number): fc.Arbitrary<Build[]> {
  const one = fc.record({
    a: fc.integer({ min: 0, max: span }),
    len: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: span >> 3 })),
    v: fc.nat(),
    kind: fc.constantFrom<Build['kind']>('store', 'store', 'store', 'store', 'null', 'zero'),
  });
  return fc.array(one, { minLength: 0, maxLength: 400 });
}

function build(ops: Build[], base: number, allocRange: boolean): { tree: MapleTree; model: RangeModel } {
  const tree = new MapleTree({ allocRange });
  const model = new RangeModel();
  for (const op of ops) {
    const a = Math.min(base + op.a, MAX_INDEX);
    const b = Math.min(a + op.len, MAX_INDEX);
    const entry = op.kind === 'store' ? op.v + 1 : op.kind === 'zero' ? ZERO_ENTRY : undefined;
    tree.storeRange(a, b, entry);
    model.storeRange(a, b, entry);
  }
  return { tree, model };
}

/** Every range of the model, empty ones synthesised, in order. */
function allRanges(model: RangeModel): ModelRange[] {
  const out: ModelRange[] = [];
  let i = 0;
  for (;;) {
    const r = model.rangeAt(i);
    out.push(r);
    if (r.last >= MAX_INDEX) return out;
    i = r.last + 1;
  }
}

const bases = [0, MAX_INDEX - 5000];

describe('navigation against the reference model', () => {
  for (const base of bases) {
    for (const allocRange of [false, true]) {
      it(`walk/next/prev/find visit the model's ranges (base ${base}, allocRange ${allocRange})`, () => {
        fc.assert(
          fc.property(buildArb(4000), fc.array(fc.integer({ min: 0, max: 4200 }), { minLength: 1, maxLength: 6 }), (ops, probes) => {
            const { tree, model } = build(ops, base, allocRange);
            const ranges = allRanges(model);
            const full = ranges.filter((r) => r.entry !== undefined);
            for (const p of probes) {
              const at = Math.min(base + p, MAX_INDEX);
              const here = model.rangeAt(at);
              const mas = new Mas(tree, at);
              const entry = masWalk(mas);
              expect(entry).toBe(here.entry);
              if (tree.root !== null) expect([mas.index, mas.last]).toEqual([here.index, here.last]);

              // find: the first non-empty range ending at or after `at`.
              const firstAfter = full.find((r) => r.last >= at);
              masSet(mas, at);
              const f = masFind(mas, MAX_INDEX);
              expect(f).toBe(firstAfter?.entry);
              if (firstAfter !== undefined) expect([mas.index, mas.last]).toEqual([firstAfter.index, firstAfter.last]);

              // next from here to the end, then prev back down to the start.
              masSet(mas, at);
              const fwd: [number, number, unknown][] = [];
              for (let e = masNext(mas, MAX_INDEX); e !== undefined; e = masNext(mas, MAX_INDEX)) fwd.push([mas.index, mas.last, e]);
              const wantFwd = full.filter((r) => r.index > here.last).map((r) => [r.index, r.last, r.entry]);
              expect(fwd).toEqual(wantFwd);
              masSet(mas, at);
              const back: [number, number, unknown][] = [];
              for (let e = masPrev(mas, 0); e !== undefined; e = masPrev(mas, 0)) back.push([mas.index, mas.last, e]);
              if (tree.root !== null) {
                const wantBack = full.filter((r) => r.last < here.index).reverse().map((r) => [r.index, r.last, r.entry]);
                expect(back).toEqual(wantBack);
              }

              // find_rev: the last non-empty range starting at or before `at`.
              if (tree.root !== null) {
                const lastBefore = [...full].reverse().find((r) => r.index <= at);
                masSet(mas, at);
                expect(masFindRev(mas, 0)).toBe(lastBefore?.entry);
                if (lastBefore !== undefined) expect([mas.index, mas.last]).toEqual([lastBefore.index, lastBefore.last]);
              }

              // next_range / prev_range step over every range, empty ones included.
              if (tree.root !== null) {
                const k = ranges.findIndex((r) => r.index === here.index);
                masSet(mas, at);
                masWalk(mas);
                for (let j = k + 1; j < Math.min(ranges.length, k + 40); j++) {
                  expect(masNextRange(mas, MAX_INDEX)).toBe(ranges[j]!.entry);
                  expect([mas.index, mas.last]).toEqual([ranges[j]!.index, ranges[j]!.last]);
                }
                masSet(mas, at);
                masWalk(mas);
                for (let j = k - 1; j >= Math.max(0, k - 40); j--) {
                  expect(masPrevRange(mas, 0)).toBe(ranges[j]!.entry);
                  expect([mas.index, mas.last]).toEqual([ranges[j]!.index, ranges[j]!.last]);
                }
                // The _range finds stop on the range at `at` when it holds an entry, else on its
                // neighbour (an empty walk result moves on, as in mas_find_setup).
                const fr = here.entry !== undefined ? here : ranges[k + 1];
                masSet(mas, at);
                expect(masFindRange(mas, MAX_INDEX)).toBe(fr?.entry);
                if (fr !== undefined) expect([mas.index, mas.last]).toEqual([fr.index, fr.last]);
                const frr = here.entry !== undefined ? here : ranges[k - 1];
                masSet(mas, at);
                expect(masFindRangeRev(mas, 0)).toBe(frr?.entry);
                if (frr !== undefined) expect([mas.index, mas.last]).toEqual([frr.index, frr.last]);
              }
            }
          }),
          { numRuns: 60, seed: 0x5eed + base % 1000 + (allocRange ? 1 : 0) },
        );
      });
    }
  }

  it('a tree of height >= 3 is walked leaf to leaf in both directions', () => {
    const tree = new MapleTree();
    for (let i = 0; i < 3000; i++) tree.storeRange(i * 10, i * 10 + 4, i + 1);
    expect(tree.height).toBeGreaterThanOrEqual(3);
    const mas = new Mas(tree, 0);
    let n = 0;
    for (let e = masFind(mas, MAX_INDEX); e !== undefined; e = masFind(mas, MAX_INDEX)) {
      expect(e).toBe(n + 1);
      expect([mas.index, mas.last]).toEqual([n * 10, n * 10 + 4]);
      n++;
    }
    expect(n).toBe(3000);
    masSet(mas, MAX_INDEX);
    for (let e = masFindRev(mas, 0); e !== undefined; e = masFindRev(mas, 0)) {
      n--;
      expect(e).toBe(n + 1);
      expect([mas.index, mas.last]).toEqual([n * 10, n * 10 + 4]);
    }
    expect(n).toBe(0);
  });

  it('ZERO_ENTRY is returned by the advanced API', () => {
    const tree = new MapleTree();
    tree.storeRange(5, 9, ZERO_ENTRY);
    tree.storeRange(20, 29, 'x');
    const mas = new Mas(tree, 0);
    expect(masFind(mas, MAX_INDEX)).toBe(ZERO_ENTRY);
    expect([mas.index, mas.last]).toEqual([5, 9]);
    expect(masNext(mas, MAX_INDEX)).toBe('x');
    expect(masPrev(mas, 0)).toBe(ZERO_ENTRY);
  });

  it('an empty tree: every call is NULL', () => {
    const tree = new MapleTree();
    const mas = new Mas(tree, 5);
    expect(masWalk(mas)).toBeUndefined();
    expect([mas.index, mas.last, mas.status]).toEqual([0, MAX_INDEX, 'none']);
    masSet(mas, 5);
    expect(masFind(mas, MAX_INDEX)).toBeUndefined();
    masSet(mas, 5);
    expect(masNext(mas, MAX_INDEX)).toBeUndefined();
    masSet(mas, 5);
    expect(masPrev(mas, 0)).toBeUndefined();
    masSet(mas, 5);
    expect(masFindRev(mas, 0)).toBeUndefined();
  });
});

describe('cursors across writes', () => {
  for (const rcu of [false, true]) {
    it(`next after a write sees the current contents (rcu ${rcu})`, () => {
      const tree = new MapleTree({ rcu });
      // An RCU reader keeping its cursor across writes holds rcu_read_lock, as the kernel requires.
      if (rcu) tree.rcuReadLock();
      for (let i = 0; i < 500; i++) tree.storeRange(i * 10, i * 10 + 4, i + 1);
      const mas = new Mas(tree, 0);
      expect(masFind(mas, MAX_INDEX)).toBe(1);
      let seen = 1;
      for (let step = 0; step < 300; step++) {
        // Rewrite the range ahead of the cursor and drop one further on.
        const ahead = mas.last + 1;
        tree.storeRange(ahead, ahead + 3, `new${step}`);
        tree.storeRange(ahead + 10, ahead + 14, undefined);
        const e = masNext(mas, MAX_INDEX);
        expect(e).toBe(`new${step}`);
        expect([mas.index, mas.last]).toEqual([ahead, ahead + 3]);
        seen++;
      }
      expect(seen).toBe(301);
    });

    it(`prev after a write sees the current contents (rcu ${rcu})`, () => {
      const tree = new MapleTree({ rcu });
      // An RCU reader keeping its cursor across writes holds rcu_read_lock, as the kernel requires.
      if (rcu) tree.rcuReadLock();
      for (let i = 0; i < 500; i++) tree.storeRange(i * 10, i * 10 + 4, i + 1);
      const mas = new Mas(tree, MAX_INDEX);
      expect(masFindRev(mas, 0)).toBe(500);
      for (let step = 0; step < 200; step++) {
        const behind = mas.index - 3;
        tree.storeRange(behind, behind + 2, `old${step}`);
        expect(masPrev(mas, 0)).toBe(`old${step}`);
        expect([mas.index, mas.last]).toEqual([behind, behind + 2]);
      }
    });
  }

  for (const rcu of [false, true]) {
    it(`walk and find on a cursor whose leaf was replaced see the new value (check_rcu_simulated, rcu ${rcu})`, () => {
      const tree = new MapleTree({ rcu });
      // An RCU reader keeping its cursor across writes holds rcu_read_lock, as the kernel requires.
      if (rcu) tree.rcuReadLock();
      for (let i = 0; i < 300; i++) tree.storeRange(i * 10, i * 10 + 5, i + 1);
      const mas = new Mas(tree, 1500);
      expect(masWalk(mas)).toBe(151);
      const leaf = mas.node;
      // Not an exact fit (which the kernel writes in place even in RCU mode): a node store, which
      // in RCU mode replaces the leaf.
      tree.storeRange(1500, 1503, 'replaced');
      if (rcu) expect(leaf!.dead).toBe(true);
      expect(masWalk(mas)).toBe('replaced');
      expect([mas.index, mas.last]).toEqual([1500, 1503]);
      tree.storeRange(1510, 1515, 'ahead');
      expect(masFind(mas, MAX_INDEX)).toBe(151);
      expect([mas.index, mas.last]).toEqual([1504, 1505]);
      expect(masFind(mas, MAX_INDEX)).toBe('ahead');
      expect([mas.index, mas.last]).toEqual([1510, 1515]);
      tree.storeRange(1500, 1505, 'behind');
      expect(masFindRev(mas, 0)).toBe('behind');
      expect([mas.index, mas.last]).toEqual([1500, 1505]);
    });
  }
});
