/**
 * The cursor state machine, after check_state_handling (lib/test_maple_tree.c, Linux 6.18): every
 * status a cursor can be in, met by every navigation call, with the kernel's index/last updates.
 */
import { describe, expect, it } from 'vitest';
import { MAX_INDEX } from '../../src/tree/constants.js';
import {
  masFind, masFindRev, masNext, masPause, masPrev, masSet, masWalk,
} from '../../src/tree/navigate.js';
import { Mas, type MaStatus } from '../../src/tree/mas.js';
import { MapleTree } from '../../src/tree/tree.js';

const ptr = { name: 'ptr' };
const ptr2 = { name: 'ptr2' };
const ptr3 = { name: 'ptr3' };

function at(mas: Mas, entry: unknown, want: unknown, index: number, last: number, status?: MaStatus): void {
  expect(entry).toBe(want);
  expect([mas.index, mas.last]).toEqual([index, last]);
  if (status !== undefined) expect(mas.status).toBe(status);
}

describe('check_state_handling: root-pointer tree ([0,0] only)', () => {
  const tree = new MapleTree();
  tree.storeRange(0, 0, ptr);
  const mas = new Mas(tree, 0, 0);

  it('prev from 0 is NULL; prev from 10 (also after pause) is the root entry', () => {
    expect(masPrev(mas, 0)).toBeUndefined();
    expect(mas.status).toBe('underflow');
    masSet(mas, 10);
    at(mas, masPrev(mas, 0), ptr, 0, 0, 'root');
    masSet(mas, 10);
    masPause(mas);
    at(mas, masPrev(mas, 0), ptr, 0, 0, 'root');
  });

  it('next from 0 or 10 is NULL over [1, MAX]', () => {
    masSet(mas, 0);
    at(mas, masNext(mas, MAX_INDEX), undefined, 1, MAX_INDEX, 'none');
    masSet(mas, 10);
    at(mas, masNext(mas, MAX_INDEX), undefined, 1, MAX_INDEX, 'none');
  });

  it('find from 0 finds the root entry, then NULL over [1, MAX] twice; from 10 NULL', () => {
    masSet(mas, 0);
    at(mas, masFind(mas, MAX_INDEX), ptr, 0, 0, 'root');
    at(mas, masFind(mas, MAX_INDEX), undefined, 1, MAX_INDEX, 'none');
    at(mas, masFind(mas, MAX_INDEX), undefined, 1, MAX_INDEX, 'none');
    masSet(mas, 10);
    at(mas, masFind(mas, MAX_INDEX), undefined, 1, MAX_INDEX, 'none');
  });

  it('find_rev after none finds the root entry; find_rev from 0 finds it then stays at [0,0]', () => {
    at(mas, masFindRev(mas, 0), ptr, 0, 0, 'root');
    masSet(mas, 0);
    at(mas, masFindRev(mas, 0), ptr, 0, 0, 'root');
    at(mas, masFindRev(mas, 0), undefined, 0, 0, 'none');
    at(mas, masFindRev(mas, 0), undefined, 0, 0, 'none');
    masSet(mas, 10);
    at(mas, masFindRev(mas, 0), ptr, 0, 0, 'root');
  });

  it('walk at 10 is NULL over [1, MAX] from start, pause, set index, none', () => {
    masSet(mas, 10);
    at(mas, masWalk(mas), undefined, 1, MAX_INDEX, 'none');
    masSet(mas, 10);
    masPause(mas);
    at(mas, masWalk(mas), undefined, 1, MAX_INDEX, 'none');
    mas.index = mas.last = 10;
    at(mas, masWalk(mas), undefined, 1, MAX_INDEX, 'none');
    at(mas, masWalk(mas), undefined, 1, MAX_INDEX, 'none');
  });

  it('walk at 0 is the root entry from start, pause, none, root', () => {
    masSet(mas, 0);
    at(mas, masWalk(mas), ptr, 0, 0, 'root');
    masSet(mas, 0);
    masPause(mas);
    at(mas, masWalk(mas), ptr, 0, 0, 'root');
    mas.status = 'none';
    at(mas, masWalk(mas), ptr, 0, 0, 'root');
    at(mas, masWalk(mas), ptr, 0, 0, 'root');
    masSet(mas, 10);
    at(mas, masWalk(mas), undefined, 1, MAX_INDEX, 'none');
    mas.index = mas.last = 0;
    at(mas, masWalk(mas), ptr, 0, 0, 'root');
  });
});

function threeRanges(): MapleTree {
  const tree = new MapleTree();
  tree.storeRange(0x1000, 0x1500, ptr);
  tree.storeRange(0x2000, 0x2500, ptr2);
  tree.storeRange(0x3000, 0x3500, ptr3);
  return tree;
}

describe('check_state_handling: three ranges in a leaf', () => {
  it('next from start, pause and none; overflow at a limit and past the end', () => {
    const mas = new Mas(threeRanges(), 0, 0);
    at(mas, masNext(mas, MAX_INDEX), ptr, 0x1000, 0x1500, 'active');
    masSet(mas, 0);
    masPause(mas);
    at(mas, masNext(mas, MAX_INDEX), ptr, 0x1000, 0x1500, 'active');
    mas.index = mas.last = 0;
    mas.offset = 0;
    mas.status = 'none';
    at(mas, masNext(mas, MAX_INDEX), ptr, 0x1000, 0x1500, 'active');
    at(mas, masNext(mas, 0x2100), ptr2, 0x2000, 0x2500, 'active');
    at(mas, masNext(mas, 0x2999), undefined, 0x2501, 0x2fff, 'overflow');
    at(mas, masNext(mas, MAX_INDEX), ptr3, 0x3000, 0x3500, 'active');
    at(mas, masNext(mas, MAX_INDEX), undefined, 0x3501, MAX_INDEX, 'overflow');
    at(mas, masNext(mas, MAX_INDEX), undefined, 0x3501, MAX_INDEX, 'overflow');
    at(mas, masPrev(mas, 0), ptr3, 0x3000, 0x3500, 'active');
  });

  it('next from none after a next; prev with limits and underflow', () => {
    const mas = new Mas(threeRanges(), 0, 0);
    masNext(mas, MAX_INDEX);
    mas.status = 'none';
    mas.offset = 0;
    at(mas, masNext(mas, MAX_INDEX), ptr2, 0x2000, 0x2500, 'active');
    at(mas, masPrev(mas, 0), ptr, 0x1000, 0x1500, 'active');
    masNext(mas, MAX_INDEX);
    at(mas, masPrev(mas, 0x1200), ptr, 0x1000, 0x1500, 'active');
    at(mas, masPrev(mas, 0x1200), undefined, 0x1000, 0x1500, 'underflow');
    at(mas, masPrev(mas, 0x0100), undefined, 0, 0x0fff, 'underflow');
    at(mas, masPrev(mas, 0), undefined, 0, 0x0fff, 'underflow');
    at(mas, masPrev(mas, 0), undefined, 0, 0x0fff, 'underflow');
    at(mas, masNext(mas, MAX_INDEX), ptr, 0x1000, 0x1500, 'active');
    at(mas, masPrev(mas, 0x1000), undefined, 0x1000, 0x1500, 'underflow');
    at(mas, masFind(mas, MAX_INDEX), ptr, 0x1000, 0x1500, 'active');
  });

  it('prev across pause; prev underflow inside a gap; then prev again', () => {
    const mas = new Mas(threeRanges(), 0x3600, 0x3600);
    expect(masPrev(mas, 0)).toBe(ptr3);
    masPause(mas);
    at(mas, masPrev(mas, 0), ptr2, 0x2000, 0x2500, 'active');
    at(mas, masPrev(mas, 0x1600), undefined, 0x1501, 0x1fff, 'underflow');
    at(mas, masPrev(mas, 0), ptr, 0x1000, 0x1500, 'active');
  });

  it('find from start, pause and inside a range; find with limits', () => {
    const mas = new Mas(threeRanges(), 0, 0);
    at(mas, masFind(mas, MAX_INDEX), ptr, 0x1000, 0x1500, 'active');
    masSet(mas, 0);
    masPause(mas);
    at(mas, masFind(mas, MAX_INDEX), ptr, 0x1000, 0x1500, 'active');
    masSet(mas, 1200);
    at(mas, masFind(mas, MAX_INDEX), ptr, 0x1000, 0x1500, 'active');
    at(mas, masFind(mas, MAX_INDEX), ptr2, 0x2000, 0x2500, 'active');
    at(mas, masFind(mas, 0x2700), undefined, 0x2501, 0x2fff, 'active');
    at(mas, masFind(mas, 0x5000), ptr3, 0x3000, 0x3500, 'active');
    at(mas, masFind(mas, MAX_INDEX), undefined, 0x3501, MAX_INDEX, 'active');
  });

  it('find_rev back to the start, across pause, into underflow', () => {
    const mas = new Mas(threeRanges(), 0, 0);
    masSet(mas, 0x3600);
    at(mas, masFind(mas, MAX_INDEX), undefined, 0x3501, MAX_INDEX, 'active');
    at(mas, masFindRev(mas, 0), ptr3, 0x3000, 0x3500, 'active');
    at(mas, masFindRev(mas, 0), ptr2, 0x2000, 0x2500, 'active');
    masPause(mas);
    at(mas, masFindRev(mas, 0), ptr, 0x1000, 0x1500, 'active');
    at(mas, masFindRev(mas, 0), undefined, 0, 0x0fff, 'underflow');
    masSet(mas, 0x1200);
    at(mas, masFindRev(mas, 0), ptr, 0x1000, 0x1500, 'active');
  });

  it('walk from start, pause, none and active (index set by hand)', () => {
    const mas = new Mas(threeRanges(), 0, 0);
    for (const prep of [(): void => undefined, (): void => masPause(mas), (): void => { mas.status = 'none'; }]) {
      masSet(mas, 0x1200);
      prep();
      at(mas, masWalk(mas), ptr, 0x1000, 0x1500, 'active');
      masSet(mas, 0x1600);
      prep();
      at(mas, masWalk(mas), undefined, 0x1501, 0x1fff, 'active');
    }
    mas.index = mas.last = 0x1200;
    mas.offset = 0;
    at(mas, masWalk(mas), ptr, 0x1000, 0x1500, 'active');
    mas.index = mas.last = 0x1600;
    at(mas, masWalk(mas), undefined, 0x1501, 0x1fff, 'active');
  });
});

describe('check_state_handling: prev/next/find agree at the limits (allocation tree, 30 entries)', () => {
  it('underflowed and limited cursors resume on the right entry', () => {
    const tree = new MapleTree({ allocRange: true });
    for (let i = 0; i < 30; i++) tree.store(i, i * 2 + 1);
    const mas = new Mas(tree, 0, 0);
    let entry = masWalk(mas);
    masSet(mas, 0);
    masPrev(mas, 0);
    expect(masFind(mas, MAX_INDEX)).toBe(entry);
    entry = masNext(mas, MAX_INDEX);
    const index = mas.index;
    masPrev(mas, index);
    expect(masNext(mas, MAX_INDEX)).toBe(entry);
    masPrev(mas, 0);
    masNext(mas, index - 1);
    expect(masNext(mas, MAX_INDEX)).toBe(entry);
  });
});
