/**
 * Cursors that keep going while the tree changes under them without a pause: emptied, left with
 * only the [0, 0] root-pointer entry, or destroyed. Outside RCU mode a cursor that notices a write
 * walks again from where it stood, so each step must return what the reference model says follows
 * (or precedes) the last range it returned.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX, type MaState } from '../../src/index.js';
import { RangeModel } from './reference-model.js';

type Change =
  | { k: 'none' }
  | { k: 'store'; a: number; b: number; v: number }
  | { k: 'erase'; a: number }
  | { k: 'empty' }
  | { k: 'rootOnly'; v: number }
  | { k: 'destroy' };

const SPAN = 3000;
const changeArb: fc.Arbitrary<Change> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ k: 'none' as const }) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: SPAN }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 1e6 }))
      .map(([a, l, v]) => ({ k: 'store' as const, a, b: a + l, v })),
  },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: SPAN }).map((a) => ({ k: 'erase' as const, a })) },
  { weight: 1, arbitrary: fc.constant({ k: 'empty' as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 1e6 }).map((v) => ({ k: 'rootOnly' as const, v })) },
  { weight: 1, arbitrary: fc.constant({ k: 'destroy' as const }) },
);

function change(tree: MapleTree<number>, model: RangeModel, c: Change): void {
  switch (c.k) {
    case 'none':
      return;
    case 'store':
      tree.storeRange(c.a, c.b, c.v);
      model.storeRange(c.a, c.b, c.v);
      return;
    case 'erase':
      tree.erase(c.a);
      model.erase(c.a);
      return;
    case 'empty':
      // Every range erased one by one, so the tree shrinks through every height to nothing.
      for (const [a] of [...tree.entries()]) tree.erase(a);
      model.ranges = [];
      return;
    case 'rootOnly':
      tree.storeRange(0, MAX_INDEX, undefined);
      tree.store(0, c.v);
      model.ranges = [{ index: 0, last: 0, entry: c.v }];
      return;
    case 'destroy':
      tree.destroy();
      model.ranges = [];
      return;
  }
}

function build(n: number, rcu: boolean): { tree: MapleTree<number>; model: RangeModel } {
  const tree = new MapleTree<number>({ rcu });
  const model = new RangeModel();
  for (let i = 0; i < n; i++) {
    tree.storeRange(i * 10, i * 10 + 5, i + 1);
    model.storeRange(i * 10, i * 10 + 5, i + 1);
  }
  return { tree, model };
}

/** The model's first range starting after `after` (forward) or ending before `before` (backward). */
function following(model: RangeModel, after: number): [number, number, unknown] | undefined {
  return model.visible().find(([a]) => a > after);
}

function preceding(model: RangeModel, before: number): [number, number, unknown] | undefined {
  return model.visible().filter(([, b]) => b < before).pop();
}

describe('an unpaused cursor while the tree changes under it', () => {
  for (const op of ['find', 'next'] as const) {
    it(`${op} loop: each step returns the model's next range after the last one (no RCU)`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 300 }), fc.array(changeArb, { minLength: 1, maxLength: 40 }), (n, changes) => {
          const { tree, model } = build(n, false);
          const mas: MaState = tree.state(0);
          let last = -1;
          for (const c of changes) {
            const e = op === 'find' ? mas.find(MAX_INDEX) : mas.next(MAX_INDEX);
            if (e === undefined) break;
            // The first call of `next` from the start skips the range holding index 0.
            const want = last < 0 && op === 'find' ? model.visible()[0] : following(model, Math.max(last, 0));
            if (!(last < 0 && op === 'next')) expect([mas.index, mas.last, e]).toEqual(want);
            last = mas.last;
            change(tree, model, c);
          }
          tree.validate();
        }),
        { numRuns: 150 },
      );
    });
  }

  for (const op of ['findRev', 'prev'] as const) {
    it(`${op} loop: each step returns the model's previous range before the last one (no RCU)`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 300 }), fc.array(changeArb, { minLength: 1, maxLength: 40 }), (n, changes) => {
          const { tree, model } = build(n, false);
          const mas: MaState = tree.state(MAX_INDEX);
          let first = -1;
          for (const c of changes) {
            const e = op === 'findRev' ? mas.findRev(0) : mas.prev(0);
            if (e === undefined) break;
            if (first >= 0) expect([mas.index, mas.last, e]).toEqual(preceding(model, first));
            first = mas.index;
            change(tree, model, c);
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  for (const rcu of [false, true]) {
    it(`every cursor call survives an emptied, root-only or destroyed tree (rcu ${rcu})`, () => {
      const calls = ['find', 'findRange', 'findRev', 'findRangeRev', 'next', 'nextRange', 'prev', 'prevRange', 'walk'] as const;
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 300 }),
          fc.array(fc.tuple(fc.constantFrom(...calls), changeArb), { minLength: 1, maxLength: 40 }),
          fc.integer({ min: 0, max: SPAN }),
          (n, steps, start) => {
            const { tree } = build(n, rcu);
            const model = new RangeModel();
            for (const [a, b, v] of tree.entries()) model.storeRange(a, b, v);
            const mas = tree.state(start);
            for (const [call, c] of steps) {
              const e = call === 'walk' ? mas.walk() : call.endsWith('Rev') || call.startsWith('prev') ? mas[call](0) : mas[call](MAX_INDEX);
              // Whatever came back is in the tree's current contents at the range the cursor reports.
              if (e !== undefined) expect(model.rangeAt(mas.index).entry).toBe(e);
              expect(mas.index).toBeLessThanOrEqual(mas.last);
              change(tree, model, c);
            }
            tree.validate();
          },
        ),
        { numRuns: 200 },
      );
    });
  }

  it('regression: find after the tree was emptied mid-loop returns undefined instead of throwing', () => {
    for (const rcu of [false, true]) {
      const { tree } = build(100, rcu);
      const mas = tree.state(0);
      expect(mas.find(MAX_INDEX)).toBe(1);
      for (let i = 0; i < 100; i++) tree.storeRange(i * 10, i * 10 + 5, undefined);
      expect(mas.find(MAX_INDEX)).toBeUndefined();
      expect(mas.status).toBe('none');
      expect(mas.find(MAX_INDEX)).toBeUndefined();
      tree.store(5, 50);
      mas.set(0);
      expect(mas.find(MAX_INDEX)).toBe(50);
    }
  });

  it('regression: findRev after the tree was emptied mid-loop returns undefined instead of throwing', () => {
    for (const rcu of [false, true]) {
      const { tree } = build(100, rcu);
      const mas = tree.state(MAX_INDEX);
      expect(mas.findRev(0)).toBe(100);
      for (let i = 0; i < 100; i++) tree.storeRange(i * 10, i * 10 + 5, undefined);
      expect(mas.findRev(0)).toBeUndefined();
      expect(mas.findRev(0)).toBeUndefined();
    }
  });

  it('regression: a cursor on a tree left with only [0, 0] finds that entry backward, nothing forward', () => {
    for (const rcu of [false, true]) {
      const { tree } = build(100, rcu);
      const back = tree.state(MAX_INDEX);
      const fwd = tree.state(0);
      expect(back.findRev(0)).toBe(100);
      expect(fwd.find(MAX_INDEX)).toBe(1);
      tree.storeRange(0, MAX_INDEX, undefined);
      tree.store(0, 7);
      expect(back.findRev(0)).toBe(7);
      expect([back.index, back.last]).toEqual([0, 0]);
      expect(fwd.find(MAX_INDEX)).toBeUndefined();
    }
  });

  it('regression: a cursor used after destroy() finds nothing and the tree can be refilled', () => {
    for (const rcu of [false, true]) {
      const { tree } = build(300, rcu);
      const mas = tree.state(0);
      expect(mas.next(MAX_INDEX)).toBe(2);
      tree.destroy();
      for (const call of ['next', 'find', 'nextRange'] as const) expect(mas[call](MAX_INDEX)).toBeUndefined();
      for (const call of ['prev', 'findRev', 'prevRange'] as const) expect(mas[call](0)).toBeUndefined();
      expect(mas.walk()).toBeUndefined();
      mas.setRange(10, 20);
      mas.storeGfp(3, 'kernel');
      expect(tree.load(15)).toBe(3);
      tree.validate();
    }
  });
});

describe('prev and findRev with a min above a lone [0, 0] entry', () => {
  /** The same contents, [0, 0] holding 'a', as the root pointer or in a one-leaf tree. */
  function shapes(): { shape: string; t: MapleTree<string> }[] {
    const root = new MapleTree<string>();
    root.store(0, 'a');
    const leaf = new MapleTree<string>();
    leaf.store(0, 'a');
    leaf.store(9, 'b');
    leaf.erase(9);
    expect([root.root === null, leaf.height]).toEqual([true, 1]);
    return [{ shape: 'root pointer', t: root }, { shape: 'leaf', t: leaf }];
  }

  it('MaState keeps the kernel quirk: the root pointer is returned whatever min is, the leaf honours min', () => {
    for (const { shape, t } of shapes()) {
      for (const call of ['prev', 'findRev', 'prevRange', 'findRangeRev'] as const) {
        const mas = t.state(5);
        const e = mas[call](3);
        if (shape === 'root pointer') {
          expect([e, mas.index, mas.last]).toEqual(['a', 0, 0]);
        } else {
          expect(e).toBeUndefined();
        }
        // With min 0 both shapes find the entry.
        expect(t.state(5)[call](0)).toBe('a');
      }
    }
  });

  it('tree.prev honours min in both shapes (its documented contract)', () => {
    for (const { t } of shapes()) {
      expect(t.prev(5, 3)).toBeUndefined();
      expect(t.prev(5, 1)).toBeUndefined();
      expect(t.prev(5, 0)).toEqual({ index: 0, last: 0, entry: 'a' });
    }
  });
});
