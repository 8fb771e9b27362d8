/** Walkers together: when a combination's cell differs from its members' cells alone. */
import { stripVTControlCharacters } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closedByKernel, combinationDiffers, compareCombination, pairsToRun, walkerPairs } from '../../src/study/combinations.js';
import { kernelConfig } from '../../src/mm/config.js';
import type { ParentProcess, WalkerName } from '../../src/study/scenario.js';
import { runStudy, type StudyCell } from '../../src/study/study.js';
import { studyTable } from '../../src/study/table.js';

const CRASHES = ['null-deref 0x406 find_mergeable_anon_vma', 'null-deref 0x446 unuse_mm', 'use-after-free unuse_mm'];

function cell(walkers: readonly WalkerName[], outcome: StudyCell['outcome'], reached: readonly WalkerName[], crash?: string): StudyCell {
  const base = { configuration: 'k', walker: walkers.join('+'), walkers, outcome, reached, failurePoints: 1, executions: 1, timeMs: 0, bound: 1, strategy: 'dpor', exhaustive: true } as const;
  if (crash === undefined) return base;
  const [kind, addr, fn] = crash.split(' ') as [string, string, string | undefined];
  const message = addr.startsWith('0x') ? `Unable to handle kernel NULL pointer dereference at virtual address 0x${addr.slice(2).padStart(16, '0')} in ${fn}` : `BUG: KASAN: slab-use-after-free in ${addr}`;
  return { ...base, kind, message, traceLength: 1 };
}

describe('combinationDiffers: the three rules', () => {
  const swapoff = cell(['swapoff'], 'verified', ['swapoff']);
  const uprobe = cell(['uprobe'], 'unreachable', []);

  it('1: a crash no member has alone, or a member\'s crash gone', () => {
    const both = cell(['swapoff', 'uprobe'], 'bug', ['swapoff', 'uprobe'], CRASHES[0]);
    expect(combinationDiffers(both, [swapoff, uprobe])).toBe('crashes together (null-deref 0x406 find_mergeable_anon_vma); no member crashes alone');
    const crashing = cell(['swapoff'], 'bug', ['swapoff'], CRASHES[1]);
    expect(combinationDiffers(cell(['swapoff', 'uprobe'], 'verified', ['swapoff']), [crashing, uprobe])).toBe('swapoff crashes alone, not together');
  });

  it('2: both crash, differently', () => {
    const crashing = cell(['swapoff'], 'bug', ['swapoff'], CRASHES[1]);
    expect(combinationDiffers(cell(['swapoff', 'uprobe'], 'bug', [], CRASHES[0]), [crashing, uprobe])).toMatch(/^crashes differently together/);
    expect(combinationDiffers(cell(['swapoff', 'uprobe'], 'bug', [], CRASHES[1]), [crashing, uprobe])).toBeNull();
  });

  it('3: a walker reaches the failed child only together', () => {
    expect(combinationDiffers(cell(['swapoff', 'uprobe'], 'verified', ['swapoff', 'uprobe']), [swapoff, uprobe])).toBe('uprobe reaches the failed child only together');
    expect(combinationDiffers(cell(['swapoff', 'uprobe'], 'verified', ['swapoff']), [swapoff, uprobe])).toBeNull();
  });

  it('a capped search or an error is not compared; n/a counts as reaching nothing', () => {
    const capped = { ...cell(['swapoff', 'uprobe'], 'verified', ['swapoff', 'uprobe']), exhaustive: false };
    expect(compareCombination(capped, [swapoff, uprobe])).toMatchObject({ differs: null, notCompared: 'swapoff+uprobe: capped at 1 executions' });
    const na = cell(['swapoff'], 'n/a', []);
    expect(compareCombination(cell(['swapoff', 'reclaim'], 'bug', ['reclaim'], CRASHES[1]), [na, cell(['reclaim'], 'verified', ['reclaim'])]).differs).toMatch(/^crashes together/);
  });

  it('against a reference: a combination that is just its members together never differs; one changed fact always does', () => {
    const member = fc.record({ crash: fc.option(fc.constantFrom(...CRASHES), { nil: undefined }), reached: fc.boolean() });
    fc.assert(fc.property(member, member, fc.nat(3), (a, b, flip) => {
      const [wa, wb] = ['swapoff', 'uprobe'] as const;
      const ma = cell([wa], a.crash ? 'bug' : a.reached ? 'verified' : 'unreachable', a.reached ? [wa] : [], a.crash);
      const mb = cell([wb], b.crash ? 'bug' : b.reached ? 'verified' : 'unreachable', b.reached ? [wb] : [], b.crash);
      const reached = [...(a.reached ? [wa] : []), ...(b.reached ? [wb] : [])];
      const crash = a.crash ?? b.crash;
      const same = cell([wa, wb], crash ? 'bug' : reached.length ? 'verified' : 'unreachable', reached, crash);
      expect(combinationDiffers(same, [ma, mb])).toBeNull();
      if (crash === undefined) {
        const w = flip % 2 === 0 ? wa : wb;
        const changed = reached.includes(w) ? reached.filter((x) => x !== w) : [...reached, w];
        expect(combinationDiffers({ ...same, reached: changed }, [ma, mb])).not.toBeNull();
        expect(combinationDiffers(cell([wa, wb], 'bug', reached, CRASHES[flip % 3]), [ma, mb])).not.toBeNull();
      }
    }), { numRuns: 200 });
  });
});

describe('which pairs run', () => {
  it('uffd and uffd-withdraw are one actor; pairs skip a member that crashes alone and sets where nobody reaches the child', () => {
    expect(walkerPairs(['uffd', 'uffd-withdraw', 'swapoff']).map((p) => p.join('+'))).toEqual(['uffd+swapoff', 'uffd-withdraw+swapoff']);
    const singles = [cell(['swapoff'], 'verified', ['swapoff']), cell(['uprobe'], 'unreachable', []), cell(['ksmd'], 'unreachable', []), cell(['uffd'], 'bug', ['uffd'], CRASHES[0])];
    const walkers: WalkerName[] = ['swapoff', 'uprobe', 'ksmd', 'uffd'];
    expect(pairsToRun('pairs', walkers, singles).map((p) => p.join('+'))).toEqual(['swapoff+uprobe', 'swapoff+ksmd']);
    expect(pairsToRun('all', walkers, singles)).toHaveLength(6);
    expect(pairsToRun('none', walkers, singles)).toEqual([]);
  });
});

describe('doors the kernel closes whoever else runs', () => {
  const at = (configuration: string, walkers: readonly WalkerName[], outcome: StudyCell['outcome'], reached: readonly WalkerName[]): StudyCell => ({ ...cell(walkers, outcome, reached), configuration });
  const row = (configuration: string): StudyCell[] => [
    at(configuration, ['swapoff'], 'verified', ['swapoff']),
    ...(['uprobe', 'oom-reaper', 'uffd', 'uffd-withdraw', 'ksmd', 'khugepaged'] as const).map((w) => at(configuration, [w], 'unreachable', [])),
  ];
  const walkers: WalkerName[] = ['swapoff', 'uprobe', 'oom-reaper', 'uffd', 'uffd-withdraw', 'ksmd', 'khugepaged'];

  it('6.18: only uprobe\'s door (dup_mmap_sem, dropped after dup_mm\'s mmput) can be held open by swapoff', () => {
    expect(closedByKernel('uprobe', kernelConfig('6.18'))).toBe(false);
    expect(pairsToRun('pairs', walkers, row('6.18')).map((p) => p.join('+'))).toEqual(['swapoff+uprobe']);
  });

  it('before 985da552a98e and f64e67e5d3a4 the scanners and userfaultfd are not closed by the kernel', () => {
    for (const w of ['uffd', 'uffd-withdraw', 'ksmd', 'khugepaged'] as const) {
      expect(closedByKernel(w, kernelConfig('6.10-6.11.6')), w).toBe(false);
      expect(closedByKernel(w, kernelConfig('6.11.7-6.12.7')), w).toBe(true);
    }
    expect(pairsToRun('pairs', walkers, row('6.10-6.11.6'))).toHaveLength(5);
    expect(closedByKernel('oom-reaper', kernelConfig('6.8.0-6.8.7'))).toBe(true);
  });
});

describe('a real combination that differs', () => {
  const noSwap: ParentProcess = {
    specs: [
      { start: 0x400000, end: 0x401000, perms: 'rw-p', resident: 1 },
      { start: 0x555555555000, end: 0x555555557000, perms: 'r-xp', file: { path: '/usr/bin/app', offset: 0x1000 }, resident: 1 },
      { start: 0x555555557000, end: 0x555555558000, perms: 'rw-p', file: { path: '/usr/bin/app', offset: 0x3000 }, resident: 1 },
    ],
    uffd: null,
  };

  it('6.8: swapoff has nothing on swap alone, reclaim crashes nothing alone; together swapoff reads the marker', () => {
    const result = runStudy({ configurations: ['6.8.0-6.8.7'], walkers: ['swapoff', 'reclaim'], parent: noSwap, bound: 1, strategy: 'dpor', combinations: 'pairs' });
    expect(result.results.map((c) => c.outcome)).toEqual(['n/a', 'verified']);
    expect(result.combinations).toHaveLength(1);
    const [combo] = result.combinations!;
    expect(combo!.cell.walker).toBe('swapoff+reclaim');
    expect(combo!.differs).toBe('crashes together (null-deref 0x476 unuse_mm); no member crashes alone');
    expect(result.executions).toBe(result.results.reduce((n, c) => n + c.executions, 0) + combo!.cell.executions);
    const table = studyTable(result, { configurations: ['6.8.0-6.8.7'], walkers: ['swapoff', 'reclaim'], strategy: 'dpor', workers: 1 }).map(stripVTControlCharacters).join('\n');
    expect(table).toContain('Walkers together');
    // The header shows the parent that forked, not the default one.
    expect(table).toContain('Parent process (3 VMAs):');
    expect(table).toMatch(/^\s+00400000-00401000 rw-p /m);
    expect(table).not.toContain('[heap]');
    expect(table).toMatch(new RegExp(`swapoff\\+reclaim\\s+\\S+ null-deref 0x476 \\(\\d+ steps\\)\\s+${combo!.cell.executions} executions`));
  });
});
