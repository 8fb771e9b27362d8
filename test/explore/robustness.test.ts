import { describe, expect, it } from 'vitest';
import {
  explore, fromToken, ModelError, read, replay, ReplayDivergence, traceToken, write, type Model, type Task,
} from '../../src/explore/index.js';
import { confirmDeterministic } from '../../src/explore/determinism.js';
import { runExecution } from '../../src/explore/execution.js';
import { PrefixChooser } from '../../src/explore/strategies/schedule.js';
import { Buffer } from 'node:buffer';

/** A lost update whose second task sometimes skips its increment, depending on a counter that outlives executions. */
function flaky(): Model {
  let executions = 0;
  return {
    name: 'flaky', description: '', variants: ['v'],
    build: () => {
      executions++;
      const world = { counter: 0 };
      const skip = executions % 2 === 0;
      function* inc(): Task {
        yield read('counter');
        const seen = world.counter;
        yield write('counter');
        world.counter = seen + 1;
      }
      return {
        tasks: [{ name: 'A', run: inc }, { name: 'B', run: function* () { if (!skip) yield* inc(); } }],
        finalCheck: () => (world.counter === 2 ? null : `counter is ${world.counter}`),
        stateKey: () => String(world.counter),
      };
    },
  };
}

describe('nondeterministic models', () => {
  it('a counterexample that does not replay the same way is a ModelError, not a bug', () => {
    expect(() => explore({ model: flaky(), strategy: 'dfs', bound: 1 })).toThrow(ModelError);
    expect(() => explore({ model: flaky(), strategy: 'dfs', bound: 1 })).toThrow(/not deterministic/);
  });

  it('checkDeterminism re-runs every execution, so a flaky verified model is caught too', () => {
    // Each build flips; with a lock-free single task nothing fails, but terminal states differ.
    let n = 0;
    const m: Model = {
      name: 'drifts', description: '', variants: ['v'],
      build: () => {
        const mine = n++;
        return { tasks: [{ name: 'T', run: function* () { yield write('x'); } }], stateKey: () => String(mine) };
      },
    };
    expect(explore({ model: m, strategy: 'dfs', bound: 0 }).outcome).toBe('verified');
    expect(() => explore({ model: m, strategy: 'dfs', bound: 0, checkDeterminism: true })).toThrow(/terminal state/);
  });
});

describe('deadlines', () => {
  it('regression: a confirming replay the deadline interrupts refutes nothing (it was a "not deterministic" ModelError)', () => {
    // 600 steps of one task: a deadline already past stops the replay at step 256.
    const build = () => ({ tasks: [{ name: 'T', run: function* (): Task { for (let i = 0; i < 600; i++) yield write('x'); } }] });
    const run = runExecution(build(), new PrefixChooser([]), { record: false });
    expect(run.steps).toBe(600);
    expect(() => confirmDeterministic(build, run, { deadline: performance.now() - 1 })).not.toThrow();
    expect(() => confirmDeterministic(build, { ...run, steps: 599 }, {})).toThrow(ModelError);
  });
});

describe('tokens and replay', () => {
  const token = (body: unknown): string => `mt1:${Buffer.from(JSON.stringify(body)).toString('base64url')}`;

  it('a malformed fault plan, task list or decision list in a token is refused', () => {
    const base = { m: 'lost-update', v: 'racy', d: [1] };
    for (const f of [{ nth: 0, mode: 'once' }, { nth: 1, mode: 'sometimes' }, { nth: 'x', mode: 'once' }, { nth: 1, mode: 'once', colour: 'red' }, 'garbage', 5]) {
      expect(() => fromToken(token({ ...base, f })), JSON.stringify(f)).toThrow(/malformed fault plan/);
    }
    expect(() => fromToken(token({ ...base, f: null, t: [1, 2] }))).toThrow(/task list/);
    expect(() => fromToken(token({ ...base, f: null, d: [-1] }))).toThrow(/decisions/);
    expect(fromToken(token({ ...base, f: { nth: 2, mode: 'persistent', site: 'kmalloc' } })).fault).toEqual({ nth: 2, mode: 'persistent', site: 'kmalloc' });
  });

  it('replay compares results and the final violation, not only who ran what', () => {
    const r = explore({ model: 'lost-update', variant: 'racy', bound: 1 });
    const t = r.trace!;
    expect(replay(t).violation?.kind).toBe('final-check');
    expect(() => replay({ ...t, violation: null })).toThrow(ReplayDivergence);
    expect(() => replay({ ...t, violation: null })).toThrow(/ends in no violation, the replay in final-check/);
    const leak = explore({ model: 'leak-on-error', variant: 'buggy', bound: 0, fault: { nth: 2, mode: 'once' } }).trace!;
    const edited = { ...leak, events: leak.events.map((e) => (e.result === 'fail' ? { ...e, result: 'ok' } : e)) };
    expect(() => replay(edited)).toThrow(/gave "ok" in the trace, "fail" now/);
    expect(replay(fromToken(traceToken(leak))).violation?.kind).toBe('final-check');
  });
});
