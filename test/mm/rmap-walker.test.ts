/**
 * Page-table-level rmap walkers never go from a VMA's vm_mm to the mm's tree (walkers/rmap-walker.ts):
 * the guard refuses a step that names a tree or an mmap lock, passes everything else through, and
 * reclaim — the model's rmap walker — runs under it across every failure point of a marker kernel.
 */
import { describe, expect, it } from 'vitest';
import { lock, ModelViolation, read, trylock, unlock, write, type Task } from '../../src/explore/protocol.js';
import { runSync } from '../../src/explore/sync.js';
import { pageTableRmapWalk } from '../../src/mm/walkers/rmap-walker.js';
import { studyCell } from '../../src/study/study.js';
import type { ParentProcess } from '../../src/study/scenario.js';

function violationOf(task: Task<unknown>): ModelViolation {
  try {
    runSync(task);
  } catch (e) {
    if (e instanceof ModelViolation) return e;
    throw e;
  }
  throw new Error('no violation');
}

describe('pageTableRmapWalk', () => {
  it('refuses a read of a VMA tree and an mmap lock, naming the step', () => {
    const v = violationOf(pageTableRmapWalk('reclaim', (function* () {
      yield write('mm#2.pgtables', 'zap');
      yield read('mm#2.mm_mt', 'find_vma(mm#2)');
    })()));
    expect(v.kind).toBe('rmap-tree-walk');
    expect(v.message).toBe('reclaim: a page-table-level rmap walker reached mm#2.mm_mt (find_vma(mm#2))');
    expect(violationOf(pageTableRmapWalk('reclaim', (function* () {
      yield lock('mm#1.mmap_lock', 'read');
    })())).message).toContain('mm#1.mmap_lock');
  });

  it('passes every other step through, with the scheduler\'s answers and the return value', () => {
    const got = runSync(pageTableRmapWalk('reclaim', (function* () {
      const took = (yield trylock('av#1.rwsem', 'read')) as boolean;
      yield unlock('av#1.rwsem', 'read');
      yield write('mm#2.pgtables');
      return took ? 'took' : 'missed';
    })()));
    expect(got).toBe('took');
  });
});

describe('reclaim, under the guard, on a kernel that leaves XA_ZERO_ENTRY', () => {
  const parent: ParentProcess = {
    specs: [
      { start: 0x400000, end: 0x401000, perms: 'rw-p', resident: 1 },
      { start: 0x555555555000, end: 0x555555557000, perms: 'r-xp', file: { path: '/usr/bin/app', offset: 0x1000 }, resident: 1 },
      { start: 0x555555557000, end: 0x555555558000, perms: 'rw-p', resident: 1 },
    ],
    uffd: null,
  };

  it('reaches the failed child through anon rmap at some failure point and never crashes, at every one', () => {
    const cell = studyCell('6.8.0-6.8.7', 'reclaim', { parent, bound: 1, strategy: 'dpor' });
    expect(cell.outcome).toBe('verified');
    expect(cell.exhaustive).toBe(true);
    expect(cell.reached).toEqual(['reclaim']);
  });
});
