// Checking the checker on random small programs (programs.ts): unbounded DFS against a direct
// enumeration of every interleaving, then bounded DFS, delay bounding and DPOR against DFS, and
// random and PCT runs replaying exactly (checker-sync.test.ts does the same for spawn, join, wait
// and signal).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore, PrefixChooser, runExecution, type Model } from '../../src/explore/index.js';
import {
  delayAgreesWithDfs, deviationBetweenDelayAndDfs, dfsAgreesWithOracle, dfsStates, dporAgreesWithDfs, dporStates, instance, oracleStates, programArb, type Step,
} from './programs.js';

describe('checking the checker', () => {
  // A share of the runs; `npm run test:soak` runs this property 1,000 times.
  it('unbounded DFS reaches exactly the terminal states of a direct enumeration (random programs)', () => {
    dfsAgreesWithOracle(100);
  });

  it('bounded DFS reaches a subset that grows with the bound', () => {
    fc.assert(fc.property(programArb, (program) => {
      const all = oracleStates(program);
      let prev = new Set<string>();
      for (const bound of [0, 1, 2]) {
        const s = dfsStates(program, bound);
        for (const x of prev) expect(s.has(x)).toBe(true);
        for (const x of s) expect(all.has(x)).toBe(true);
        prev = s;
      }
    }), { numRuns: 150 });
  });

  // A share of the runs; `npm run test:soak` runs these properties 1,000, 250 and 250 times.
  it('unbounded delay bounding reaches the states and happens-before classes of DFS; bounded, a growing subset', () => {
    delayAgreesWithDfs(30);
  });

  it('deviation bounding reaches all DFS reaches; at each bound, all delay bounding reaches and nothing beyond preemption bounding', () => {
    deviationBetweenDelayAndDfs(30);
  });

  it('DPOR with sleep sets reaches exactly the terminal states and happens-before classes of DFS', () => {
    dporAgreesWithDfs(100);
  });

  // Programs fast-check found while DPOR was being written, one per mistake it caught.
  const inc = (a: number): Step => ({ k: 'inc', a, b: 0 });
  const copy = (a: number, b: number): Step => ({ k: 'copy', a, b });
  const locked = (l: number, ...body: Step[]): Step[] => [{ k: 'lock', a: l, b: 0 }, ...body, { k: 'unlock', a: l, b: 0 }];
  const regressions: Array<[string, Step[][]]> = [
    ['sleep sets under a bound lose the order the bound forbade in the sibling branch', [[inc(1)], [copy(0, 1)]]],
    ['two acquires of one lock race even though a release orders them', [locked(1, inc(0)), locked(1, inc(0))]],
    ['a reversal must start with an initial of the steps independent of the first', [[inc(1)], [copy(0, 1)], [copy(0, 1)]]],
    ['under a bound, a task may preempt early and block on a lock for free', [[...locked(1, inc(0)), copy(0, 0)], [inc(0), ...locked(1, copy(0, 0))]]],
    ['three tasks with a lock and mixed copies', [[inc(0)], locked(0, inc(0)), [copy(1, 0)]]],
  ];
  for (const [name, program] of regressions) {
    it(`regression: ${name}`, () => {
      for (const bound of [Infinity, 0, 1, 2]) {
        expect(dporStates(program, bound).states, `bound ${bound}`).toEqual(dfsStates(program, bound === Infinity ? 99 : bound, true));
      }
    });
  }

  it('DPOR runs fewer executions than DFS on independent tasks', () => {
    // Two tasks touching different variables: one class, so one execution.
    const program: Step[][] = [[{ k: 'inc', a: 0, b: 0 }, { k: 'inc', a: 0, b: 0 }], [{ k: 'inc', a: 1, b: 0 }, { k: 'inc', a: 1, b: 0 }]];
    const d = dporStates(program, Infinity);
    expect(d.executions).toBe(1);
    expect(dfsStates(program, 99, true).size).toBe(1);
    const model: Model = { name: 'independent', description: '', variants: ['v'], build: () => instance(program) };
    const dfs = explore({ model, strategy: 'dfs', bound: 4 });
    const dpor = explore({ model, strategy: 'dpor', bound: 4 });
    expect(dpor.outcome).toBe('verified');
    expect(dpor.executions).toBeLessThan(dfs.executions);
  });

  it('every random and PCT run replays exactly', () => {
    fc.assert(fc.property(programArb, fc.integer({ min: 1, max: 1000 }), (program, seed) => {
      const model: Model = { name: 'random-program', description: '', variants: ['v'], build: () => instance(program) };
      for (const strategy of ['random', 'pct'] as const) {
        const r = explore({ model, strategy, executions: 5, seed, stopAtFirst: true });
        if (r.trace) {
          const again = runExecution(instance(program), new PrefixChooser(r.trace.decisions));
          expect(again.violation?.kind).toBe(r.trace.violation?.kind);
        }
      }
    }), { numRuns: 100 });
  });
});
