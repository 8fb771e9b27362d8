/**
 * Random small programs for checking the checker (checker.test.ts, and its soak in
 * test/soak/checker.soak.ts): the programs, a direct enumeration of their terminal states, and
 * each search's terminal states; the two properties that cost the most take their run count, so
 * `npm test` runs a share of the soak's.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  delayStrategy, deviationStrategy, DporSearch, lock, nextDfsPrefix, PrefixChooser, read, runExecution, unlock, write,
  type BoundedSearch, type ModelInstance, type Task,
} from '../../src/explore/index.js';
import { hbClass } from './hb-class.js';

/** Random small programs: tasks of locked or unlocked increments and copies over shared variables. */
export interface Step { k: 'lock' | 'unlock' | 'inc' | 'copy'; a: number; b: number }

const stepArb = fc.oneof(
  fc.record({ k: fc.constant('inc' as const), a: fc.integer({ min: 0, max: 1 }), b: fc.constant(0) }),
  fc.record({ k: fc.constant('copy' as const), a: fc.integer({ min: 0, max: 1 }), b: fc.integer({ min: 0, max: 1 }) }),
);
const blockArb = fc.tuple(fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }), fc.array(stepArb, { minLength: 1, maxLength: 1 }))
  .map(([l, body]): Step[] => (l === undefined ? body : [{ k: 'lock', a: l, b: 0 }, ...body, { k: 'unlock', a: l, b: 0 }]));
const taskArb = fc.array(blockArb, { minLength: 1, maxLength: 2 }).map((bs) => bs.flat());
// Small enough that every interleaving can be run: at most 14 yields in all.
export const programArb = fc.array(taskArb, { minLength: 2, maxLength: 3 })
  .filter((p) => p.reduce((n, t) => n + t.reduce((m, s) => m + (s.k === 'lock' || s.k === 'unlock' ? 1 : 2), 0), 0) <= 14);

/**
 * The program as a model. With `classes`, the state key also carries the execution's
 * happens-before class: per object, its operations in order, with the reads between two writes
 * (which commute) sorted — two executions are equivalent exactly when these agree.
 */
export function instance(program: Step[][], classes = false): ModelInstance {
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
export function oracleStates(program: Step[][]): Set<string> {
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

export function dfsStates(program: Step[][], bound: number, classes = false): Set<string> {
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
export function delayStates(program: Step[][], bound: number, classes = false): Set<string> {
  return boundedStates(delayStrategy(bound), program, classes);
}

/** The terminal states of a bounded search, bound after bound as explore runs it. */
function boundedStates(strategy: BoundedSearch, program: Step[][], classes: boolean): Set<string> {
  const out = new Set<string>();
  while (strategy.start()) {
    const run = runExecution(instance(program, classes), strategy, { record: false });
    strategy.finish(run);
    out.add(run.violation ? run.violation.kind : run.stateKey);
  }
  return out;
}

/** DPOR's terminal states (with happens-before classes) and its executions, pruned ones apart. */
export function dporStates(program: Step[][], bound: number): { states: Set<string>; executions: number } {
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

/** Unbounded DFS reaches exactly the terminal states of a direct enumeration of every interleaving. */
export function dfsAgreesWithOracle(numRuns: number): void {
  fc.assert(fc.property(programArb, (program) => {
    expect(dfsStates(program, 99)).toEqual(oracleStates(program));
  }), { numRuns });
}

/** Unbounded delay bounding reaches DFS's states and happens-before classes; bounded, a growing subset. */
export function delayAgreesWithDfs(numRuns: number): void {
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
  }), { numRuns });
}

/**
 * Unbounded deviation bounding reaches DFS's states and happens-before classes; at each bound k,
 * everything delay bounding reaches with k delays and nothing preemption bounding misses with k
 * preemptions (k delays make at most k deviations, and each preemption is one).
 */
export function deviationBetweenDelayAndDfs(numRuns: number): void {
  fc.assert(fc.property(programArb, (program) => {
    expect(boundedStates(deviationStrategy(Infinity), program, true)).toEqual(dfsStates(program, 99, true));
    for (const bound of [0, 1, 2]) {
      const s = boundedStates(deviationStrategy(bound), program, true);
      for (const x of delayStates(program, bound, true)) expect(s.has(x), `bound ${bound}: ${x} of delay bounding`).toBe(true);
      const dfs = dfsStates(program, bound, true);
      for (const x of s) expect(dfs.has(x), `bound ${bound}: ${x} beyond preemption bounding`).toBe(true);
    }
  }), { numRuns });
}

/** DPOR with sleep sets reaches exactly DFS's states and classes at every bound, in no more executions than classes. */
export function dporAgreesWithDfs(numRuns: number): void {
  fc.assert(fc.property(programArb, (program) => {
    for (const bound of [Infinity, 0, 1, 2]) {
      const dfs = dfsStates(program, bound === Infinity ? 99 : bound, true);
      const dpor = dporStates(program, bound);
      expect(dpor.states, `bound ${bound}`).toEqual(dfs);
      // Never more executions than classes (each class once, or pruned by a sleep set).
      if (bound === Infinity) expect(dpor.executions).toBeLessThanOrEqual(dfs.size);
    }
  }), { numRuns });
}
