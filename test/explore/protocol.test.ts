import { describe, expect, it } from 'vitest';
import {
  broadcast, check, condWait, explore, join, lock, PrefixChooser, read, runExecution, runSync, signal, spawn, step, unlock, write,
  type Model, type ModelInstance, type Op, type Task,
} from '../../src/explore/index.js';

const model = (name: string, build: () => ModelInstance): Model => ({ name, description: '', variants: ['v'], build });
const one = (run: () => Task<unknown>): ModelInstance => ({ tasks: [{ name: 'T', run }] });

describe('spawn and join', () => {
  it('a spawned task runs beside its parent; join returns its result and waits for it', () => {
    const m = model('spawn-join', () => {
      const world = { seen: [] as unknown[] };
      return {
        tasks: [{
          name: 'main', run: function* () {
            const name = yield spawn('child', function* () {
              yield step('child works');
              return 42;
            });
            world.seen.push(name, yield join('child'));
          },
        }],
        finalCheck: () => (world.seen.join() === 'child,42' ? null : `saw ${world.seen.join()}`),
        stateKey: () => world.seen.join(),
      };
    });
    for (const strategy of ['dfs', 'dpor', 'delay'] as const) {
      expect(explore({ model: m, strategy, bound: Infinity }).outcome, strategy).toBe('verified');
    }
  });

  it('a race between a parent and its child is found; the spawn itself orders what came before', () => {
    const m = model('spawn-race', () => {
      const world = { x: 0 };
      return {
        tasks: [{
          name: 'main', run: function* () {
            yield write('x');
            world.x = 1;
            yield spawn('child', function* () {
              yield read('x');
              const seen = world.x;
              yield check(seen !== 0, 'init-visible', `child saw x = ${seen}`);
              yield write('x');
              world.x = 2;
            });
            yield write('x');
            world.x = 3;
            yield join('child');
          },
        }],
        stateKey: () => String(world.x),
      };
    });
    // The child never sees x before the write that precedes the spawn; its write races with the parent's.
    const r = explore({ model: m, strategy: 'dpor', bound: Infinity, stopAtFirst: false });
    expect(r.outcome).toBe('verified');
    expect(r.distinctTerminalStates).toBe(2);
  });

  it('a spawn of an existing name, a join of an unknown task or of itself is a model error', () => {
    const dup = runExecution(one(function* () { yield spawn('T', function* () {}); }), new PrefixChooser([]));
    expect(dup.violation?.kind).toBe('model-error');
    expect(dup.violation?.message).toMatch(/a task named "T" already exists/);
    expect(runExecution(one(function* () { yield join('nobody'); }), new PrefixChooser([])).violation?.message).toMatch(/no task named "nobody"/);
    expect(runExecution(one(function* () { yield join('T'); }), new PrefixChooser([])).violation?.message).toMatch(/cannot join itself/);
  });
});

/** A consumer waits for a flag under a mutex; a producer sets it and signals. */
function handoff(loop: boolean, kind: 'signal' | 'broadcast' = 'signal', consumers = 1): Model {
  return model(`handoff-${loop}-${kind}-${consumers}`, () => {
    const world = { flag: false, got: 0 };
    function* consumer(): Task {
      yield lock('m');
      yield read('flag');
      if (loop) {
        while (!world.flag) {
          yield condWait('c', 'm');
          yield read('flag');
        }
      } else if (!world.flag) {
        yield condWait('c', 'm');
      }
      world.got++;
      yield unlock('m');
    }
    function* producer(): Task {
      yield lock('m');
      yield write('flag');
      world.flag = true;
      yield kind === 'signal' ? signal('c') : broadcast('c');
      yield unlock('m');
    }
    return {
      tasks: [...Array.from({ length: consumers }, (_, i) => ({ name: `consumer${i}`, run: consumer })), { name: 'producer', run: producer }],
      finalCheck: () => (world.got === consumers ? null : `${world.got} of ${consumers} consumers got through`),
      stateKey: () => String(world.got),
    };
  });
}

describe('condition variables', () => {
  it('the waiting loop is correct under every strategy', () => {
    for (const strategy of ['dfs', 'dpor', 'delay'] as const) {
      expect(explore({ model: handoff(true), strategy, bound: Infinity }).outcome, strategy).toBe('verified');
      expect(explore({ model: handoff(true, 'broadcast', 2), strategy, bound: Infinity }).outcome, strategy).toBe('verified');
    }
  });

  it('one signal wakes one of two waiters: the other sleeps forever (a deadlock)', () => {
    const r = explore({ model: handoff(true, 'signal', 2), strategy: 'dpor', bound: Infinity });
    expect(r.outcome).toBe('bug');
    expect(r.trace!.violation!.kind).toBe('deadlock');
    expect(r.trace!.violation!.message).toMatch(/waits on c/);
  });

  it('the signal is lost when nobody waits yet, as in POSIX', () => {
    // The waiter does not check a flag first: when the signaller runs first, its signal is lost.
    const m = model('lost-signal', () => {
      const world = { got: false };
      return {
        tasks: [
          { name: 'waiter', run: function* () { yield lock('m'); yield condWait('c', 'm'); world.got = true; yield unlock('m'); } },
          { name: 'signaller', run: function* () { yield lock('m'); yield signal('c'); yield unlock('m'); } },
        ],
        stateKey: () => String(world.got),
      };
    });
    for (const strategy of ['dfs', 'dpor', 'delay'] as const) {
      const r = explore({ model: m, strategy, bound: Infinity });
      expect(r.outcome, strategy).toBe('bug');
      expect(r.trace!.violation!.kind, strategy).toBe('deadlock');
    }
  });

  it('waiting without holding the mutex is a bad unlock', () => {
    const r = runExecution(one(function* () { yield condWait('c', 'm'); }), new PrefixChooser([]));
    expect(r.violation?.kind).toBe('bad-unlock');
    expect(r.violation?.message).toMatch(/without holding m/);
  });

  it('runSync runs a signal with nobody waiting as a no-op', () => {
    expect(runSync((function* (): Task<number> { yield signal('c'); return 7; })())).toBe(7);
  });
});

describe('check, evaluated when it runs', () => {
  it('a thunk sees the state at its step, not when the op was built', () => {
    const m = model('check-thunk', () => {
      const world = { x: 0 };
      return {
        tasks: [
          {
            name: 'checker', run: function* () {
              const op = check(() => world.x === 0, 'still-zero', () => `x is ${world.x}`);
              yield step('before');
              yield op;
            },
          },
          { name: 'writer', run: function* () { yield write('x'); world.x = 1; } },
        ],
      };
    });
    const r = explore({ model: m, strategy: 'dfs', bound: 1 });
    expect(r.outcome).toBe('bug');
    expect(r.trace!.violation!.message).toMatch(/x is 1/);
  });
});

describe('model errors', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['yield undefined', undefined, /yielded undefined, not an operation/],
    ['yield 42', 42, /yielded 42, not an operation/],
    ['an unknown kind', { kind: 'sleep', label: 'zzz' }, /unknown kind "sleep"/],
    ['a lock without its id', { kind: 'lock', mode: 'write', try: false, label: 'l' }, /lock operation whose lock is undefined/],
    ['a choice of arity 0', { kind: 'choice', name: 'c', arity: 0, label: 'c' }, /arity is 0/],
  ];
  for (const [name, op, message] of bad) {
    it(`${name} is reported as a model error, not run as a no-op`, () => {
      const m = model(`bad-${name}`, () => one(function* () { yield op as Op; }));
      const r = explore({ model: m });
      expect(r.outcome).toBe('bug');
      expect(r.trace!.violation!.kind).toBe('model-error');
      expect(r.trace!.violation!.message).toMatch(message);
    });
  }
});

describe('the pending operations an observer sees', () => {
  const instance = (): ModelInstance => ({
    tasks: [
      { name: 'A', run: function* () { yield lock('L', 'write', 'A takes L'); yield write('x', 'A writes x'); yield unlock('L', 'write', 'A drops L'); } },
      { name: 'B', run: function* () { yield read('x', 'B reads x'); yield step('B done'); } },
    ],
  });
  const first = { choose: (p: { readonly options: readonly number[] }) => p.options[p.options.length - 1]! };

  it('are every task\'s next operation, filled in before each step, unless the observer says it never reads them', () => {
    const seen = (readsPending: boolean | undefined): string[] => {
      const log: string[] = [];
      const observer = {
        ...(readsPending !== undefined ? { readsPending } : {}),
        beforeStep: (task: number, op: Op, _ready: readonly number[], pending: readonly (Op | null)[]) => {
          log.push(`${task}:${op.label}|${pending.map((p) => p?.label ?? '-').join(',')}`);
          return true;
        },
      };
      const run = runExecution(instance(), first, { observer });
      expect(run.violation).toBeNull();
      return log;
    };
    const filled = seen(undefined);
    expect(filled[0]).toBe('1:B reads x|A takes L,B reads x');
    expect(filled.every((line) => line.split('|')[1] !== '')).toBe(true);
    expect(seen(true)).toEqual(filled);
    // Not filled in: the same steps, the same tasks, an array the observer must not read.
    const bare = seen(false);
    expect(bare.map((line) => line.split('|')[0])).toEqual(filled.map((line) => line.split('|')[0]));
    expect(bare.every((line) => line.split('|')[1] === '')).toBe(true);
  });
});
