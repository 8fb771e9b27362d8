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
import { afterAll, describe, expect, it } from 'vitest';
import * as tree from '../../src/index.js';
import * as mm from '../../src/mm/index.js';
import * as explore from '../../src/explore/index.js';
import * as study from '../../src/study/index.js';
import { rowsOf, type Entry, type Outcome } from './harness.js';
import { EXPLORE_ROWS } from './explore.rows.js';
import { MM_ROWS } from './mm.rows.js';
import { PENDING } from './pending.js';
import { releaseStudyWorld, STUDY_ROWS } from './study.rows.js';
import { TREE_ROWS } from './tree.rows.js';

const MODULES: ReadonlyArray<[string, Record<string, unknown>, ReadonlyArray<Entry<never>>]> = [
  ['mapletree', tree, TREE_ROWS as unknown as ReadonlyArray<Entry<never>>],
  ['mapletree/mm', mm, MM_ROWS as unknown as ReadonlyArray<Entry<never>>],
  ['mapletree/explore', explore, EXPLORE_ROWS as unknown as ReadonlyArray<Entry<never>>],
  ['mapletree/study', study, STUDY_ROWS as unknown as ReadonlyArray<Entry<never>>],
];


describe('the public surface refuses bad input', () => {
  afterAll(releaseStudyWorld);

  for (const [module, exports, entries] of MODULES) {
    it(`${module}: every exported function and constructor has rows`, () => {
      const covered = new Set(entries.map((e) => e.name.split('#')[0]));
      const missing = Object.entries(exports).filter(([, v]) => typeof v === 'function').map(([k]) => k).filter((k) => !covered.has(k));
      expect(missing, `exports of ${module} without rows`).toEqual([]);
    });
  }

  it('every row refuses clearly and leaves its structure as it was', async () => {
    const outcomes: Array<Outcome & { module: string }> = [];
    for (const [module, , entries] of MODULES) {
      for (const entry of entries) for (const { run } of rowsOf(entry)) outcomes.push({ ...(await run()), module });
    }
    const bad = (o: Outcome): boolean => o.verdict === 'silent' || o.verdict === 'unclear' || o.verdict === 'corrupted';
    const count = (os: readonly Outcome[], v: string): number => os.filter((o) => o.verdict === v).length;
    for (const [module] of MODULES) {
      const mine = outcomes.filter((o) => o.module === module);
      const open = mine.filter((o) => !PENDING.has(o.row));
      const pending = mine.filter((o) => PENDING.has(o.row) && bad(o));
      console.log(`adversarial ${module}: ${mine.length} calls tried, ${count(mine, 'clear')} clear errors, ${count(mine, 'accepted')} accepted as the kernel or API does;` +
        ` silent acceptances ${count(open, 'silent')}, unclear errors ${count(open, 'unclear')}, corruptions ${count(open, 'corrupted')};` +
        ` pending on their owner: ${pending.length} (${count(pending, 'silent')} silent, ${count(pending, 'unclear')} unclear, ${count(pending, 'corrupted')} corrupted)`);
    }
    const owners = new Map<string, number>();
    for (const o of outcomes) if (PENDING.has(o.row) && bad(o)) owners.set(PENDING.get(o.row)!, (owners.get(PENDING.get(o.row)!) ?? 0) + 1);
    for (const [owner, n] of owners) console.log(`adversarial pending: ${n} rows owned by ${owner}`);
    const unexpected = outcomes.filter((o) => bad(o) && !PENDING.has(o.row)).map((o) => `${o.verdict}: ${o.row}: ${o.detail}`);
    const fixed = [...PENDING.keys()].filter((row) => !outcomes.some((o) => o.row === row && bad(o)));
    expect(unexpected).toEqual([]);
    expect(fixed, 'pending rows that now pass (or no longer exist): take them off test/adversarial/pending.ts').toEqual([]);
  });
});
