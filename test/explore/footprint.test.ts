/**
 * Footprints: a task that declares what it may touch lets the scheduler run another task's steps it
 * cannot see without a decision before them. The searches must reach exactly the terminal states
 * (and violations) they reach without footprints, at every bound, with fewer decisions; a step
 * outside a task's footprint, or a guard lock first taken after a step that counted on the guards,
 * is a model-error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  check, DporSearch, lock, nextDfsPrefix, PrefixChooser, read, runExecution, unlock, write, type Footprint, type ModelInstance, type Task,
} from '../../src/explore/index.js';

/**
 * A step: an increment of a shared (v0, v1), private (p) or guarded (gv, under lock g) variable, a
 * lock block, an increment of sv under lock s write-held, or a scan: lock s or h taken for reading
 * and sv or v1 read n times, each value seen remembered (a scanner's walk: pure reads, the task's
 * own record of them). Only a scan of sv under s cannot meet a write.
 */
type Step = { k: 'inc'; v: 'v0' | 'v1' | 'p' } | { k: 'guarded'; n: number } | { k: 'lock' } | { k: 'sw' }
  | { k: 'scan'; n: number; lock: 's' | 'h'; v: 'sv' | 'v1' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ k: fc.constant('inc' as const), v: fc.constantFrom('v0' as const, 'v1' as const, 'p' as const, 'p' as const) }),
  fc.record({ k: fc.constant('guarded' as const), n: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ k: fc.constant('lock' as const) }),
  fc.record({ k: fc.constant('sw' as const) }),
  fc.record({ k: fc.constant('scan' as const), n: fc.integer({ min: 1, max: 3 }), lock: fc.constantFrom('s' as const, 's' as const, 'h' as const), v: fc.constantFrom('sv' as const, 'sv' as const, 'v1' as const) }),
);
const stepCost = (s: Step): number => (s.k === 'guarded' ? 3 + 2 * s.n : s.k === 'lock' || s.k === 'sw' ? 4 : s.k === 'scan' ? 2 + s.n : 2);
const programArb = fc.array(fc.array(stepArb, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 })
  .filter((p) => p.flat().reduce((n, s) => n + stepCost(s), 0) <= 13);

/** The variable a task's step names: `p` is the task's own. */
const name = (v: string, t: number): string => (v === 'p' ? `p${t}` : v);

/**
 * The program as a model; with `footprints`, each task declares exactly what its steps touch: its
 * variables and locks freely, `gv` only under the guard lock `g`; sv written only with s
 * write-held, and its scans' reads pure.
 */
function instance(program: Step[][], footprints: boolean): ModelInstance {
  const vars = new Map<string, number>();
  const seen: string[][] = program.map(() => []);
  const inc = function* (obj: string): Task {
    yield read(obj);
    const x = vars.get(obj) ?? 0;
    yield write(obj);
    vars.set(obj, x + 1);
  };
  function* run(steps: Step[], t: number): Task {
    for (const s of steps) {
      if (s.k === 'inc') yield* inc(name(s.v, t));
      else if (s.k === 'lock') {
        yield lock('l');
        yield* inc('v0');
        yield unlock('l');
      } else if (s.k === 'sw') {
        yield lock('s');
        yield* inc('sv');
        yield unlock('s');
      } else if (s.k === 'scan') {
        yield lock(s.lock, 'read');
        for (let i = 0; i < s.n; i++) {
          yield read(s.v);
          seen[t]!.push(String(vars.get(s.v) ?? 0));
        }
        yield unlock(s.lock, 'read');
      } else {
        yield lock('g');
        for (let i = 0; i < s.n; i++) yield* inc('gv');
        // A check between the guarded steps: task-local, so never a decision of its own.
        yield check(true, 'ok', 'never fails');
        yield unlock('g');
      }
    }
  }
  const footprint = (steps: Step[], t: number): Footprint => {
    const own = new Set<string>(['g']);
    for (const s of steps) {
      if (s.k === 'inc') own.add(name(s.v, t));
      if (s.k === 'lock') own.add('l').add('v0');
      if (s.k === 'sw') own.add('s').add('sv');
      if (s.k === 'scan') own.add(s.lock).add(s.v);
    }
    return {
      touches: (x) => own.has(x), guards: (id) => id === 'g', guardedBy: (x, id) => x === 'gv' && id === 'g',
      writeLock: (x) => (x === 'sv' ? 's' : null), pureRead: (x) => x === 'sv' || x === 'v1',
    };
  };
  return {
    tasks: program.map((steps, t) => ({ name: `T${t}`, run: () => run(steps, t), ...(footprints ? { footprint: footprint(steps, t) } : {}) })),
    stateKey: () => [...[...vars].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`), ...seen.map((s, t) => `T${t} saw ${s.join(' ')}`)].join(','),
  };
}

function dfs(program: Step[][], bound: number, footprints: boolean): { states: Set<string>; decisions: number } {
  const states = new Set<string>();
  let decisions = 0;
  let prefix: number[] | null = [];
  while (prefix !== null) {
    const run = runExecution(instance(program, footprints), new PrefixChooser(prefix), { record: false });
    states.add(run.violation ? `${run.violation.kind}: ${run.violation.message}` : run.stateKey);
    decisions += run.decisions.length;
    prefix = nextDfsPrefix(run.decisions, run.points, bound);
  }
  return { states, decisions };
}

function dpor(program: Step[][], bound: number, footprints: boolean): Set<string> {
  const states = new Set<string>();
  const search = new DporSearch(bound);
  search.start();
  do {
    const run = runExecution(instance(program, footprints), search, { record: false, observer: search });
    if (!run.pruned) states.add(run.violation ? `${run.violation.kind}: ${run.violation.message}` : run.stateKey);
  } while (search.next());
  return states;
}

describe('footprints', () => {
  it('DFS reaches the same states at every bound with footprints as without, never with more decisions (property)', () => {
    fc.assert(fc.property(programArb, (program) => {
      for (const bound of [0, 1, 2, 99]) {
        const plain = dfs(program, bound, false);
        const reduced = dfs(program, bound, true);
        expect(reduced.states, `bound ${bound}`).toEqual(plain.states);
        expect(reduced.decisions).toBeLessThanOrEqual(plain.decisions);
      }
    }), { numRuns: 40 });
  });

  it('DPOR reaches the same states with footprints as DFS without, bounded and not (property)', () => {
    fc.assert(fc.property(programArb, (program) => {
      for (const bound of [Infinity, 1]) expect(dpor(program, bound, true), `bound ${bound}`).toEqual(dfs(program, bound === Infinity ? 99 : bound, false).states);
    }), { numRuns: 25 });
  });

  it('regression (seed 915242308): two read sections of one lock overlap, so a write between a reader\'s reads is found at bound 1', () => {
    // T0 reads v1 twice under s taken for reading; T1 takes s for reading too, then writes v1.
    // "T0 saw 0 1" needs T1 to run inside T0's read section: DPOR had ordered T1's read acquire
    // after T0's read release, hiding the race of T1's write with T0's second read.
    const program: Step[][] = [
      [{ k: 'scan', n: 2, lock: 's', v: 'v1' }, { k: 'inc', v: 'v0' }],
      [{ k: 'scan', n: 1, lock: 's', v: 'sv' }, { k: 'inc', v: 'v1' }],
    ];
    const expected = dfs(program, 1, false).states;
    expect(expected).toContain('v0=1,v1=1,T0 saw 0 1,T1 saw 0');
    for (const footprints of [false, true]) expect(dpor(program, 1, footprints), `footprints ${footprints}`).toEqual(expected);
  });

  it('a private step is not a decision, nor a guarded one while its task write-holds the guard: fewer decisions, the same states', () => {
    // T0's private increment, and its guarded ones under g, are steps T1 cannot see.
    const program: Step[][] = [[{ k: 'inc', v: 'p' }, { k: 'guarded', n: 2 }], [{ k: 'guarded', n: 1 }]];
    const first = (footprints: boolean) => runExecution(instance(program, footprints), new PrefixChooser([]), { record: false });
    // The first run: who starts, then a decision before each of T0's steps while T1 may run (its
    // write of p0 and its lock of g; then T1 waits for g) — with footprints, before the lock only.
    expect(first(false).decisions.length).toBe(3);
    expect(first(true).decisions.length).toBe(2);
    const plain = dfs(program, 99, false);
    const reduced = dfs(program, 99, true);
    expect(reduced.states).toEqual(plain.states);
    expect(reduced.decisions).toBeLessThan(plain.decisions);
  });

  it('a pure read under a lock every other task writes its subject under is not a decision: fewer decisions, the same states', () => {
    // T0 scans sv under s held for reading; T1 increments v0, then writes sv only with s write-held.
    const program: Step[][] = [[{ k: 'scan', n: 3, lock: 's', v: 'sv' }], [{ k: 'inc', v: 'v0' }, { k: 'sw' }]];
    const first = (footprints: boolean) => runExecution(instance(program, footprints), new PrefixChooser([0]), { record: false });
    // Who starts (before T0's lock), then a decision before each of T0's steps while T1 may run
    // (its increment): three reads and the unlock — with footprints, the reads are none.
    expect(first(false).decisions.length).toBe(5);
    expect(first(true).decisions.length).toBe(2);
    for (const bound of [0, 1, 99]) {
      const plain = dfs(program, bound, false);
      const reduced = dfs(program, bound, true);
      expect(reduced.states, `bound ${bound}`).toEqual(plain.states);
      expect(reduced.decisions).toBeLessThan(plain.decisions);
    }
  });

  it('a read under another lock than the writers\', or of a subject written with no lock, stays a decision', () => {
    // Between T0's two reads T1 may write: T0 holds h, not s; and v1 has no write lock at all.
    for (const program of [
      [[{ k: 'scan', n: 2, lock: 'h', v: 'sv' }], [{ k: 'sw' }]],
      [[{ k: 'scan', n: 2, lock: 's', v: 'v1' }], [{ k: 'inc', v: 'v1' }]],
    ] as Step[][][]) {
      for (const bound of [1, 99]) {
        const reduced = dfs(program, bound, true).states;
        expect(reduced, `bound ${bound}`).toEqual(dfs(program, bound, false).states);
        expect([...reduced].some((k) => k.includes('T0 saw 0 1'))).toBe(true);
      }
    }
  });

  it('a write of a subject without the lock its footprint writes it under is a model-error', () => {
    const inst: ModelInstance = {
      tasks: [{ name: 'B', run: function* () { yield lock('g', 'read'); yield write('gv'); }, footprint: { touches: () => true, writeLock: (s) => (s === 'gv' ? 'g' : null) } }],
    };
    const run = runExecution(inst, new PrefixChooser([]), { record: false });
    expect(run.violation?.kind).toBe('model-error');
    expect(run.violation?.message).toBe('B: write gv: writes gv without holding g for writing (its footprint\'s writeLock)');
  });

  it('a step outside the task\'s footprint is a model-error', () => {
    const inst: ModelInstance = {
      tasks: [
        { name: 'A', run: function* () { yield write('x'); } },
        { name: 'B', run: function* () { yield read('y'); yield read('x'); }, footprint: { touches: (s) => s === 'y' } },
      ],
    };
    const run = runExecution(inst, new PrefixChooser([1]), { record: false });
    expect(run.violation?.kind).toBe('model-error');
    expect(run.violation?.message).toBe('B: read x: x is outside the task\'s footprint');
  });

  it('a guarded subject touched without its guard is a model-error', () => {
    const inst: ModelInstance = {
      tasks: [{ name: 'B', run: function* () { yield write('gv'); }, footprint: { touches: () => false, guards: (id) => id === 'g', guardedBy: (s, id) => s === 'gv' && id === 'g' } }],
    };
    expect(runExecution(inst, new PrefixChooser([]), { record: false }).violation?.message).toBe('B: write gv: gv is outside the task\'s footprint');
  });

  it('a guard lock first taken after a step that counted on the guards is a model-error', () => {
    const guarded: Footprint = { touches: (s) => s === 'g1' || s === 'g2', guards: (id) => id.startsWith('g'), guardedBy: (s, id) => s === 'gv' && id.startsWith('g') };
    const inst: ModelInstance = {
      tasks: [
        { name: 'A', run: function* () { yield lock('g1'); yield write('gv'); yield unlock('g1'); } },
        // B could touch gv under g2, a guard nobody had taken when A's write ran unoffered.
        { name: 'B', run: function* () { yield lock('g2'); yield write('gv'); yield unlock('g2'); }, footprint: guarded },
      ],
    };
    const run = runExecution(inst, new PrefixChooser([0]), { record: false });
    expect(run.violation?.kind).toBe('model-error');
    expect(run.violation?.message).toBe('B: guard lock g2 first taken after a step that relied on the guards taken before it');
  });
});
