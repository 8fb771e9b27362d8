import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLASSICS, explore, lock, nextDfsPrefix, parseToken, PrefixChooser, read, replay, ReplayDivergence, runExecution,
  sweepFaults, traceToken, unlock, write, laneTable, htmlReport, type Model, type ModelInstance, type Task,
} from '../../src/explore/index.js';

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

function instance(program: Step[][]): ModelInstance {
  const vars = [0, 0];
  function* run(steps: Step[]): Task {
    for (const s of steps) {
      if (s.k === 'lock') yield lock(`l${s.a}`);
      else if (s.k === 'unlock') yield unlock(`l${s.a}`);
      else if (s.k === 'inc') {
        yield read(`v${s.a}`);
        const x = vars[s.a]!;
        yield write(`v${s.a}`);
        vars[s.a] = x + 1;
      } else {
        yield read(`v${s.b}`);
        const x = vars[s.b]!;
        yield write(`v${s.a}`);
        vars[s.a] = x;
      }
    }
  }
  return { tasks: program.map((steps, i) => ({ name: `T${i}`, run: () => run(steps) })), stateKey: () => vars.join(',') };
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

function dfsStates(program: Step[][], bound: number): Set<string> {
  const out = new Set<string>();
  let prefix: number[] | null = [];
  while (prefix !== null) {
    const run = runExecution(instance(program), new PrefixChooser(prefix), { record: false });
    out.add(run.violation ? run.violation.kind : run.stateKey);
    prefix = nextDfsPrefix(run.decisions, run.points, bound);
  }
  return out;
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
