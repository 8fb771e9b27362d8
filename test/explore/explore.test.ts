// The classics end to end; checker.test.ts checks the search strategies against each other and a
// direct enumeration.
import { describe, expect, it } from 'vitest';
import { CLASSICS, explore, htmlReport, laneTable, parseToken, replay, ReplayDivergence, sweepFaults, traceToken } from '../../src/explore/index.js';

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
