/**
 * A long failure point split into prefix jobs gives studyPoint's own result: the same executions,
 * walkers reached, verdict and minimised counterexample, for bug points, verified points and
 * capped ones, whatever order the jobs ran in.
 */
import { describe, expect, it } from 'vitest';
import { assemblePoint, studyPointOrSplit, studyPrefix, type PrefixResult } from '../../src/study/split-point.js';
import { studyPoint, type PointResult, type PointSpec } from '../../src/study/study.js';
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

  it('a short point is not split, and a dpor point never is', () => {
    const point = { kind: 'alloc', nth: 1 } as const;
    const short = studyPointOrSplit('6.18', ['uffd'], point, { bound: 1, strategy: 'dfs' }, 4, 6);
    expect('split' in short).toBe(false);
    const dpor = studyPointOrSplit('6.18', ['swapoff'], { kind: 'signal', vma: 2 }, { bound: 1, strategy: 'dpor' }, 4, 6);
    expect('split' in dpor).toBe(false);
  });
});
