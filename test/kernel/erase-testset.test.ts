// check_erase_testset of tools/testing/radix-tree/maple.c (Linux 6.18): inserts and erases of a
// fixed set in RCU mode — erasing into a single leaf, appends after erases, coalescing as a run of
// entries goes, and a tree that shrinks back as everything is erased.
import { describe, expect, it } from 'vitest';
import { MapleTree } from '../../src/index.js';
import { checkInsertRange, checkLoad } from './checks.js';

const SET = [
  5015, 5014, 5017, 25, 1000, 1001, 1002, 1003, 1005, 0,
  6003, 6002, 6008, 6012, 6015, 7003, 7002, 7008, 7012, 7015,
  8003, 8002, 8008, 8012, 8015, 9003, 9002, 9008, 9012, 9015,
  10003, 10002, 10008, 10012, 10015, 11003, 11002, 11008, 11012, 11015,
  12003, 12002, 12008, 12012, 12015, 13003, 13002, 13008, 13012, 13015,
  14003, 14002, 14008, 14012, 14015, 15003, 15002, 15008, 15012, 15015,
];

describe('check_erase_testset', () => {
  it('the whole sequence, every load checked after each step', () => {
    const t = new MapleTree();
    // The kernel alternates two pointers: the test function's address and the tree's.
    const entry = [{ stands_for: '&check_erase_testset' }, t];
    const ins = (i: number): void => checkInsertRange(t, SET[i]!, SET[i]!, entry[i % 2], 0);
    const load = (i: number): void => checkLoad(t, SET[i]!, entry[i % 2]);
    const erase = (i: number): void => expect(t.erase(SET[i]!), `erase ${SET[i]}`).toBe(entry[i % 2]);
    const none = (index: number): void => checkLoad(t, index, undefined);
    /** After erases: indices in `gone` read NULL, the rest of the first `n` read their entry. */
    const loadsExcept = (n: number, gone: (i: number) => boolean): void => {
      for (let i = 0; i < n; i++) {
        if (gone(i)) none(SET[i]!);
        else load(i);
      }
    };

    t.setRcu(true);
    for (let i = 0; i < 4; i++) ins(i);
    for (let i = 0; i < 4; i++) load(i);

    t.allocator.setNonKernel(2);
    erase(1);
    load(0);
    none(SET[1]!);
    for (let i = 2; i < 4; i++) load(i);

    erase(2);
    load(0);
    none(SET[1]!);
    none(SET[2]!);

    ins(1);
    ins(2);
    for (let i = 0; i < 4; i++) load(i);

    // Erase and load without an allocation.
    load(3);
    erase(1);
    load(0);
    none(SET[1]!);
    for (let i = 2; i < 4; i++) load(i);

    ins(1);
    load(0);
    none(5016);
    load(1);
    none(5013);
    load(2);
    none(5018);
    load(3);

    erase(2); // 5017: the next insert appends
    load(0);
    none(5016);
    load(1);
    none(5013);
    none(SET[2]!);
    none(5018);
    load(3);

    const rootNode = t.root;
    ins(2);
    load(0);
    none(5016);
    load(1);
    none(5013);
    load(2);
    none(5018);
    load(3);

    t.allocator.setNonKernel(1);
    erase(2);
    load(0);
    none(5016);
    none(SET[2]!);
    erase(0);
    none(SET[0]!);
    none(5016);
    ins(4); // 1000: must not split
    none(SET[0]!);
    none(5016);
    load(1);
    none(5013);
    none(SET[2]!);
    none(5018);
    load(4);
    none(999);
    none(1001);
    load(4);
    // In RCU mode every change above wrote a new root leaf.
    expect(t.root).not.toBe(rootNode);
    expect(t.root!.isLeaf).toBe(true);

    // Coalescing.
    ins(0);
    ins(2);
    for (let i = 5; i < 25; i++) {
      ins(i);
      for (let j = i; j >= 0; j--) load(j);
    }
    const erased = new Set<number>();
    const eraseAndCheck = (i: number): void => {
      erase(i);
      erased.add(i);
      loadsExcept(25, (k) => erased.has(k));
    };
    eraseAndCheck(14); // 6015
    eraseAndCheck(16); // 7002
    t.allocator.setNonKernel(1);
    eraseAndCheck(13); // 6012
    eraseAndCheck(15); // 7003
    t.allocator.setNonKernel(2);
    eraseAndCheck(17); // 7008: should coalesce
    eraseAndCheck(18); // 7012
    t.allocator.setNonKernel(2);
    eraseAndCheck(19); // 7015
    eraseAndCheck(20); // 8003
    eraseAndCheck(21); // 8002
    t.allocator.setNonKernel(2);
    eraseAndCheck(22); // 8008
    for (let i = 23; i < 25; i++) erase(i);
    loadsExcept(25, (k) => k >= 13);

    // A shrinking tree.
    for (let i = 13; i < SET.length; i++) ins(i);
    t.allocator.setNonKernel(99);
    for (let i = 18; i < SET.length; i++) {
      erase(i);
      loadsExcept(SET.length, (j) => !(j < 18 || j > i));
    }
    t.allocator.setNonKernel(35);
    for (let i = 0; i < 18; i++) {
      erase(i);
      loadsExcept(SET.length, (j) => !(j < 18 && j > i));
    }
    ins(8);
    ins(9);
    erase(8);
    t.validate();
  });
});
