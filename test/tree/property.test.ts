/**
 * Differential tests: the tree against the reference model, on random operation mixes (validate()
 * after every operation in the fast-check runs, every 64th in the bulk run).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX } from '../../src/index.js';
import { apply, bulkRun, expectModelEntries, opArb } from './differential.js';
import { RangeModel } from './reference-model.js';

function compare(tree: MapleTree, model: RangeModel, probe: number): void {
  tree.validate();
  expectModelEntries(tree, model);
  expect(tree.load(probe)).toBe(model.load(probe));
  const f = tree.find(probe);
  const want = model.visible(probe)[0];
  expect(f ? [f.index, f.last, f.entry] : undefined).toEqual(want);
}

const configs = [
  { name: 'plain', options: {} },
  { name: 'allocation tree', options: { allocRange: true } },
  { name: 'RCU allocation tree', options: { allocRange: true, rcu: true } },
];
const spaces = [
  { name: 'small keys', span: 300, base: 0 },
  { name: 'wide keys', span: 100_000, base: 0 },
  { name: 'keys near MAX_INDEX', span: 2000, base: MAX_INDEX - 2000 },
];

describe('MapleTree against the reference model', () => {
  for (const c of configs) {
    for (const s of spaces) {
      it(`${c.name}, ${s.name}`, () => {
        fc.assert(
          fc.property(fc.array(opArb(s.span, s.base), { minLength: 1, maxLength: 300 }), fc.integer({ min: 0, max: s.span }), (ops, p) => {
            const tree = new MapleTree(c.options);
            const model = new RangeModel();
            for (const op of ops) {
              apply(tree, model, op);
              compare(tree, model, s.base + p);
            }
            tree.destroy();
            expect(tree.allocator.live).toBe(0);
          }),
          { numRuns: 60 },
        );
      });
    }
  }
});

describe('bulk random operations', () => {
  // 16 seeds x 64,000 operations (over 10^6 in all); validate() every 64th operation, a full
  // comparison every 512th, both at the end. `npm run test:soak` runs the same seeds with validate()
  // after every operation and a full comparison every 64th.
  for (let seed = 1; seed <= 16; seed++) it(`seed ${seed}`, () => bulkRun(seed, { validate: 64, compare: 512 }));
});
