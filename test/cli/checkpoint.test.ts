/**
 * Ctrl-C and --resume: an interrupted study leaves a checkpoint of its finished cells, and resuming
 * it ends with the table an uninterrupted run prints.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allCells, mergeCells, readCheckpoint, remainingCells, writeCheckpoint, type StudyRunSettings } from '../../src/study/checkpoint.js';
import type { StudyCell } from '../../src/study/study.js';
import type { WalkerName } from '../../src/study/scenario.js';
import { runStudyCli, type StudyCliOptions } from '../../src/cli/study.js';
import { cliInProcess } from './in-process.js';
import { CLI, cli, plain } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'mapletree-checkpoint-'));

const settings: StudyRunSettings = {
  bound: 1, maxExecutions: 1000, strategy: 'dpor', configurations: ['6.10-6.11.6', '7.0', '6.18'], walkers: ['swapoff', 'uffd'],
};

function fakeCell(configuration: string, walker: StudyCell['walker']): StudyCell {
  return { configuration, walker, walkers: [walker as WalkerName], outcome: 'verified', failurePoints: 1, executions: 1, timeMs: 1, bound: 1, strategy: 'dpor', exhaustive: true };
}

describe('checkpoint files', () => {
  it('finished and remaining cells together are the whole run, in table order, whatever finished first', () => {
    const all = allCells(settings);
    fc.assert(fc.property(fc.shuffledSubarray(all), (done) => {
      const finished = done.map(([c, w]) => fakeCell(c, w));
      const rest = remainingCells(settings, finished);
      expect(rest.length + finished.length).toBe(all.length);
      const merged = mergeCells(settings, finished, rest.map(([c, w]) => fakeCell(c, w)));
      expect(merged.map((c) => [c.configuration, c.walker])).toEqual(all);
    }));
  });

  it('round-trips through a file, and refuses what is not a checkpoint', () => {
    const path = join(tmp, 'one.json');
    const cells = [fakeCell('7.0', 'uffd')];
    writeCheckpoint(path, { settings, cells, timeMs: 5 });
    const back = readCheckpoint(path);
    expect(back.settings).toEqual(settings);
    expect(back.cells).toEqual(cells);
    writeFileSync(path, '{"format":"something-else"}');
    expect(() => readCheckpoint(path)).toThrow(/is not a study checkpoint \(format "something-else"/);
    writeFileSync(path, 'nope');
    expect(() => readCheckpoint(path)).toThrow(/not JSON/);
    writeCheckpoint(path, { settings, cells: [fakeCell('6.1', 'uffd')], timeMs: 5 });
    expect(() => readCheckpoint(path)).toThrow(/cell 6.1\/uffd is not one of the checkpoint's/);
    const every = allCells(settings).map(([c, w]) => fakeCell(c, w));
    writeCheckpoint(path, { settings, cells: cells, pairs: [], timeMs: 5 });
    expect(() => readCheckpoint(path)).toThrow(/has pairs but not every cell alone/);
    writeCheckpoint(path, { settings, cells: every, pairs: [fakeCell('7.0', 'uffd')], timeMs: 5 });
    expect(() => readCheckpoint(path)).toThrow(/pair 7.0\/uffd is no walkers-together cell/);
    const pair = { ...fakeCell('7.0', 'swapoff+uffd' as StudyCell['walker']), walkers: ['swapoff', 'uffd'] as WalkerName[] };
    writeCheckpoint(path, { settings, cells: every, pairs: [pair], timeMs: 5 });
    expect(readCheckpoint(path).pairs).toEqual([pair]);
  });
});

/** The table without what differs between any two runs: times. */
function table(lines: readonly string[]): string {
  return plain(lines.join('\n')).replace(/\(\d+ ms\)/g, '(… ms)').replace(/in [\d.]+ s on \d+ workers?/g, 'in … s');
}

// Walkers whose cells are a few dozen executions: two crashes, then four unreachable cells.
const flags: StudyCliOptions = {
  bound: '1', walker: 'uffd-withdraw,uffd', config: '6.10-6.11.6,6.12.83+,6.18', maxExecutions: '200000', workers: '1', html: false, width: '100',
};

describe('Ctrl-C, then --resume', () => {
  it('prints the finished cells, leaves a checkpoint, and the resumed run prints the uninterrupted table', async () => {
    const whole: string[] = [];
    expect(await runStudyCli(flags, { log: (l) => whole.push(l), inThread: true })).toBe(0);

    // Interrupted as Ctrl-C would, right after the second cell reports.
    const checkpoint = join(tmp, 'study.checkpoint.json');
    const controller = new AbortController();
    const first: string[] = [];
    const notes: string[] = [];
    const stopped = await runStudyCli({ ...flags, progress: true, checkpoint }, {
      log: (l) => first.push(l), inThread: true, signal: controller.signal, stderrIsTTY: false,
      warn: (l) => {
        notes.push(l);
        if (/ 2\/6 cells/.test(l)) controller.abort();
      },
    });
    expect(stopped).toBe(130);
    expect(notes.join('\n')).toMatch(/interrupted: 2 of 6 cells finished; checkpoint written to .*study\.checkpoint\.json/);
    expect(plain(first.join('\n'))).toMatch(/6.10-6.11.6 +✗ null-deref .*✗ null-deref/);
    expect((JSON.parse(readFileSync(checkpoint, 'utf8')) as { cells: unknown[] }).cells).toHaveLength(2);

    const resumed: string[] = [];
    expect(await runStudyCli({ ...flags, resume: checkpoint }, { log: (l) => resumed.push(l), inThread: true, warn: () => undefined })).toBe(0);
    expect(table(resumed)).toBe(table(whole));
  });

  it('stopped among the pairs, the checkpoint keeps every cell and the pairs finished; resumed, the same table', async () => {
    const pairFlags: StudyCliOptions = { ...flags, walker: 'swapoff,uprobe,ksmd', config: '6.10-6.11.6', combinations: 'all' };
    const whole: string[] = [];
    expect(await runStudyCli(pairFlags, { log: (l) => whole.push(l), inThread: true })).toBe(0);
    expect(plain(whole.join('\n'))).toMatch(/Walkers together — 3 combinations run/);

    const checkpoint = join(tmp, 'pairs.checkpoint.json');
    const controller = new AbortController();
    const notes: string[] = [];
    const stopped = await runStudyCli({ ...pairFlags, progress: true, checkpoint }, {
      log: () => undefined, inThread: true, signal: controller.signal, stderrIsTTY: false,
      warn: (l) => {
        notes.push(l);
        if (/ 1\/3 pairs/.test(l)) controller.abort();
      },
    });
    expect(stopped).toBe(130);
    expect(notes.join('\n')).toMatch(/interrupted: all 3 cells and 1 of 3 pairs finished; checkpoint written/);
    const saved = readCheckpoint(checkpoint);
    expect(saved.settings.combinations).toBe('all');
    expect(saved.cells).toHaveLength(3);
    expect(saved.pairs!.map((c) => c.walker)).toEqual(['swapoff+uprobe']);

    const resumedNotes: string[] = [];
    const resumed: string[] = [];
    expect(await runStudyCli({ ...flags, resume: checkpoint, progress: true }, { log: (l) => resumed.push(l), inThread: true, stderrIsTTY: false, warn: (l) => resumedNotes.push(l) })).toBe(0);
    // Only the two pairs left ran, counted on from the first.
    expect(resumedNotes.filter((l) => / cells: /.test(l))).toEqual([]);
    expect(resumedNotes.filter((l) => / pairs: /.test(l)).map((l) => /(\d\/3) pairs/.exec(l)![1])).toEqual(['2/3', '3/3']);
    expect(table(resumed)).toBe(table(whole));
  });

  it('a real Ctrl-C stops the worker threads, prints the finished cells and leaves a checkpoint (the built command)', async () => {
    const checkpoint = join(tmp, 'sigint.checkpoint.json');
    // The second cell (7.0 × swapoff, about 7,000 executions at bound 1) runs for seconds: the
    // signal arrives while it runs.
    const args = ['study', '--bound', '1', '--walker', 'swapoff', '--config', '6.10-6.11.6,7.0', '--workers', '1', '--no-html', '--progress', '--checkpoint', checkpoint];
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        const before = stderr;
        stderr += d.toString();
        if (!/1\/2 cells/.test(before) && /1\/2 cells/.test(stderr)) child.kill('SIGINT');
      });
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(run.status, run.stderr).toBe(130);
    expect(run.stderr).toMatch(/interrupted: 1 of 2 cells finished/);
    expect(plain(run.stdout)).toMatch(/6.10-6.11.6 +✗ null-deref/);
    const saved = readCheckpoint(checkpoint);
    expect(saved.cells.map((c) => `${c.configuration}/${c.walker}/${c.outcome}`)).toEqual(['6.10-6.11.6/swapoff/bug']);
    expect(remainingCells(saved.settings, saved.cells)).toEqual([['7.0', 'swapoff']]);
  });

  it('a resumed run takes its settings from the checkpoint and refuses flags that would change them', async () => {
    const checkpoint = join(tmp, 'refuse.json');
    writeCheckpoint(checkpoint, { settings, cells: [], timeMs: 0 });
    // The first through the built command, the others through its entry in this process.
    for (const [i, flag] of [['--bound', '2'], ['--walker', 'uffd'], ['--max-executions', '5'], ['--maps', 'x.maps']].entries()) {
      const args = ['study', '--resume', checkpoint, ...flag];
      const r = i === 0 ? cli(args) : await cliInProcess(args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe(`mapletree: error: --resume continues the checkpoint's own run; ${flag[0]} cannot change it`);
    }
  });
});
