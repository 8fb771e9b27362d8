import { describe, expect, it } from 'vitest';
import {
  alloc, explore, fromToken, getModel, lock, minimise, read, registerModel, replay, ReplayDivergence, runSearch, traceToken, unlock, write, type Model,
  type Task,
} from '../../src/explore/index.js';
import { dfsStrategy } from '../../src/explore/strategies/dfs.js';

// A lost update between A and B, beside two bystanders that allocate and take a lock: the
// counterexample needs neither bystander, and the model marks them optional.
const crowded: Model = registerModel({
  name: 'crowded-lost-update',
  description: 'a lost update with bystanders; B gives up when its allocation fails',
  variants: ['default'],
  build() {
    const world = { counter: 0, given: false };
    function* inc(name: string): Task {
      if (name === 'B') {
        if (!(yield alloc('kmalloc', 'B: kmalloc'))) {
          world.given = true;
          return;
        }
      }
      yield read('counter', `${name}: load`);
      const seen = world.counter;
      yield write('counter', `${name}: store`);
      world.counter = seen + 1;
    }
    function* bystander(name: string): Task {
      yield alloc('kmalloc', `${name}: kmalloc`);
      yield lock('other', 'write', `${name}: lock`);
      yield unlock('other', 'write', `${name}: unlock`);
    }
    return {
      tasks: [
        { name: 'C', run: () => bystander('C'), optional: true }, { name: 'A', run: () => inc('A') },
        { name: 'B', run: () => inc('B') }, { name: 'D', run: () => bystander('D'), optional: true },
      ],
      finalCheck: () => (world.given ? (world.counter === 1 ? 'B gave up' : null) : world.counter === 2 ? null : `lost update: ${world.counter}`),
    };
  },
});

describe('minimisation', () => {
  it('drops the optional tasks the violation does not need and reports sizes before and after', () => {
    const r = explore({ model: crowded, bound: 2, strategy: 'random', executions: 2000, seed: 3 });
    expect(r.outcome).toBe('bug');
    const t = r.trace!;
    expect(t.tasks).toEqual(['A', 'B']);
    expect(t.stats.minimised!.before.tasks).toBe(4);
    expect(t.stats.minimised!.after.tasks).toBe(2);
    expect(t.stats.minimised!.after.steps).toBeLessThanOrEqual(t.stats.minimised!.before.steps);
    expect(t.stats.preemptions).toBe(1);
    // The token carries the kept tasks, so it replays on the smaller model.
    expect(replay(fromToken(traceToken(t))).violation?.kind).toBe('final-check');
    expect(replay(t).violation?.message).toBe(t.violation!.message);
  });

  it('lowers n in the fault plan to the earliest allocation that still fails the same way', () => {
    // Three allocations; any failure makes the task give up, which the check reports.
    const model: Model = {
      name: 'gives-up', description: '', variants: ['v'],
      build: () => {
        let gaveUp = false;
        return {
          tasks: [{
            name: 'T', run: function* () {
              for (let i = 0; i < 3; i++) if (!(yield alloc('kmalloc', `kmalloc ${i}`))) { gaveUp = true; return; }
            },
          }],
          finalCheck: () => (gaveUp ? 'gave up' : null),
        };
      },
    };
    const r = explore({ model, bound: 0, fault: { nth: 3, mode: 'once' } });
    expect(r.outcome).toBe('bug');
    expect(r.trace!.fault?.nth).toBe(1);
    expect(r.trace!.stats.minimised!.before.nth).toBe(3);
    expect(r.trace!.stats.minimised!.after.nth).toBe(1);
    // leak-on-error leaks only when the second allocation fails, so n stays at 2.
    const leak = explore({ model: 'leak-on-error', variant: 'buggy', bound: 0, fault: { nth: 2, mode: 'once' } });
    expect(leak.trace!.fault?.nth).toBe(2);
  });

  it('takes a sweep\'s clean points for the search\'s answer: the same counterexample, fewer tries', () => {
    // leak-on-error leaks only when its second allocation fails: n = 1 is clean, as a sweep finds.
    const model = getModel('leak-on-error');
    const build = () => model.build('buggy');
    const fault = { nth: 2, mode: 'once' } as const;
    expect(explore({ model, variant: 'buggy', bound: 1, fault: { nth: 1, mode: 'once' } }).outcome).toBe('verified');
    const found = runSearch(build, dfsStrategy(1), { fault }).found!;
    const plain = minimise(build, found, fault);
    const told = minimise(build, found, fault, { cleanBelow: { nth: 2, bound: 1 } });
    expect(told.run.decisions).toEqual(plain.run.decisions);
    expect([told.fault, told.after, told.tasks]).toEqual([plain.fault, plain.after, plain.tasks]);
    expect(told.tries).toBeLessThan(plain.tries);
    const r = explore({ model, variant: 'buggy', bound: 1, fault, cleanBelow: { nth: 2, bound: 1 } });
    expect(traceToken(r.trace!)).toBe(traceToken(explore({ model, variant: 'buggy', bound: 1, fault }).trace!));
    expect(() => minimise(build, found, fault, { cleanBelow: { nth: 0, bound: 1 } })).toThrow(/cleanBelow\.nth/);
    expect(() => explore({ model, variant: 'buggy', fault, cleanBelow: { nth: 2 } as never })).toThrow(/cleanBelow\.bound/);
  });

  it('replay checks every recorded step against the model and stops at the first difference', () => {
    const r = explore({ model: 'lost-update', variant: 'racy', bound: 1 });
    const t = r.trace!;
    const edited = { ...t, events: t.events.map((e, i) => (i === 1 ? { ...e, label: 'something else' } : e)) };
    expect(() => replay(edited)).toThrow(ReplayDivergence);
    expect(() => replay(edited)).toThrow(/step 2: the trace has/);
    expect(() => replay({ ...t, tasks: ['nobody'] })).toThrow(/no task named "nobody"/);
  });
});

describe('minimisation to the fewest preemptions', () => {
  // B assumes A has run: only the order "B first" fails, which needs no preemption at all, yet
  // random walks and PCT find it with switches back and forth among five bystanders.
  const orderBug: Model = registerModel({
    name: 'order-bug', description: '', variants: ['v'],
    build: () => {
      const world = { x: 0, noise: 0 };
      function* bystander(): Task {
        for (let i = 0; i < 3; i++) {
          yield write('noise');
          world.noise++;
        }
      }
      return {
        tasks: [
          ...['C', 'D', 'E', 'F', 'G'].map((name) => ({ name, run: bystander })),
          { name: 'A', run: function* () { yield write('x'); world.x = 1; } },
          { name: 'B', run: function* () { yield read('x'); const seen = world.x; yield write('x'); world.x = seen + 10; } },
        ],
        finalCheck: () => (world.x === 11 ? null : `B ran before A (x = ${world.x})`),
      };
    },
  });

  for (const strategy of ['random', 'pct'] as const) {
    it(`${strategy}: the counterexample keeps no preemption the bug does not need`, () => {
      let shrunk = 0;
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const r = explore({ model: orderBug, strategy, seed, executions: 5000 });
        expect(r.outcome).toBe('bug');
        if (r.trace!.stats.minimised!.before.preemptions > 0) shrunk++;
        expect(r.trace!.stats.preemptions, `seed ${seed}`).toBe(0);
        expect(replay(r.trace!).violation?.kind).toBe('final-check');
      }
      // Most seeds find it with preemptions to remove: the test is not vacuous.
      expect(shrunk).toBeGreaterThan(0);
    });
  }

  it('a livelock is a step-limit violation under every strategy, minimised to no preemptions', () => {
    const livelock: Model = {
      name: 'livelock', description: 'two tasks that yield to each other forever', variants: ['v'],
      build: () => {
        function* spin(): Task {
          for (;;) yield write('turn');
        }
        return { tasks: [{ name: 'A', run: spin }, { name: 'B', run: spin }] };
      },
    };
    registerModel(livelock);
    for (const strategy of ['dfs', 'dpor', 'delay', 'deviation', 'random', 'pct'] as const) {
      const r = explore({ model: livelock, strategy, executions: 20, maxSteps: 2000 });
      expect(r.outcome, strategy).toBe('bug');
      expect(r.trace!.violation!.kind, strategy).toBe('step-limit');
      expect(r.trace!.stats.preemptions, strategy).toBe(0);
      // The step limit travels with the trace, so the token replays the same livelock.
      expect(r.trace!.maxSteps).toBe(2000);
      expect(replay(fromToken(traceToken(r.trace!))).violation?.kind).toBe('step-limit');
    }
  });
});
