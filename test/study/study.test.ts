import { describe, expect, it } from 'vitest';
import { runSync } from '../../src/explore/sync.js';
import { runExecution, type Chooser } from '../../src/explore/execution.js';
import { replay } from '../../src/explore/trace.js';
import { COUNTERFACTUAL_KERNELS } from '../../src/mm/config.js';
import { buildScenario, DEFAULT_PARENT } from '../../src/study/scenario.js';
import { studyCell } from '../../src/study/study.js';

describe('cells that say what is true', () => {
  // The real kernels' oom-reaper cells are in the rows tests (rows-*.test.ts).
  it.each(COUNTERFACTUAL_KERNELS.map((k) => k.name))('the OOM reaper never reaches a failed child under %s either: unreachable, with the kernel\'s reason', (configuration) => {
    const cell = studyCell(configuration, 'oom-reaper', { bound: 1, strategy: 'dpor' });
    expect(cell.outcome, configuration).toBe('unreachable');
    expect(cell.reason).toContain('tsk->mm only after dup_mm succeeds');
    expect(cell.executions, configuration).toBeGreaterThan(0);
  });

  it('userfaultfd counterexamples are never caused by a fatal signal: the monitor door opens by ENOMEM', () => {
    for (const configuration of ['6.8.0-6.8.7', '6.10-6.11.6']) {
      const cell = studyCell(configuration, 'uffd', { bound: 1, strategy: 'dpor' });
      expect(cell.outcome).toBe('bug');
      expect(cell.failurePoint).toMatch(/^allocation \d+/);
      expect(cell.trace!.events.some((e) => e.fault)).toBe(true);
      expect(cell.trace!.violation!.task).toBe('uffd');
    }
  });

  it('a walker the parent gives nothing to reach is n/a with the reason, never verified', () => {
    const noSwap = { specs: DEFAULT_PARENT.map((s) => ({ ...s, swapped: 0 })) };
    const cell = studyCell('6.12.8-6.12.50', 'swapoff', { bound: 1, parent: noSwap });
    expect(cell.outcome).toBe('n/a');
    expect(cell.reason).toBe('no swapped pages in this process: swapoff has nothing to walk');
    expect(cell.executions).toBe(0);
    const noUffd = { specs: DEFAULT_PARENT, uffd: null };
    expect(studyCell('6.8.0-6.8.7', 'uffd', { bound: 1, parent: noUffd }).outcome).toBe('n/a');
  });

  it('a capped search is never exhaustive: neither verified nor unreachable is claimed', () => {
    const cell = studyCell('7.0', 'swapoff', { bound: 2, maxExecutions: 3 });
    expect(cell.exhaustive).toBe(false);
    expect(cell.outcome).toBe('verified');
    const unreached = studyCell('7.0', 'oom-reaper', { bound: 2, maxExecutions: 3 });
    expect(unreached.exhaustive).toBe(false);
    expect(unreached.outcome).not.toBe('unreachable');
  });
});

describe('7.0 under a pending fatal signal', () => {
  it('with no per-VMA reader, dup_mmap completes and copy_process fails the fork, putting a complete mm', () => {
    const world = buildScenario({ kernel: '7.0', signalAtVma: 3 });
    expect(world.tasks.map((t) => t.name)).toEqual(['fork', 'parent thread']);
    // Let the fork run alone: the reader never holds the VMA, so nothing makes the write lock wait.
    const run = runExecution({ tasks: world.tasks, finalCheck: () => world.finalCheck() }, { choose: (p) => p.options[0]! }, { record: true });
    expect(run.violation).toBeNull();
    expect(world.fork.outcome.value).toMatchObject({ retval: 0, signalPending: true, failedAt: null });
    expect(run.events.some((e) => e.label.includes('copy_process: fatal_signal_pending'))).toBe(true);
    expect(world.finalCheck()).toBeNull();
  });

  it('with a parent thread holding the VMA, vma_start_write_killable gives up with EINTR and teardown runs', () => {
    const world = buildScenario({ kernel: '7.0', signalAtVma: 3 });
    // The reader's first step takes its per-VMA lock; after it, the fork runs to its failure.
    let readerSteps = 0;
    const chooser: Chooser = {
      choose(point) {
        if (point.kind === 'choice') return point.options[0]!;
        if (readerSteps === 0 && point.options.includes(1)) {
          readerSteps++;
          return 1;
        }
        return point.options.includes(0) ? 0 : point.options[0]!;
      },
    };
    const run = runExecution({ tasks: world.tasks, finalCheck: () => world.finalCheck() }, chooser, { record: true });
    expect(run.violation).toBeNull();
    expect(world.fork.outcome.value).toMatchObject({ failedAt: 'vma_start_write_killable', signalPending: true });
    expect(world.fork.child).toBeNull();
    expect(run.events.some((e) => e.label.includes('__mt_destroy'))).toBe(true);
  });

  it('the 6.18 loop sees the signal itself, with or without a reader', () => {
    const world = buildScenario({ kernel: '6.18', signalAtVma: 3 });
    expect(world.tasks.map((t) => t.name)).toEqual(['fork']);
    runSync(world.tasks[0]!.run());
    expect(world.fork.outcome.value).toMatchObject({ failedAt: 'fatal_signal_pending' });
  });
});

describe('DPOR on the fork/exit model', () => {
  it.each(['6.10-6.11.6', '6.12.51-6.12.82', '6.18'])('reaches the same verdict as plain DFS under %s, with fewer executions overall', (configuration) => {
    let dfsRuns = 0;
    let dporRuns = 0;
    for (const walker of ['swapoff', 'uprobe', 'uffd'] as const) {
      const dfs = studyCell(configuration, walker, { bound: 1, strategy: 'dfs' });
      const dpor = studyCell(configuration, walker, { bound: 1, strategy: 'dpor' });
      expect(`${dpor.outcome} ${dpor.kind ?? ''}`, `${configuration}/${walker}`).toBe(`${dfs.outcome} ${dfs.kind ?? ''}`);
      if (dpor.trace) expect(replay(dpor.trace).violation?.kind).toBe(dpor.kind);
      dfsRuns += dfs.executions;
      dporRuns += dpor.executions;
    }
    expect(dporRuns).toBeLessThan(dfsRuns);
  });
});

describe('a parent from smaps', () => {
  it('populates only what the process could touch: read-only anonymous pages are read, unreadable ones skipped (a node process has both)', () => {
    const smaps = [
      '7f0000000000-7f0000004000 r--p 00000000 00:00 0 ', 'Rss:                  16 kB', 'Swap:                  0 kB',
      '7f0000004000-7f0000008000 ---p 00000000 00:00 0 ', 'Rss:                   8 kB', 'Swap:                  0 kB',
      '7f0000008000-7f000000c000 rw-p 00000000 00:00 0 ', 'Rss:                   8 kB', 'Swap:                  8 kB',
    ].join('\n') + '\n';
    const world = buildScenario({ kernel: '7.0', parent: { maps: smaps } });
    expect(world.parent.pt.anonPages + world.parent.pt.swapEntries).toBeGreaterThan(0);
    expect(world.parent.pt.swapEntries).toBe(2);
    runSync(world.tasks[0]!.run());
    expect(world.finalCheck()).toBeNull();
  });
});
