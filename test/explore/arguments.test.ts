/**
 * runExecution checks its options on every execution, so the well-formed case is tested without
 * building messages and anything else falls through to the checks that name the culprit. These
 * tests hold both against a plain reference: an options object is accepted exactly when every key
 * is known and every value is one the option takes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLASSICS, PrefixChooser, runExecution } from '../../src/explore/index.js';

const fn = (): boolean => true;

/** Values tried for every option: the good ones of each and the usual bad ones. */
const VALUES: ReadonlyArray<readonly [string, unknown]> = [
  ['undefined', undefined], ['null', null], ['0', 0], ['1', 1], ['1.5', 1.5], ['-1', -1], ['NaN', NaN], ['Infinity', Infinity],
  ['2^53', 2 ** 53], ['a string', 'x'], ['true', true], ['a BigInt', 1n], ['{}', {}], ['[]', []], ['a function', fn],
  ['an observer', { beforeStep: fn }], ['an observer with no beforeStep', { orders: fn }],
  ['a fault plan', { nth: 1, mode: 'once' }], ['a persistent plan at a site', { nth: 2, mode: 'persistent', site: 's', task: 'A' }],
  ['a plan with nth 0', { nth: 0, mode: 'once' }], ['a plan with an extra key', { nth: 1, mode: 'once', colour: 'red' }],
  ['a plan with a numeric task', { nth: 1, mode: 'once', task: 3 }],
];

const isPlan = (v: unknown): boolean => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return Number.isSafeInteger(o['nth']) && (o['nth'] as number) >= 1 && (o['mode'] === 'once' || o['mode'] === 'persistent') &&
    ['task', 'site'].every((k) => o[k] === undefined || typeof o[k] === 'string') && Object.keys(o).every((k) => ['nth', 'mode', 'task', 'site'].includes(k));
};

/** The reference: which values each option takes (undefined is always "not given"). */
const TAKES: Readonly<Record<string, (v: unknown) => boolean>> = {
  observer: (v) => v === null || (typeof v === 'object' && !Array.isArray(v) && typeof (v as { beforeStep?: unknown }).beforeStep === 'function'),
  fault: (v) => v === null || isPlan(v),
  allocate: (v) => v === null || typeof v === 'function',
  maxSteps: (v) => typeof v === 'number' && v >= 1 && (Number.isSafeInteger(v) || v === Infinity),
  record: (v) => typeof v === 'boolean',
  deadline: (v) => typeof v === 'number' && !Number.isNaN(v),
};

const KEYS = [...Object.keys(TAKES), 'maxstep', 'observers'];

describe('runExecution option checks', () => {
  it('accept exactly the options the reference accepts, and name the option they refuse', () => {
    const model = CLASSICS[0]!;
    fc.assert(fc.property(
      fc.dictionary(fc.constantFrom(...KEYS), fc.nat(VALUES.length - 1), { maxKeys: 4 }),
      (picked) => {
        const options: Record<string, unknown> = {};
        for (const [key, i] of Object.entries(picked)) options[key] = VALUES[i]![1];
        const valid = Object.entries(options).every(([key, value]) => TAKES[key] !== undefined && (value === undefined || TAKES[key](value)));
        let refused: unknown = null;
        try {
          runExecution(model.build(model.variants[0]!), new PrefixChooser([]), options);
        } catch (e) {
          refused = e;
        }
        if (valid) {
          expect(refused, JSON.stringify(picked)).toBeNull();
        } else {
          expect(refused instanceof TypeError || refused instanceof RangeError, String(refused)).toBe(true);
          const culprit = Object.entries(options).find(([key, value]) => TAKES[key] === undefined || (value !== undefined && !TAKES[key](value)))![0];
          expect((refused as Error).message).toContain(culprit);
        }
      },
    ), { numRuns: 2000 });
  });

  it('refuses an instance or chooser that is not one, naming it, before any task starts', () => {
    let started = 0;
    const task = { name: 'T', run: function* () { started++; yield* []; } };
    const bad: ReadonlyArray<readonly [unknown, unknown, RegExp]> = [
      [{ tasks: [task, { name: 'U' }] }, new PrefixChooser([]), /instance\.tasks\[1\]\.run must be a function/],
      [{ tasks: [task, { name: 7, run: task.run }] }, new PrefixChooser([]), /instance\.tasks\[1\]\.name must be a string, got 7/],
      [{ tasks: [task], stateKey: 'k' }, new PrefixChooser([]), /instance\.stateKey must be a function/],
      [{ tasks: 'T' }, new PrefixChooser([]), /instance\.tasks must be an array/],
      [{ tasks: [task] }, { choose: 0 }, /chooser\.choose must be a function/],
      [{ tasks: [task] }, null, /chooser must be a chooser/],
    ];
    for (const [instance, chooser, message] of bad) {
      expect(() => runExecution(instance as never, chooser as never), String(message)).toThrow(message);
    }
    expect(started).toBe(0);
  });
});
