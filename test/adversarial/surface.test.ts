/**
 * The permanent adversarial test (issue 21): every function and constructor exported by mapletree,
 * mapletree/mm, mapletree/explore and mapletree/study, called with each class of bad value in each
 * parameter (NaN, ±Infinity, -1, 1.5, 2^53, 2^53 + 2, strings, BigInt, null, undefined, plain
 * objects, arrays, objects with valueOf, wrong class instances) and with the named rows beyond
 * them (reversed ranges, empty and huge sizes, the cases of issue 21). Each call must refuse with
 * a MapleError / MmError carrying an errno, or a TypeError / RangeError, naming the argument, and
 * leave its structure exactly as it was — or be a value the row says the kernel or API accepts.
 *
 * A new export without an entry in the tables fails the coverage check. Rows whose hardening
 * belongs to another open issue are listed, by name, in PENDING: they run, they are counted and
 * printed, and a pending row that starts passing fails the test until it is taken off the list.
 */
import { describe, expect, it } from 'vitest';
import * as mm from '../../src/mm/index.js';
import { rowsOf, type Entry, type Outcome } from './harness.js';
import { MM_ROWS } from './mm.rows.js';

const MODULES: ReadonlyArray<[string, Record<string, unknown>, ReadonlyArray<Entry<never>>]> = [
  ['mapletree/mm', mm, MM_ROWS as unknown as ReadonlyArray<Entry<never>>],
];

/** Rows that fail today and belong to another issue's hardening: name → owner. */
const PENDING: ReadonlyMap<string, string> = new Map([]);

describe('the public surface refuses bad input', () => {
  for (const [module, exports, entries] of MODULES) {
    it(`${module}: every exported function and constructor has rows`, () => {
      const covered = new Set(entries.map((e) => e.name.split('#')[0]));
      const missing = Object.entries(exports).filter(([, v]) => typeof v === 'function').map(([k]) => k).filter((k) => !covered.has(k));
      expect(missing, `exports of ${module} without rows`).toEqual([]);
    });
  }

  it('every row refuses clearly and leaves its structure as it was', () => {
    const outcomes: Outcome[] = [];
    for (const [, , entries] of MODULES) for (const entry of entries) for (const { run } of rowsOf(entry)) outcomes.push(run());
    const failing = outcomes.filter((o) => o.verdict === 'silent' || o.verdict === 'unclear' || o.verdict === 'corrupted');
    const pending = failing.filter((o) => PENDING.has(o.row));
    const fixed = [...PENDING.keys()].filter((row) => !failing.some((o) => o.row === row));
    const count = (v: string): number => outcomes.filter((o) => o.verdict === v).length;
    console.log([
      `adversarial: ${outcomes.length} calls tried, ${count('clear')} clear errors, ${count('accepted')} accepted as the kernel/API does,`,
      `${count('silent')} silent acceptances, ${count('unclear')} unclear errors, ${count('corrupted')} corruptions`,
      `(${pending.length} of them pending on other issues: ${[...new Set(pending.map((o) => PENDING.get(o.row)))].join(', ') || 'none'})`,
    ].join(' '));
    const unexpected = failing.filter((o) => !PENDING.has(o.row)).map((o) => `${o.verdict}: ${o.row}: ${o.detail}`);
    expect(unexpected).toEqual([]);
    expect(fixed, 'pending rows that now pass: take them off PENDING').toEqual([]);
  });
});
