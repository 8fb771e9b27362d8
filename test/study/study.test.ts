import { describe, expect, it } from 'vitest';
import { replay } from '../../src/explore/trace.js';
import { STUDY_CONFIGURATIONS, studyCell } from '../../src/study/study.js';
import { WALKER_NAMES } from '../../src/study/scenario.js';

describe('the study finds the bugs from scratch', () => {
  it('the pre-fix kernel: every walker crashes on the marker, and every counterexample replays', () => {
    for (const walker of WALKER_NAMES) {
      const cell = studyCell('xa-zero-prefix', walker, { bound: 1 });
      expect(cell.outcome, walker).toBe('bug');
      expect(cell.kind, walker).toBe('null-deref');
      const run = replay(cell.trace!);
      expect(run.violation?.kind, walker).toBe('null-deref');
      expect(run.violation?.message).toBe(cell.message);
    }
  });

  it('each reader fix closes its own door only', () => {
    expect(studyCell('xa-zero+uffd-fix', 'uffd', { bound: 1 }).outcome).toBe('verified');
    expect(studyCell('xa-zero+uffd-fix', 'swapoff', { bound: 1 }).outcome).toBe('bug');
    expect(studyCell('xa-zero+uprobe-sem-fix', 'uprobe', { bound: 1 }).outcome).toBe('verified');
    expect(studyCell('xa-zero+uprobe-sem-fix', 'oom-reaper', { bound: 1 }).outcome).toBe('bug');
    expect(studyCell('xa-zero+flags', 'oom-reaper', { bound: 1 }).outcome).toBe('verified');
    expect(studyCell('xa-zero+flags', 'swapoff', { bound: 1 }).outcome).toBe('bug');
    expect(studyCell('xa-zero+flags+swapoff-hotfix', 'swapoff', { bound: 1 }).outcome).toBe('verified');
  });

  it("'teardown' passes an exhaustive search of every failure point with one preemption, for every walker", () => {
    for (const walker of WALKER_NAMES) {
      const cell = studyCell('teardown', walker, { bound: 1 });
      expect(cell.outcome, walker).toBe('verified');
      expect(cell.exhaustive, walker).toBe(true);
      // Signals at 8 VMAs plus the allocation sweep.
      expect(cell.failurePoints, walker).toBeGreaterThan(30);
    }
  });
});

describe('DPOR on the fork/exit model', () => {
  it('reaches the same verdict as plain DFS in every cell, with fewer executions overall', () => {
    let dfsRuns = 0;
    let dporRuns = 0;
    for (const configuration of STUDY_CONFIGURATIONS) {
      for (const walker of WALKER_NAMES) {
        const dfs = studyCell(configuration, walker, { bound: 1, strategy: 'dfs' });
        const dpor = studyCell(configuration, walker, { bound: 1, strategy: 'dpor' });
        expect(`${dpor.outcome} ${dpor.kind ?? ''}`, `${configuration}/${walker}`).toBe(`${dfs.outcome} ${dfs.kind ?? ''}`);
        if (dpor.trace) expect(replay(dpor.trace).violation?.kind).toBe(dpor.kind);
        dfsRuns += dfs.executions;
        dporRuns += dpor.executions;
      }
    }
    expect(dporRuns).toBeLessThan(dfsRuns);
  });
});
