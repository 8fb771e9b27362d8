/**
 * dpor split by decision prefix (src/explore/split.ts): each frontier prefix's subtree searched by
 * DPOR from the state after it. Its executions and first bug are its own, but it must reach exactly
 * what the unsplit DPOR search and DFS reach — the terminal states (for the random programs, with
 * their happens-before classes), the bug kinds and the verdict — for any number of jobs; with a
 * cap, it claims nothing the unsplit search would not, and its result does not depend on the order
 * the jobs ran in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLASSICS, dfsStrategy, DporStrategy, explore, runExecution, type ExploreResult, type FaultPlan, type Model, type Strategy,
} from '../../src/explore/index.js';
import { assembleSplit, exploreSplit, searchFrontier, searchPrefix, searchSubtree, type SplitOptions } from '../../src/explore/split.js';
import { account, deadlock01, lazy01, reorder, stack, twostage, wronglock } from './classic-programs.js';
import { instance, programArb } from './programs.js';

const CLASSIC_MODELS: readonly Model[] = [...CLASSICS, reorder(3), twostage(3), wronglock(3), account, lazy01, deadlock01, stack];

const fault = (model: Model): FaultPlan | null => (model.name === 'leak-on-error' ? { nth: 2, mode: 'once' } : null);

/** What searches ran to their end: terminal states, bug kinds, and the executions themselves (their decisions). */
interface Reach {
  readonly states: Set<string>;
  readonly kinds: Set<string>;
  readonly runs: Set<string>;
}

function reach(options: SplitOptions, strategies: readonly Strategy[]): Reach {
  const model = options.model as Model;
  const out: Reach = { states: new Set(), kinds: new Set(), runs: new Set() };
  for (const strategy of strategies) {
    while (strategy.start()) {
      const run = runExecution(model.build(options.variant!), strategy, { fault: options.fault ?? null, record: false, observer: strategy.observer });
      strategy.finish(run);
      if (run.pruned) continue;
      out.runs.add(run.decisions.join(','));
      if (run.violation !== null) out.kinds.add(run.violation.kind);
      else out.states.add(run.stateKey);
    }
  }
  return out;
}

/** The split's subtrees at the largest bound (each smaller bound's executions are among them). */
function splitReach(options: SplitOptions, jobs: number): Reach {
  const bound = options.bound!;
  const frontier = searchFrontier(options, jobs);
  return reach(options, frontier.map((p) => new DporStrategy(bound, { prefix: p.decisions, fromBound: bound })));
}

function sorted(s: ReadonlySet<string>): string[] {
  return [...s].sort();
}

/** A split search, the unsplit DPOR search and DFS over the same space agree (no cap). */
function agree(options: SplitOptions, jobs: number): void {
  const bound = options.bound!;
  const dfs = reach(options, [dfsStrategy(bound)]);
  const dpor = reach(options, [new DporStrategy(bound)]);
  const split = splitReach(options, jobs);
  expect(sorted(dpor.states)).toEqual(sorted(dfs.states));
  expect(sorted(split.states)).toEqual(sorted(dfs.states));
  expect(sorted(split.kinds)).toEqual(sorted(dfs.kinds));
  expect(sorted(dpor.kinds)).toEqual(sorted(dfs.kinds));
  // With a bound, the unsplit search's subtree below each prefix is that prefix's job: it runs
  // every execution the unsplit search runs (split.ts's argument), and only ones DFS runs.
  if (Number.isFinite(bound)) for (const r of dpor.runs) expect(split.runs.has(r)).toBe(true);
  for (const r of split.runs) expect(dfs.runs.has(r)).toBe(true);
  // The assembled result (bound by bound, frontier order) gives the verdict of both.
  const assembled = exploreSplit({ ...options, strategy: 'dpor', stopAtFirst: false }, jobs);
  const whole = explore({ ...options, strategy: 'dpor', stopAtFirst: false });
  expect(assembled.outcome).toBe(whole.outcome);
  expect(assembled.outcome).toBe(dfs.kinds.size > 0 ? 'bug' : 'verified');
  expect(assembled.distinctTerminalStates).toBe(dfs.states.size);
  if (assembled.trace) expect(dfs.kinds.has(assembled.trace.violation!.kind)).toBe(true);
}

/** A program of programs.ts as a model, its state keys carrying each execution's happens-before class. */
function programModel(program: Parameters<typeof instance>[0]): Model {
  return { name: 'random-program', description: '', variants: ['v'], build: () => instance(program, true) };
}

/** Everything but wall time. */
function same(r: ExploreResult): Record<string, unknown> {
  return {
    outcome: r.outcome, executions: r.executions, pruned: r.pruned, steps: r.steps, states: r.distinctTerminalStates,
    exhaustiveBound: r.exhaustiveBound, faultFired: r.faultFired, firstBug: r.firstBug?.executions ?? null, trace: r.trace,
  };
}

describe('a dpor search split by decision prefix', () => {
  it('reaches the states, bug kinds and verdict of unsplit DPOR and DFS on the classic models (bounds 0-2, 1-24 jobs)', () => {
    fc.assert(fc.property(fc.constantFrom(...CLASSIC_MODELS), fc.boolean(), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 24 }),
      (model, bad, bound, jobs) => {
        agree({ model, variant: model.variants[bad ? 0 : model.variants.length - 1]!, bound, fault: fault(model) }, jobs);
      }), { numRuns: 60, seed: 2201 });
  });

  it('reaches the states, happens-before classes and verdict of unsplit DPOR and DFS on random programs (bounds 0-2 and none)', () => {
    fc.assert(fc.property(programArb, fc.constantFrom(0, 1, 2, Infinity), fc.integer({ min: 1, max: 24 }), (program, bound, jobs) => {
      agree({ model: programModel(program), variant: 'v', bound }, jobs);
    }), { numRuns: 150, seed: 2202 });
  });

  it('with a cap: never a verdict the unsplit search would not give, and the same result whatever order the jobs ran in', () => {
    const modelArb = fc.oneof(
      fc.constantFrom(...CLASSIC_MODELS).chain((m) => fc.boolean().map((bad) => ({ model: m, variant: m.variants[bad ? 0 : m.variants.length - 1]! }))),
      programArb.map((p) => ({ model: programModel(p), variant: 'v' })),
    );
    fc.assert(fc.property(modelArb, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 300 }), fc.boolean(), fc.integer(),
      ({ model, variant }, bound, jobs, cap, stopAtFirst, seed) => {
        const options: SplitOptions = { model, variant, strategy: 'dpor', bound, fault: fault(model), executions: cap, stopAtFirst };
        const dfs = reach(options, [dfsStrategy(bound)]);
        const split = exploreSplit(options, jobs);
        expect(split.executions + split.pruned).toBeLessThanOrEqual(cap);
        if (split.outcome === 'verified') expect(dfs.kinds.size).toBe(0);
        if (split.outcome === 'bug') expect(dfs.kinds.has(split.trace!.violation!.kind)).toBe(true);
        // The jobs run in a shuffled order, assembled in the frontier's.
        const frontier = searchFrontier(options, jobs);
        const order = fc.sample(fc.shuffledSubarray([...frontier.keys()], { minLength: frontier.length }), { numRuns: 1, seed })[0]!;
        const results = new Map(order.map((i) => [i, searchPrefix(options, frontier[i]!)] as const));
        const assembled = assembleSplit(options, frontier, (i) => results.get(i)!, (i, b, c) => searchSubtree(options, frontier[i]!, b, c));
        expect(assembled.executions).toBe(split.executions);
        expect(assembled.pruned).toBe(split.pruned);
        expect(sorted(assembled.states).length).toBe(split.distinctTerminalStates);
        expect(assembled.firstBugExecutions).toBe(split.firstBug?.executions ?? null);
      }), { numRuns: 80, seed: 2203 });
  });

  it('in one job is exactly the unsplit DPOR search', () => {
    fc.assert(fc.property(fc.constantFrom(...CLASSIC_MODELS), fc.boolean(), fc.integer({ min: 0, max: 2 }), fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
      (model, bad, bound, cap) => {
        const options: SplitOptions = {
          model, variant: model.variants[bad ? 0 : model.variants.length - 1]!, strategy: 'dpor', bound, fault: fault(model), ...(cap !== undefined ? { executions: cap } : {}),
        };
        expect(same(exploreSplit(options, 1))).toEqual(same(explore(options)));
      }), { numRuns: 40, seed: 2204 });
  });

  it('spreads over as many prefixes as it is asked for, each searched from the state after it', () => {
    const options: SplitOptions = { model: wronglock(3), variant: 'fixed', strategy: 'dpor', bound: 2 };
    const frontier = searchFrontier(options, 16);
    expect(frontier.length).toBeGreaterThanOrEqual(16);
    const split = exploreSplit(options, 16);
    expect(split.prefixes).toBe(frontier.length);
    expect(split.outcome).toBe('verified');
    // Every prefix's job runs at least one execution.
    for (const p of frontier) {
      for (const s of searchPrefix(options, p)) expect(s.executions + s.pruned).toBeGreaterThan(0);
    }
  });
});
