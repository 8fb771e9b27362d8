/**
 * The differential tests' shared parts: random operations on the tree and on the reference model
 * side by side, and the bulk run (used by property.test.ts and by the soak in test/soak/).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { MapleError, MapleTree, MAX_INDEX, ZERO_ENTRY } from '../../src/index.js';
import { RangeModel } from './reference-model.js';

export type Op =
  | { k: 'store'; a: number; b: number; v: number }
  | { k: 'null'; a: number; b: number }
  | { k: 'insert'; a: number; b: number; v: number }
  | { k: 'erase'; a: number }
  | { k: 'zero'; a: number; b: number }
  | { k: 'alloc'; size: number; lo: number; hi: number; rev: boolean; v: number };

export function opArb(span: number, base: number): fc.Arbitrary<Op> {
  const idx = fc.integer({ min: 0, max: span }).map((x) => base + x);
  const len = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: Math.max(1, span >> 2) }));
  const range = fc.tuple(idx, len).map(([a, l]) => [a, Math.min(a + l, MAX_INDEX)] as const);
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(range, fc.nat()).map(([[a, b], v]) => ({ k: 'store' as const, a, b, v: v + 1 })) },
    { weight: 2, arbitrary: range.map(([a, b]) => ({ k: 'null' as const, a, b })) },
    { weight: 2, arbitrary: fc.tuple(range, fc.nat()).map(([[a, b], v]) => ({ k: 'insert' as const, a, b, v: v + 1 })) },
    { weight: 3, arbitrary: idx.map((a) => ({ k: 'erase' as const, a })) },
    { weight: 1, arbitrary: range.map(([a, b]) => ({ k: 'zero' as const, a, b })) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.integer({ min: 1, max: 20 }), range, fc.boolean(), fc.nat())
        .map(([size, [lo, hi], rev, v]) => ({ k: 'alloc' as const, size, lo, hi: Math.min(hi + size * 4, MAX_INDEX), rev, v: v + 1 })),
    },
  );
}

export function apply(tree: MapleTree, model: RangeModel, op: Op): void {
  switch (op.k) {
    case 'store':
      tree.storeRange(op.a, op.b, op.v);
      model.storeRange(op.a, op.b, op.v);
      break;
    case 'null':
      tree.storeRange(op.a, op.b, undefined);
      model.storeRange(op.a, op.b, undefined);
      break;
    case 'zero':
      tree.storeRange(op.a, op.b, ZERO_ENTRY);
      model.storeRange(op.a, op.b, ZERO_ENTRY);
      break;
    case 'insert': {
      const free = model.isFree(op.a, op.b);
      if (free) {
        tree.insertRange(op.a, op.b, op.v);
        model.storeRange(op.a, op.b, op.v);
      } else {
        expect(() => tree.insertRange(op.a, op.b, op.v)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
      }
      break;
    }
    case 'erase': {
      // expect() only when they differ (toBe's verdict, Object.is): the bulk run erases 19,000 times.
      const got = tree.erase(op.a);
      const want = model.erase(op.a);
      if (!Object.is(got, want)) expect(got).toBe(want);
      break;
    }
    case 'alloc': {
      const want = model.gap(op.lo, op.hi, op.size, op.rev);
      if (!tree.isAlloc) break;
      if (op.hi - op.lo < op.size - 1) {
        expect(() => tree.allocRange(op.size, op.v, op.lo, op.hi)).toThrow(MapleError);
        break;
      }
      if (want < 0) {
        expect(() => (op.rev ? tree.allocRRange : tree.allocRange).call(tree, op.size, op.v, op.lo, op.hi))
          .toThrow(expect.objectContaining({ code: 'EBUSY' }));
      } else {
        const got = (op.rev ? tree.allocRRange : tree.allocRange).call(tree, op.size, op.v, op.lo, op.hi);
        expect(got).toBe(want);
        model.storeRange(want, want + op.size - 1, op.v);
      }
      break;
    }
  }
}

/**
 * The tree holds exactly the model's visible ranges. A plain loop decides; toEqual runs only when
 * they differ, for its diff (its verdict is the loop's: the entries are numbers or identical objects).
 * toEqual over 10,000 ranges was most of the bulk run's time.
 */
export function expectModelEntries(tree: MapleTree, model: RangeModel): void {
  const got = [...tree.entries()];
  const want = model.visible();
  const same = got.length === want.length && got.every(([index, last, entry], i) => {
    const w = want[i]!;
    return index === w[0] && last === w[1] && entry === w[2];
  });
  if (!same) expect(got).toEqual(want);
}

/** A seeded LCG so the bulk run is reproducible by seed number. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/**
 * 64,000 random stores, NULL stores and erases for one seed (every erase's result checked against
 * the model); validate() every `every.validate` operations, every entry compared with the model every
 * `every.compare`, and both at the end. Every fourth seed works just below MAX_INDEX instead of near 0.
 */
export function bulkRun(seed: number, every: { readonly validate: number; readonly compare: number }): void {
  const rnd = lcg(seed);
  const tree = new MapleTree({ allocRange: seed % 2 === 0, rcu: seed % 3 === 0 });
  const model = new RangeModel();
  const span = [400, 4000, 40000][seed % 3]!;
  const base = seed % 4 === 0 ? MAX_INDEX - span - 100 : 0;
  for (let i = 0; i < 64_000; i++) {
    const a = base + Math.floor(rnd() * span);
    const b = a + Math.floor(rnd() * (rnd() < 0.85 ? 6 : 80));
    const r = rnd();
    if (r < 0.55) apply(tree, model, { k: 'store', a, b, v: i + 1 });
    else if (r < 0.7) apply(tree, model, { k: 'null', a, b });
    else apply(tree, model, { k: 'erase', a });
    if (i % every.validate === 0) tree.validate();
    if (i % every.compare === 0) expectModelEntries(tree, model);
  }
  tree.validate();
  expectModelEntries(tree, model);
}
