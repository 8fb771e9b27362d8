/**
 * A search split by decision prefix against the same search run whole: dfs and delay give exactly
 * the single search's result (executions, states, verdict, first bug, minimised counterexample)
 * whatever the number of jobs and the cap. dpor's split reaches the same but runs its own
 * executions (split-dpor.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLASSICS, explore, type ExploreResult, type FaultPlan, type Model,
} from '../../src/explore/index.js';
import { assembleSplit, exploreSplit, searchFrontier, searchPrefix, searchSubtree, type SplitOptions } from '../../src/explore/split.js';
import { account, deadlock01, lazy01, reorder, stack, twostage, wronglock } from './classic-programs.js';

const MODELS: readonly Model[] = [...CLASSICS, reorder(3), twostage(3), wronglock(3), account, lazy01, deadlock01, stack];

/** Everything but wall time. */
function same(r: ExploreResult): Record<string, unknown> {
  return {
    outcome: r.outcome, executions: r.executions, pruned: r.pruned, steps: r.steps, states: r.distinctTerminalStates,
    exhaustiveBound: r.exhaustiveBound, faultFired: r.faultFired, firstBug: r.firstBug?.executions ?? null, trace: r.trace,
  };
}

const fault = (model: Model): FaultPlan | null => (model.name === 'leak-on-error' ? { nth: 2, mode: 'once' } : null);

const caseArb = fc.record({
  model: fc.constantFrom(...MODELS),
  bad: fc.boolean(),
  bound: fc.integer({ min: 0, max: 2 }),
  jobs: fc.integer({ min: 1, max: 24 }),
  strategy: fc.constantFrom('dfs' as const, 'delay' as const, 'deviation' as const),
  cap: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
  stopAtFirst: fc.boolean(),
});

describe('a split search', () => {
  it('dfs and delay: exactly the single search, for any number of jobs and any cap', () => {
    fc.assert(fc.property(caseArb, ({ model, bad, bound, jobs, strategy, cap, stopAtFirst }) => {
      const options: SplitOptions = {
        model, variant: model.variants[bad ? 0 : model.variants.length - 1]!, strategy, bound, fault: fault(model), stopAtFirst,
        ...(cap !== undefined ? { executions: cap } : {}),
      };
      const whole = explore(options);
      const split = exploreSplit(options, jobs);
      expect(same(split)).toEqual(same(whole));
    }), { numRuns: 120, seed: 22 });
  });

  it('spreads a search over many prefixes, more as more jobs are asked for', () => {
    const options: SplitOptions = { model: wronglock(3), variant: 'fixed', strategy: 'dfs', bound: 2 };
    const few = searchFrontier(options, 2);
    const many = searchFrontier(options, 40);
    expect(few.length).toBeGreaterThanOrEqual(2);
    expect(many.length).toBeGreaterThanOrEqual(40);
    expect(many.length).toBeLessThanOrEqual(8 * 40);
    // Distinct prefixes, none the beginning of another: each execution is in exactly one subtree.
    for (const a of many) {
      for (const b of many) {
        if (a === b) continue;
        const n = Math.min(a.decisions.length, b.decisions.length);
        expect(a.decisions.slice(0, n)).not.toEqual(b.decisions.slice(0, n));
      }
    }
    expect(exploreSplit(options, 40).executions).toBe(explore(options).executions);
  });

  it('takes the first bug in the single search\'s order, whatever order the jobs finished in', () => {
    const options: SplitOptions = { model: 'lost-update', variant: 'racy', strategy: 'dfs', bound: 2 };
    const frontier = searchFrontier(options, 8);
    const results = [...frontier.keys()].reverse().map((i) => [i, searchPrefix(options, frontier[i]!)] as const);
    const byPrefix = new Map(results);
    const assembled = assembleSplit(options, frontier, (i) => byPrefix.get(i)!, (i, b, cap) => searchSubtree(options, frontier[i]!, b, cap));
    const whole = explore(options);
    expect(assembled.firstBugExecutions).toBe(whole.firstBug!.executions);
    expect(assembled.found).not.toBeNull();
  });

  it('refuses a strategy it cannot split and a bound outside the prefix', () => {
    expect(() => searchFrontier({ model: 'lost-update', strategy: 'random' as never }, 4)).toThrow(/a split search is dfs, delay, deviation or dpor, got "random"/);
    expect(() => searchFrontier({ model: 'lost-update' }, 0)).toThrow(/searchFrontier: jobs must be a positive integer, got 0/);
    const [p] = searchFrontier({ model: 'lost-update', bound: 1 }, 1);
    expect(() => searchSubtree({ model: 'lost-update', bound: 1 }, p!, 2)).toThrow(/bound 2 is outside the prefix's bounds 0\.\.1/);
  });
});
