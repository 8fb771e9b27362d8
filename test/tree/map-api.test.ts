/**
 * What users of a range map expect: has, clear, keys, values, reverse iteration, MapleTree.from and
 * size, against the reference model; iteration in both directions while the tree changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX, ZERO_ENTRY } from '../../src/index.js';
import { RangeModel } from './reference-model.js';

type Op = { a: number; b: number; v: number | undefined | 'zero' };

const SPAN = 5000;
const opArb: fc.Arbitrary<Op> = fc.tuple(
  fc.integer({ min: 0, max: SPAN }),
  fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })),
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 1e6 }) },
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant('zero' as const) },
  ),
).map(([a, l, v]) => ({ a, b: a + l, v }));

function apply(t: MapleTree<number>, m: RangeModel, op: Op): void {
  const v = op.v === 'zero' ? ZERO_ENTRY : op.v;
  t.storeRange(op.a, op.b, v as number | undefined);
  m.storeRange(op.a, op.b, v);
}

const configs = [{}, { allocRange: true }, { rcu: true }];

describe('range-map conveniences against the model', () => {
  for (const options of configs) {
    it(`entries, entriesReverse, keys, values, size, has and from (${JSON.stringify(options)})`, () => {
      fc.assert(
        fc.property(
          fc.array(opArb, { minLength: 0, maxLength: 300 }),
          fc.integer({ min: 0, max: SPAN + 50 }),
          fc.integer({ min: 0, max: SPAN + 50 }),
          (ops, x, y) => {
            const t = new MapleTree<number>(options);
            const m = new RangeModel();
            for (const op of ops) apply(t, m, op);
            const [min, max] = x <= y ? [x, y] : [y, x];
            const want = m.visible(min, max);
            expect([...t.entries(min, max)]).toEqual(want);
            expect([...t.entriesReverse(min, max)]).toEqual([...want].reverse());
            expect([...t.keys(min, max)]).toEqual(want.map(([a, b]) => [a, b]));
            expect([...t.values(min, max)]).toEqual(want.map(([, , v]) => v));
            expect(t.size).toBe(m.visible().length);
            expect(t.has(x)).toBe(m.load(x) !== undefined);
            const copy = MapleTree.from(t, options);
            expect([...copy.entries()]).toEqual(m.visible());
            copy.validate();
            t.clear();
            expect([t.size, t.isEmpty, t.allocator.live]).toEqual([0, true, 0]);
            expect([...t.entries()]).toEqual([]);
          },
        ),
        { numRuns: 120 },
      );
    });
  }

  it('the root-pointer tree: [0, 0] alone is one range in every view, and reverse keeps min', () => {
    const t = new MapleTree<string>();
    t.store(0, 'a');
    expect(t.root).toBeNull();
    expect([...t.entries()]).toEqual([[0, 0, 'a']]);
    expect([...t.entriesReverse()]).toEqual([[0, 0, 'a']]);
    expect([...t.entriesReverse(1)]).toEqual([]);
    expect([t.size, t.has(0), t.has(1)]).toEqual([1, true, false]);
    t.store(0, ZERO_ENTRY as never);
    expect([t.size, t.has(0), [...t.entries()]]).toEqual([0, false, []]);
  });

  it('ranges near MAX_INDEX end the iteration without wrapping', () => {
    const t = new MapleTree<number>();
    t.storeRange(MAX_INDEX - 5, MAX_INDEX, 1);
    t.storeRange(0, 3, 2);
    expect([...t.entries(MAX_INDEX - 1)]).toEqual([[MAX_INDEX - 5, MAX_INDEX, 1]]);
    expect([...t.entriesReverse(0, 2)]).toEqual([[0, 3, 2]]);
    expect([...t.entriesReverse()]).toEqual([[MAX_INDEX - 5, MAX_INDEX, 1], [0, 3, 2]]);
  });

  it('from refuses what is not an iterable of triples, naming the item', () => {
    expect(() => MapleTree.from(5 as never)).toThrow(/items must be an iterable/);
    expect(() => MapleTree.from([[1, 2, 3], [4, 5]] as never)).toThrow(/items\[1\] must be a \[first, last, entry\] triple/);
    expect(() => MapleTree.from([[5, 1, 3]])).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(MapleTree.from([[0, 9, 'x'], [5, 5, 'y']]).load(5)).toBe('y');
  });
});

describe('iteration while the tree changes', () => {
  const changes = fc.array(fc.tuple(fc.option(opArb, { nil: undefined }), fc.boolean()), { minLength: 1, maxLength: 60 });

  for (const options of configs) {
    it(`entries: each step is the model's first range reaching past the last one returned (${JSON.stringify(options)})`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 200 }), changes, (ops, steps) => {
          const t = new MapleTree<number>(options);
          const m = new RangeModel();
          for (const op of ops) apply(t, m, op);
          let after = -1;
          let i = 0;
          for (const [a, b, v] of t.entries()) {
            // The first range intersecting [after + 1, MAX_INDEX] in the current contents.
            expect([a, b, v]).toEqual(m.visible(after + 1)[0]);
            after = b;
            const [op] = steps[i++ % steps.length]!;
            if (op !== undefined) apply(t, m, op);
          }
          expect(m.visible(after + 1)).toEqual([]);
        }),
        { numRuns: 100 },
      );
    });

    it(`entriesReverse: each step is the model's last range before the last one returned (${JSON.stringify(options)})`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 200 }), changes, (ops, steps) => {
          const t = new MapleTree<number>(options);
          const m = new RangeModel();
          for (const op of ops) apply(t, m, op);
          let before = MAX_INDEX + 1;
          let i = 0;
          for (const [a, b, v] of t.entriesReverse()) {
            expect([a, b, v]).toEqual(m.visible(0, before - 1).pop());
            before = a;
            const [op] = steps[i++ % steps.length]!;
            if (op !== undefined) apply(t, m, op);
          }
          expect(before === 0 ? [] : m.visible(0, before - 1)).toEqual([]);
        }),
        { numRuns: 100 },
      );
    });
  }
});
