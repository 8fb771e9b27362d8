/**
 * A long failure point split into prefix jobs gives studyPoint's own result for dfs: the same
 * executions, walkers reached, verdict and minimised counterexample, for bug points, verified points
 * and capped ones, whatever order the jobs ran in. A dpor point split reaches the same with its own
 * counts, and a local run applies the same split wherever its cells run.
 */
import { describe, expect, it } from 'vitest';
// The worker threads load the built files: run after `npm run build`, as the CLI's tests are.
import { runCells, type CellRequest } from '../../dist/study/run-cells.js';
import { assemblePoint, studyPointOrSplit, studyPointSplitting, studyPrefix, type PrefixResult } from '../../src/study/split-point.js';
import { studyPoint, type PointResult, type PointSpec } from '../../src/study/study.js';
import type { StudyCell } from '../../dist/study/study.js';
import type { WalkerName } from '../../src/study/scenario.js';

/** Everything but wall time. */
function same(r: PointResult): unknown {
  const { timeMs: _t, bug, ...rest } = r;
  if (!bug) return rest;
  const { timeToFirstBugMs: _f, ...b } = bug;
  return { ...rest, bug: b };
}

/** The point through the split path, its prefix jobs run last first. */
function split(configuration: string, walkers: WalkerName[], point: PointSpec, options: { bound: number; maxExecutions?: number }): { result: PointResult; prefixes: number } {
  const settings = { ...options, strategy: 'dfs' as const };
  const first = studyPointOrSplit(configuration, walkers, point, settings, 4, 6);
  if (!('split' in first)) return { result: first, prefixes: 0 };
  const frontier = first.split;
  const results = new Map<number, PrefixResult>();
  for (let i = frontier.length - 1; i >= 0; i--) results.set(i, studyPrefix(configuration, walkers, point, settings, frontier[i]!));
  return { result: assemblePoint(configuration, walkers, point, settings, frontier, (i) => results.get(i)!), prefixes: frontier.length };
}

describe('a study point split into prefix jobs', () => {
  it.each([
    ['6.10-6.11.6', 'uprobe', { kind: 'signal', vma: 2 }, 1],
    ['6.18', 'ksmd', { kind: 'signal', vma: 2 }, 1],
    ['6.10-6.11.6', 'swapoff', { kind: 'alloc', nth: 3 }, 1],
    ['6.18', 'uprobe', { kind: 'alloc', nth: 1 }, 1],
  ] as const)('%s × %s at %j, bound %i: studyPoint\'s result', (configuration, walker, point, bound) => {
    const whole = studyPoint(configuration, [walker], point, { bound, strategy: 'dfs' });
    const { result, prefixes } = split(configuration, [walker], point, { bound });
    expect(prefixes).toBeGreaterThan(1);
    expect(same(result)).toEqual(same(whole));
  });

  it('a cap that falls inside a prefix\'s subtree gives the capped result', () => {
    const point = { kind: 'signal', vma: 2 } as const;
    const whole = studyPoint('6.18', ['swapoff'], point, { bound: 1, strategy: 'dfs', maxExecutions: 23 });
    expect(whole.exhaustive).toBe(false);
    const { result, prefixes } = split('6.18', ['swapoff'], point, { bound: 1, maxExecutions: 23 });
    expect(prefixes).toBeGreaterThan(1);
    expect(same(result)).toEqual(same(whole));
  });

  it('a short point is not split', () => {
    const point = { kind: 'alloc', nth: 1 } as const;
    const short = studyPointOrSplit('6.18', ['uffd'], point, { bound: 1, strategy: 'dfs' }, 4, 6);
    expect('split' in short).toBe(false);
  });

  // The uprobe cell's allocations 5 and 6 take 11 and 10 executions under dpor; split above 8
  // they take 26 and 13, and the crash is the same.
  it('a dpor point split: the unsplit point\'s verdict, bug kind and walkers reached, with its own counts', () => {
    const settings = { bound: 1, strategy: 'dpor' as const };
    for (const nth of [5, 6]) {
      const point = { kind: 'alloc', nth } as const;
      const whole = studyPoint('6.10-6.11.6', ['uprobe'], point, settings);
      const split = studyPointSplitting('6.10-6.11.6', ['uprobe'], point, settings, 8);
      expect(split.executions).toBeGreaterThan(whole.executions);
      expect([split.exhaustive, split.faultFired, split.reached, split.bug?.kind, split.bug?.failurePoint])
        .toEqual([whole.exhaustive, whole.faultFired, whole.reached, whole.bug?.kind, whole.bug?.failurePoint]);
    }
  });

  it('a run that splits its dpor points gives the same cells in this thread and over two worker threads', async () => {
    const options = { bound: 1, strategy: 'dpor' as const, maxExecutions: 200_000, splitAbove: 8 };
    const cells: CellRequest[] = [['6.10-6.11.6', 'uprobe'], ['6.10-6.11.6', 'uffd-withdraw']];
    const here = await runCells(cells, { ...options, workers: 1 });
    const pool = await runCells(cells, { ...options, workers: 2 });
    const { splitAbove: _never, ...unsplit } = options;
    const whole = await runCells(cells, { ...unsplit, workers: 1 });
    const untimed = (c: StudyCell): unknown => ({ ...c, timeMs: 0, timeToFirstBugMs: 0 });
    expect(pool.map(untimed)).toEqual(here.map(untimed));
    expect(here.map((c) => c.outcome)).toEqual(whole.map((c) => c.outcome));
    expect(here[0]!.executions).toBeGreaterThan(whole[0]!.executions);
  });
});
