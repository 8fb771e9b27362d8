// check_erase2_testset and check_erase2_sets (tools/testing/radix-tree/maple.c, Linux 6.18):
// the 43 VMA traces replayed with the kernel's checks after every operation — the tree validates,
// two different iterators count the expected number of entries, index 0 stays empty — and each
// set's own flags and follow-up checks. The kernel computes the expected count with its own
// helper (mas_ce2_over_count); we take it from the reference range model instead.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX, ZERO_ENTRY } from '../../src/index.js';
import { RangeModel } from '../tree/reference-model.js';
import { xaMkValue } from './helpers.js';

interface Fixture { sets: Record<string, Array<['STORE' | 'SNULL' | 'ERASE', number, number]>> }
const fixture = JSON.parse(readFileSync(new URL('../fixtures/erase2-sets.json', import.meta.url), 'utf8')) as Fixture;

/** check_erase2_testset */
function replay(tree: MapleTree, set: string): void {
  const model = new RangeModel();
  for (const [op, start, end] of fixture.sets[set]!) {
    if (op === 'STORE') {
      tree.storeRange(start, end, xaMkValue(start));
      model.storeRange(start, end, xaMkValue(start));
    } else if (op === 'SNULL') {
      tree.storeRange(start, end, undefined);
      model.storeRange(start, end, undefined);
    } else if (model.load(start) !== undefined) {
      // check_erase: the erase returns what the STORE at that start put there.
      expect(tree.erase(start)).toBe(xaMkValue(start));
      model.erase(start);
    }
    tree.validate();
    const expected = model.ranges.filter((r) => r.entry !== undefined).length;
    if (expected > 0) expect(tree.height).toBeGreaterThan(0);
    // mt_for_each
    let check = 0;
    tree.forEach(() => void check++);
    expect(check, `${set}: ${op} ${start}-${end} (mt_for_each)`).toBe(expected);
    // mas_for_each, skipping XA_ZERO_ENTRY
    check = 0;
    const mas = tree.state(0);
    for (let e = mas.find(MAX_INDEX); e !== undefined; e = mas.find(MAX_INDEX)) if (e !== ZERO_ENTRY) check++;
    expect(check, `${set}: ${op} ${start}-${end} (mas_for_each)`).toBe(expected);
    expect(tree.load(0)).toBeUndefined();
  }
}

/** What check_erase2_sets does after some sets; the tree flags are MT_FLAGS_ALLOC_RANGE unless noted. */
const after: Record<string, (t: MapleTree) => void> = {
  set2: (t) => expect(t.find(140735933894656, 140735933906943)).toBeUndefined(),
  set11: (t) => {
    const mas = t.state(0);
    mas.emptyAreaRev(12288, 140014592737280, 0x2000);
    expect(mas.last).toBe(140014592573439);
  },
  set12: (t) => {
    let count = 0;
    t.forEach(() => void count++);
    expect(count).toBeLessThanOrEqual(13);
  },
  set13: (t) => {
    t.erase(140373516443648);
    const mas = t.state(0);
    mas.emptyAreaRev(0, 140373518663680, 4096);
    expect(mas.last - mas.index + 1).toBe(4096);
  },
  set16: (t) => expectGapEnd(t, 4096, 139921865637888, 0x6000, 139921865547775),
  set17: (t) => expectGapEnd(t, 4096, 139953197334528, 0x1000, 139953197322239),
  set18: (t) => expectGapEnd(t, 4096, 140222972858368, 2215936, 140222968475647),
  set19: (t) => {
    const mas = t.state(140656779083776);
    expect(mas.find(MAX_INDEX)).toBe(xaMkValue(140656779083776));
    expect(mas.prev(0)).toBe(xaMkValue(140656766251008));
  },
  set20: (t) => expect(t.load(94849009414144)).toBeUndefined(),
  set22: (t) => expect(t.load(140551363362816)).not.toBe(t.load(140551363420159)),
  set26: (t) => expectGapEnd(t, 4096, 140109042671616, 409600, 140109040959487),
  set27: (t) => expect(t.load(140415537422336)).toBeUndefined(),
  set28: (t) => {
    const mas = t.state(0);
    mas.emptyAreaRev(4096, 139918413357056, 2097152);
    // The gap's start, aligned as the mmap code does (64-bit masks: computed in BigInt).
    const aligned = (BigInt(mas.last) + 1n - 2097152n) & ~2093056n;
    expect(aligned).toBe(139918401601536n);
  },
  set33: (t) => expectGapEnd(t, 4096, 140583656296448, 134217728, 140583003750399),
  set37: (t) => expect(t.load(94637033459712)).toBeUndefined(),
  set38: (t) => expect(t.load(94637033459712)).toBeUndefined(),
  set42: (t) => expectGapEnd(t, 4096, 4052029440, 28672, 4041211903),
};

function expectGapEnd(t: MapleTree, min: number, max: number, size: number, last: number): void {
  const mas = t.state(0);
  mas.emptyAreaRev(min, max, size);
  expect(mas.last).toBe(last);
}

/** Sets check_erase2_sets runs on a tree without MT_FLAGS_ALLOC_RANGE. */
const PLAIN = new Set(['set', 'set3', 'set4']);

describe('check_erase2_sets', () => {
  it('has all 43 sets of the fixture', () => {
    expect(Object.keys(fixture.sets)).toHaveLength(43);
    expect(Object.values(fixture.sets).reduce((n, s) => n + s.length, 0)).toBe(32656);
  });

  for (const set of Object.keys(fixture.sets)) {
    it(set, () => {
      const tree = new MapleTree({ allocRange: !PLAIN.has(set) });
      replay(tree, set);
      after[set]?.(tree);
      tree.validate();
      tree.destroy();
      expect(tree.allocator.live).toBe(0);
    });
  }
});
