import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLASSICS, delayStrategy, DporSearch, explore, lock, nextDfsPrefix, parseToken, PrefixChooser, read, replay, ReplayDivergence, runExecution,
  sweepFaults, traceToken, unlock, write, laneTable, htmlReport, type Model, type ModelInstance, type Task,
} from '../../src/explore/index.js';
import { hbClass } from './hb-class.js';

describe('the classics', () => {
  for (const model of CLASSICS) {
    it(`${model.name}: the first variant has a bug, the second is verified`, () => {
      const fault = model.name === 'leak-on-error' ? { nth: 2, mode: 'once' as const } : null;
      const bad = explore({ model, variant: model.variants[0]!, bound: 2, fault });
      expect(bad.outcome).toBe('bug');
      const good = explore({ model, variant: model.variants[1]!, bound: 2, fault });
      expect(good.outcome).toBe('verified');
      expect(good.exhaustiveBound).toBe(2);
      // The reported trace replays to the same violation, from the token too.
      const trace = bad.trace!;
      const again = replay(trace);
      expect(again.violation?.kind).toBe(trace.violation?.kind);
      const t = parseToken(traceToken(trace));
      expect(replay({ model: t.m, variant: t.v, fault: t.f, decisions: t.d }).violation?.kind).toBe(trace.violation?.kind);
      expect(laneTable(trace)).toContain('step');
      expect(htmlReport(trace, traceToken(trace))).toContain('<table>');
    });
  }

  it('a lost update needs exactly one preemption: bound 0 finds nothing', () => {
    expect(explore({ model: 'lost-update', variant: 'racy', bound: 0 }).outcome).toBe('verified');
    const r = explore({ model: 'lost-update', variant: 'racy', bound: 1 });
    expect(r.outcome).toBe('bug');
    expect(r.trace!.stats.preemptions).toBe(1);
  });

  it('random and PCT find the torn read, and their traces replay', () => {
    for (const strategy of ['random', 'pct'] as const) {
      const r = explore({ model: 'torn-read', variant: 'unlocked-reader', strategy, executions: 500, seed: 7 });
      expect(r.outcome).toBe('bug');
      expect(replay(r.trace!).violation?.kind).toBe('assert:consistent');
    }
  });

  it('replay stops with a divergence when the decisions do not fit the model', () => {
    expect(() => replay({ model: 'lost-update', variant: 'racy', fault: null, decisions: [5] })).toThrow(ReplayDivergence);
    expect(() => replay({ model: 'lost-update', variant: 'racy', fault: null, decisions: [] })).toThrow(ReplayDivergence);
    expect(() => parseToken('nope')).toThrow(RangeError);
  });

  it('the fail-nth sweep runs until the fault never fires', () => {
    const results = sweepFaults({ model: 'leak-on-error', variant: 'buggy' });
    expect(results.map((r) => r.outcome)).toEqual(['verified', 'bug', 'verified']);
    expect(results.map((r) => r.faultFired)).toEqual([true, true, false]);
  });
});

/** Random small programs: tasks of locked or unlocked increments and copies over shared variables. */
interface Step { k: 'lock' | 'unlock' | 'inc' | 'copy'; a: number; b: number }

const stepArb = fc.oneof(
  fc.record({ k: fc.constant('inc' as const), a: fc.integer({ min: 0, max: 1 }), b: fc.constant(0) }),
  fc.record({ k: fc.constant('copy' as const), a: fc.integer({ min: 0, max: 1 }), b: fc.integer({ min: 0, max: 1 }) }),
);
const blockArb = fc.tuple(fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }), fc.array(stepArb, { minLength: 1, maxLength: 1 }))
  .map(([l, body]): Step[] => (l === undefined ? body : [{ k: 'lock', a: l, b: 0 }, ...body, { k: 'unlock', a: l, b: 0 }]));
const taskArb = fc.array(blockArb, { minLength: 1, maxLength: 2 }).map((bs) => bs.flat());
// Small enough that every interleaving can be run: at most 14 yields in all.
const programArb = fc.array(taskArb, { minLength: 2, maxLength: 3 })
  .filter((p) => p.reduce((n, t) => n + t.reduce((m, s) => m + (s.k === 'lock' || s.k === 'unlock' ? 1 : 2), 0), 0) <= 14);

/**
 * The program as a model. With `classes`, the state key also carries the execution's
 * happens-before class: per object, its operations in order, with the reads between two writes
 * (which commute) sorted — two executions are equivalent exactly when these agree.
 */
function instance(program: Step[][], classes = false): ModelInstance {
  const vars = [0, 0];
  const log = new Map<string, string[]>();
  const note = (obj: string, t: number, n: number, w: boolean): void => {
    if (!classes) return;
    let l = log.get(obj);
    if (!l) log.set(obj, (l = []));
    l.push(`${w ? 'w' : 'r'}T${t}.${n}`);
  };
  function* run(steps: Step[], t: number): Task {
    let n = 0;
    for (const s of steps) {
      if (s.k === 'lock') { yield lock(`l${s.a}`); note(`l${s.a}`, t, n++, true); }
      else if (s.k === 'unlock') { yield unlock(`l${s.a}`); note(`l${s.a}`, t, n++, true); }
      else if (s.k === 'inc') {
        yield read(`v${s.a}`);
        note(`v${s.a}`, t, n++, false);
        const x = vars[s.a]!;
        yield write(`v${s.a}`);
        note(`v${s.a}`, t, n++, true);
        vars[s.a] = x + 1;
      } else {
        yield read(`v${s.b}`);
        note(`v${s.b}`, t, n++, false);
        const x = vars[s.b]!;
        yield write(`v${s.a}`);
        note(`v${s.a}`, t, n++, true);
        vars[s.a] = x;
      }
    }
  }
  return {
    tasks: program.map((steps, i) => ({ name: `T${i}`, run: () => run(steps, i) })),
    stateKey: () => (classes ? `${vars.join(',')}|${hbClass(log)}` : vars.join(',')),
  };
}

/** The oracle: every interleaving, enumerated directly over task programs (no explorer code). */
function oracleStates(program: Step[][]): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const go = (pcs: number[], vars: number[], regs: number[], owner: number[], phase: number[]): void => {
    const key = `${pcs}|${vars}|${regs}|${owner}|${phase}`;
    if (seen.has(key)) return;
    seen.add(key);
    let moved = false;
    for (let t = 0; t < program.length; t++) {
      const s = program[t]![pcs[t]!];
      if (!s) continue;
      if (s.k === 'lock' && owner[s.a] !== -1) continue;
      moved = true;
      const p = pcs.slice();
      const v = vars.slice();
      const r = regs.slice();
      const o = owner.slice();
      const ph = phase.slice();
      if (s.k === 'lock') { o[s.a] = t; p[t]!++; }
      else if (s.k === 'unlock') { o[s.a] = -1; p[t]!++; }
      else if (ph[t] === 0) { r[t] = s.k === 'inc' ? v[s.a]! : v[s.b]!; ph[t] = 1; }
      else { v[s.a] = s.k === 'inc' ? r[t]! + 1 : r[t]!; ph[t] = 0; p[t]!++; }
      go(p, v, r, o, ph);
    }
    if (!moved) out.add(pcs.every((pc, t) => pc >= program[t]!.length) ? vars.join(',') : 'deadlock');
  };
  go(program.map(() => 0), [0, 0], program.map(() => 0), [-1, -1], program.map(() => 0));
  return out;
}

function dfsStates(program: Step[][], bound: number, classes = false): Set<string> {
  const out = new Set<string>();
  let prefix: number[] | null = [];
  while (prefix !== null) {
    const run = runExecution(instance(program, classes), new PrefixChooser(prefix), { record: false });
    out.add(run.violation ? run.violation.kind : run.stateKey);
    prefix = nextDfsPrefix(run.decisions, run.points, bound);
  }
  return out;
}

/** Delay bounding's terminal states (bounds 0..bound in turn, as explore runs it). */
function delayStates(program: Step[][], bound: number, classes = false): Set<string> {
  const out = new Set<string>();
  const strategy = delayStrategy(bound);
  while (strategy.start()) {
    const run = runExecution(instance(program, classes), strategy, { record: false });
    strategy.finish(run);
    out.add(run.violation ? run.violation.kind : run.stateKey);
  }
  return out;
}

/** DPOR's terminal states (with happens-before classes) and its executions, pruned ones apart. */
function dporStates(program: Step[][], bound: number): { states: Set<string>; executions: number } {
  const states = new Set<string>();
  const search = new DporSearch(bound);
  search.start();
  let executions = 0;
  do {
    const run = runExecution(instance(program, true), search, { record: false, observer: search });
    if (run.pruned) continue;
    executions++;
    states.add(run.violation ? run.violation.kind : run.stateKey);
  } while (search.next());
  return { states, executions };
}

describe('checking the checker', () => {
  it('unbounded DFS reaches exactly the terminal states of a direct enumeration (random programs)', () => {
    fc.assert(fc.property(programArb, (program) => {
      expect(dfsStates(program, 99)).toEqual(oracleStates(program));
    }), { numRuns: 300 });
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

  it('unbounded delay bounding reaches the states and happens-before classes of DFS; bounded, a growing subset', () => {
    fc.assert(fc.property(programArb, (program) => {
      const all = dfsStates(program, 99, true);
      expect(delayStates(program, Infinity, true)).toEqual(all);
      let prev = new Set<string>();
      for (const bound of [0, 1, 2]) {
        const s = delayStates(program, bound, true);
        for (const x of prev) expect(s.has(x)).toBe(true);
        for (const x of s) expect(all.has(x)).toBe(true);
        prev = s;
      }
    }), { numRuns: 80 });
  });

  it('DPOR with sleep sets reaches exactly the terminal states and happens-before classes of DFS', () => {
    fc.assert(fc.property(programArb, (program) => {
      for (const bound of [Infinity, 0, 1, 2]) {
        const dfs = dfsStates(program, bound === Infinity ? 99 : bound, true);
        const dpor = dporStates(program, bound);
        expect(dpor.states, `bound ${bound}`).toEqual(dfs);
        // Never more executions than classes (each class once, or pruned by a sleep set).
        if (bound === Infinity) expect(dpor.executions).toBeLessThanOrEqual(dfs.size);
      }
    }), { numRuns: 300 });
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
