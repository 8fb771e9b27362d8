import { describe, expect, it } from 'vitest';
import {
  CLASSICS, createStrategy, deal, explore, lock, registerModel, replay, runSearch, step, unlock, type DecisionPoint, type ExecutionResult, type Model, type Strategy,
} from '../../src/explore/index.js';
import { reorder, twostage } from './classic-programs.js';

/** n tasks that each take one lock and step once inside it: n! orders, all free of preemptions. */
function convoy(n: number): Model {
  return {
    name: `convoy-${n}`, description: '', variants: ['v'],
    build: () => ({
      tasks: Array.from({ length: n }, (_, i) => ({
        name: `T${i}`, run: function* () {
          yield lock('l');
          yield step('inside');
          yield unlock('l');
        },
      })),
      stateKey: () => 'done',
    }),
  };
}

describe('strategy options', () => {
  it('refuses an unknown strategy, naming the known ones', () => {
    expect(() => explore({ model: 'lost-update', strategy: 'bogus' as never })).toThrow(/strategy must be one of dfs, dpor, delay, deviation, random, pct, got "bogus"/);
    expect(() => createStrategy({ strategy: 'portfolio' })).toThrow(RangeError);
  });

  it('refuses negative or fractional bounds, depths and budgets', () => {
    for (const bound of [-1, 1.5, Number.NaN, -Infinity]) expect(() => explore({ model: 'lost-update', bound })).toThrow(/bound must be/);
    for (const depth of [0, -2, 2.5]) expect(() => explore({ model: 'lost-update', strategy: 'pct', depth })).toThrow(/depth must be/);
    for (const executions of [0, -3, 0.5]) expect(() => explore({ model: 'lost-update', executions })).toThrow(/executions must be/);
    for (const timeMs of [0, -1, Number.NaN]) expect(() => explore({ model: 'lost-update', timeMs })).toThrow(/timeMs must be/);
    expect(() => explore({ model: 'lost-update', strategy: 'random', seed: 1.5 })).toThrow(/seed must be/);
  });
});

describe('delay bounding', () => {
  it('bound 0 is the one round-robin schedule, where preemption bound 0 runs every order of the convoy', () => {
    const model = convoy(4);
    const delay = explore({ model, strategy: 'delay', bound: 0 });
    const dfs = explore({ model, strategy: 'dfs', bound: 0 });
    expect(delay.outcome).toBe('verified');
    expect(delay.executions).toBe(1);
    expect(dfs.executions).toBe(24);
  });

  it('finds the lost update with one delay and verifies the locked counter', () => {
    expect(explore({ model: 'lost-update', variant: 'racy', strategy: 'delay', bound: 0 }).outcome).toBe('verified');
    const r = explore({ model: 'lost-update', variant: 'racy', strategy: 'delay', bound: 1 });
    expect(r.outcome).toBe('bug');
    expect(r.trace!.violation!.kind).toBe('final-check');
    expect(explore({ model: 'lost-update', variant: 'locked', strategy: 'delay', bound: 3 }).outcome).toBe('verified');
  });

  it('finds the bug of every built-in classic and verifies each fixed twin', () => {
    for (const model of CLASSICS) {
      const [bad, fixed] = model.variants;
      const fault = model.name === 'leak-on-error' ? { nth: 2, mode: 'once' as const } : null;
      const found = explore({ model, variant: bad!, strategy: 'delay', bound: 2, fault });
      expect(found.outcome, model.name).toBe('bug');
      expect(replay(found.trace!).violation?.kind, model.name).toBe(found.trace!.violation!.kind);
      expect(explore({ model, variant: fixed!, strategy: 'delay', bound: 2, fault }).outcome, model.name).toBe('verified');
    }
  });

  it('a checker created after N-1 setters needs N-1 delays (SCTBench reorder_N): round-robin runs every setter first', () => {
    // The checker must read between the first setter's two stores; each setter ahead of it in the
    // round-robin order is one skip. So reorder_10 needs 9 delays: beyond any budget, as in SCTBench.
    for (const n of [3, 4, 5]) {
      const model = reorder(n);
      expect(explore({ model, variant: 'bad', strategy: 'delay', bound: n - 2 }).outcome, `reorder_${n}`).toBe('verified');
      const r = explore({ model, variant: 'bad', strategy: 'delay', bound: n - 1 });
      expect(r.outcome, `reorder_${n}`).toBe('bug');
      expect(r.exhaustiveBound, `reorder_${n}`).toBe(n - 2);
    }
  });

  it('with enough delays reaches every order of the convoy', () => {
    // Each schedule of n tasks costs at most n(n-1)/2 delays.
    const r = explore({ model: convoy(3), strategy: 'delay', bound: Infinity });
    expect(r.outcome).toBe('verified');
    expect(r.exhaustiveBound).toBe(Infinity);
    expect(r.executions).toBe(6);
  });
});

describe('deviation bounding', () => {
  it('bound 0 is the one round-robin schedule; bound 1 adds one execution per other option of each decision', () => {
    const model = convoy(3);
    expect(explore({ model, strategy: 'deviation', bound: 0 }).executions).toBe(1);
    // Bound 0 (T0 T1 T2), then bound 1: those 4 of the 6 orders with at most one deviation —
    // T0 T1 T2, T1 or T2 first then round-robin (T1 T2 T0, T2 T0 T1), and T0 T2 T1.
    expect(explore({ model, strategy: 'deviation', bound: 1 }).executions).toBe(1 + 4);
    const all = explore({ model, strategy: 'deviation', bound: Infinity });
    expect(all.outcome).toBe('verified');
    expect(all.executions).toBe(6);
  });

  it('a checker created after N-1 setters needs one deviation, where delay bounding needs N-1 (SCTBench reorder_N, twostage_N)', () => {
    for (const model of [reorder(3), reorder(10), reorder(20), twostage(20)]) {
      registerModel(model);
      expect(explore({ model, variant: 'bad', strategy: 'deviation', bound: 0 }).outcome, model.name).toBe('verified');
      const r = explore({ model, variant: 'bad', strategy: 'deviation', bound: 1, executions: 100_000 });
      expect(r.outcome, model.name).toBe('bug');
      expect(r.exhaustiveBound, model.name).toBe(0);
      expect(replay(r.trace!).violation?.kind, model.name).toBe(r.trace!.violation!.kind);
      expect(explore({ model, variant: 'fixed', strategy: 'deviation', bound: 1, executions: 100_000 }).outcome, model.name).toBe('verified');
    }
  });

  it('finds the bug of every built-in classic and verifies each fixed twin', () => {
    for (const model of CLASSICS) {
      const [bad, fixed] = model.variants;
      const fault = model.name === 'leak-on-error' ? { nth: 2, mode: 'once' as const } : null;
      const found = explore({ model, variant: bad!, strategy: 'deviation', bound: 2, fault });
      expect(found.outcome, model.name).toBe('bug');
      expect(explore({ model, variant: fixed!, strategy: 'deviation', bound: 2, fault }).outcome, model.name).toBe('verified');
    }
  });
});

describe('unbounded search', () => {
  it('bound Infinity is one search that verifies when it is exhausted (dfs, dpor, delay, deviation)', () => {
    for (const strategy of ['dfs', 'dpor', 'delay', 'deviation'] as const) {
      const r = explore({ model: 'lost-update', variant: 'locked', strategy, bound: Infinity });
      expect(r.outcome, strategy).toBe('verified');
      expect(r.exhaustiveBound, strategy).toBe(Infinity);
      expect(explore({ model: 'lost-update', variant: 'racy', strategy, bound: Infinity }).outcome, strategy).toBe('bug');
    }
  });
});

describe('the runner', () => {
  it('drives any Strategy through its interface', () => {
    // Round-robin over the options, a fixed number of executions, each starting one task further on.
    class Rotate implements Strategy {
      readonly name = 'random' as const;
      readonly observer = null;
      readonly exhaustiveBound = null;
      readonly seed = null;
      exhausted = false;
      runs = 0;
      ended: ExecutionResult[] = [];
      start(): boolean {
        return this.runs < 3;
      }
      choose(point: DecisionPoint): number {
        return point.options[this.runs % point.options.length]!;
      }
      finish(run: ExecutionResult): void {
        this.runs++;
        this.ended.push(run);
      }
    }
    const s = new Rotate();
    const model = convoy(3);
    const out = runSearch(() => model.build('v'), s, { stopAtFirst: false });
    expect(out.executions).toBe(3);
    expect(out.outOfBudget).toBe(false);
    expect(s.ended.map((r) => r.decisions[0])).toEqual([0, 1, 2]);
    const capped = runSearch(() => model.build('v'), new Rotate(), { executions: 2 });
    expect(capped.executions).toBe(2);
    expect(capped.outOfBudget).toBe(true);
  });

  it('the pool deals jobs round-robin into non-empty jobs', () => {
    expect(deal([1, 2, 3, 4, 5], 2)).toEqual([[1, 3, 5], [2, 4]]);
    expect(deal([1, 2], 8)).toEqual([[1], [2]]);
    expect(deal([], 4)).toEqual([]);
  });
});
