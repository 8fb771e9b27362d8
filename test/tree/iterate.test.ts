/**
 * The normal API's reads (mt_find, mt_find_after, mt_next, mt_prev) and the JS iterators against
 * the reference model, including iteration while the tree changes under the iterator.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INDEX } from '../../src/tree/constants.js';
import { ZERO_ENTRY } from '../../src/tree/entry.js';
import { MapleTree } from '../../src/tree/tree.js';
import { RangeModel } from './reference-model.js';

type Op = { a: number; len: number; kind: 'store' | 'null' | 'zero'; v: number };

const opArb = (span: number): fc.Arbitrary<Op> => fc.record({
  a: fc.integer({ min: 0, max: span }),
  len: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: span >> 3 })),
  kind: fc.constantFrom<Op['kind']>('store', 'store', 'store', 'null', 'zero'),
  v: fc.nat(),
});

function apply(tree: MapleTree, model: RangeModel, op: Op, base: number): void {
  const a = Math.min(base + op.a, MAX_INDEX);
  const b = Math.min(a + op.len, MAX_INDEX);
  const entry = op.kind === 'store' ? op.v + 1 : op.kind === 'zero' ? ZERO_ENTRY : undefined;
  tree.storeRange(a, b, entry);
  model.storeRange(a, b, entry);
}

describe('normal reads against the model', () => {
  for (const base of [0, MAX_INDEX - 3000]) {
    it(`find / findAfter / next / prev (base ${base})`, () => {
      fc.assert(
        fc.property(fc.array(opArb(2500), { maxLength: 300 }), fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 10 }), (ops, probes) => {
          const tree = new MapleTree();
          const model = new RangeModel();
          for (const op of ops) apply(tree, model, op, base);
          const all = model.ranges;
          for (const p of probes) {
            const at = Math.min(base + p, MAX_INDEX);
            const max = Math.min(at + 700, MAX_INDEX);
            const want = model.visible(at, max)[0];
            const got = tree.find(at, max);
            expect(got === undefined ? undefined : [got.index, got.last, got.entry]).toEqual(want);
            if (at > 0) expect(tree.findAfter(at, max)).toEqual(got);
            expect(tree.findAfter(0, max)).toBeUndefined();
            const here = model.rangeAt(at);
            const nx = all.find((r) => r.index > here.last);
            const gotNext = tree.next(at, MAX_INDEX);
            expect(gotNext === undefined ? undefined : [gotNext.index, gotNext.last, gotNext.entry])
              .toEqual(nx === undefined ? undefined : [nx.index, nx.last, nx.entry]);
            if (tree.root !== null) {
              const pv = [...all].reverse().find((r) => r.last < here.index);
              const gotPrev = tree.prev(at, 0);
              expect(gotPrev === undefined ? undefined : [gotPrev.index, gotPrev.last, gotPrev.entry])
                .toEqual(pv === undefined ? undefined : [pv.index, pv.last, pv.entry]);
            }
          }
          expect([...tree]).toEqual(model.visible());
          expect(tree.size).toBe(model.visible().length);
        }),
        { numRuns: 60, seed: 777 + (base === 0 ? 0 : 1) },
      );
    });
  }
});

describe('iteration while the tree changes', () => {
  for (const rcu of [false, true]) {
    it(`resumes after the last range returned and sees the current contents ahead (rcu ${rcu})`, () => {
      fc.assert(
        fc.property(
          fc.array(opArb(3000), { maxLength: 300 }),
          fc.array(fc.array(opArb(3000), { maxLength: 3 }), { maxLength: 200 }),
          (initial, perStep) => {
            const tree = new MapleTree({ rcu });
            const model = new RangeModel();
            for (const op of initial) apply(tree, model, op, 0);
            let cursor = 0;
            let step = 0;
            for (const [first, last, entry] of tree) {
              // What the model says lies at or after the cursor right now.
              const want = model.visible(cursor)[0];
              expect([first, last, entry]).toEqual(want);
              cursor = last + 1;
              for (const op of perStep[step++ % Math.max(1, perStep.length)] ?? []) apply(tree, model, op, 0);
            }
            expect(model.visible(cursor)).toEqual([]);
          },
        ),
        { numRuns: 80, seed: rcu ? 99 : 98 },
      );
    });
  }

  it('forEach visits every range once in order', () => {
    const tree = new MapleTree<number>();
    for (let i = 0; i < 1000; i++) tree.storeRange(i * 3, i * 3 + 1, i);
    const seen: number[] = [];
    tree.forEach((entry, first, last) => {
      expect([first, last]).toEqual([entry * 3, entry * 3 + 1]);
      seen.push(entry);
    });
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('forEach reports the ranges entries() does, at both ends of the index space and near 2^52 (property)', () => {
    // Bases at 0, near 2^52 and ending at MAX_INDEX, so the first and last slot of a leaf, a
    // one-slot leaf and bounds that are not small integers all occur.
    const bases = [0, 2 ** 52 - 5000, MAX_INDEX - 3000];
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.array(opArb(3000), { maxLength: 300 }), fc.boolean(), (base, ops, allocRange) => {
        const tree = new MapleTree<number>({ allocRange });
        for (const op of ops) {
          const first = Math.min(base + op.a, MAX_INDEX);
          const last = Math.min(first + op.len, MAX_INDEX);
          tree.storeRange(first, last, op.kind === 'store' ? op.v : undefined);
        }
        const seen: [number, number, number][] = [];
        tree.forEach((entry, first, last) => seen.push([first, last, entry]));
        expect(seen).toEqual([...tree.entries()]);
      }),
      { numRuns: 150, seed: 0xf0e },
    );
  });

  it('forEach that changes the tree carries on like entries(): nothing skipped or repeated, changes ahead seen', () => {
    for (const rcu of [false, true]) {
      const tree = new MapleTree<number>({ rcu });
      for (let i = 0; i < 500; i++) tree.storeRange(i * 10, i * 10 + 5, i);
      const seen: number[] = [];
      tree.forEach((entry, first) => {
        seen.push(entry);
        if (entry > 0 && entry % 7 === 0) tree.erase(first + 10); // the next range disappears
        if (entry > 0 && entry % 11 === 0) tree.storeRange(first + 6, first + 7, -entry); // a new range right after
      });
      const expected: number[] = [];
      const ref = new MapleTree<number>();
      for (let i = 0; i < 500; i++) ref.storeRange(i * 10, i * 10 + 5, i);
      for (let cursor = 0; ;) {
        const r = ref.find(cursor);
        if (r === undefined) break;
        expected.push(r.entry);
        if (r.entry > 0 && r.entry % 7 === 0) ref.erase(r.index + 10);
        if (r.entry > 0 && r.entry % 11 === 0) ref.storeRange(r.index + 6, r.index + 7, -r.entry);
        cursor = r.last + 1;
      }
      expect(seen).toEqual(expected);
      expect([...tree]).toEqual([...ref]);
    }
  });
});
