import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Pace, runStudyCli, studyEta } from '../../src/cli/study.js';
import { cliInProcess } from './in-process.js';
import { cli } from './run-cli.js';

describe('mapletree study --json', () => {
  it('prints one JSON object with a result per configuration × walker', async () => {
    const out: string[] = [];
    // Cells of a few dozen executions each: a crash and an unreachable cell per walker.
    const code = await runStudyCli({
      bound: '1', config: '6.10-6.11.6,6.18', walker: 'uffd-withdraw,uffd', workers: '1', maxExecutions: '100000', json: true, html: false,
    }, { log: (s) => out.push(s), inThread: true });
    expect(code).toBe(0);
    const json = JSON.parse(out.join('\n')) as { results: Array<Record<string, unknown>> };
    expect(json.results.map((r) => `${String(r.configuration)}/${String(r.walker)}/${String(r.outcome)}`)).toEqual([
      '6.10-6.11.6/uffd-withdraw/bug', '6.10-6.11.6/uffd/bug', '6.18/uffd-withdraw/unreachable', '6.18/uffd/unreachable',
    ]);
    for (const r of json.results) {
      expect(typeof r.executions).toBe('number');
      expect(typeof r.timeMs).toBe('number');
      if (r.outcome === 'bug') {
        expect(r.kind).toBe('null-deref');
        expect(String(r.token)).toMatch(/^mt1:/);
        expect((r.trace as { format: string }).format).toBe('mapletree-trace/1');
      } else {
        expect(r.trace).toBeUndefined();
      }
    }
  });

  it('--progress reports the walkers together too, a line per pair after the cells alone, each timed', async () => {
    const lines: string[] = [];
    const code = await runStudyCli({
      bound: '1', config: '7.0', walker: 'swapoff,uprobe', workers: '1', maxExecutions: '200000', json: true, html: false, progress: true,
    }, { log: () => undefined, warn: (l) => lines.push(l), inThread: true, stderrIsTTY: false });
    expect(code).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(/^mapletree: 1\/2 cells: 7\.0 × swapoff: .+ · (\d+s|\d+m\d\ds|\d+h\d\dm) · ETA (\d+s|\d+m\d\ds|\d+h\d\dm)$/),
      expect.stringMatching(/^mapletree: 2\/2 cells: 7\.0 × uprobe: .+ · (\d+s|\d+m\d\ds|\d+h\d\dm)$/),
      expect.stringMatching(/^mapletree: 1\/1 pairs: 7\.0 × swapoff\+uprobe: ✓ verified/),
    ]);
  });

  it('--progress names the cells in flight now and then, so a long pair does not leave the log silent', async () => {
    const lines: string[] = [];
    // A heartbeat at every report, where the command's is every ten minutes.
    const code = await runStudyCli({
      bound: '1', config: '7.0', walker: 'swapoff,uprobe', workers: '1', maxExecutions: '200000', json: true, html: false, progress: true,
    }, { log: () => undefined, warn: (l) => lines.push(l), inThread: true, stderrIsTTY: false, heartbeatMs: 1e-6 });
    expect(code).toBe(0);
    const running = lines.filter((l) => l.startsWith('mapletree: running '));
    expect(running.length).toBeGreaterThan(0);
    for (const l of running) expect(l).toMatch(/^mapletree: running \(\d\/\d (cells|pairs) done\): 7\.0 × (swapoff|uprobe|swapoff\+uprobe): .+ \(point \d+ of ~\d+\) · /);
    // The pair is named while it runs, after both cells alone are done.
    const pairDone = lines.findIndex((l) => l.startsWith('mapletree: 1/1 pairs'));
    const pairRunning = lines.findIndex((l) => l.startsWith('mapletree: running (0/1 pairs done): 7.0 × swapoff+uprobe: '));
    expect(pairRunning).toBeGreaterThan(lines.findIndex((l) => l.startsWith('mapletree: 2/2 cells')));
    expect(pairRunning).toBeLessThan(pairDone);
  });

  it('rejects an unknown configuration, naming the flag', async () => {
    await expect(runStudyCli({ bound: '1', config: 'linux-2.4', maxExecutions: '10', json: true, html: false }, { log: () => undefined }))
      .rejects.toThrow(/--config: unknown "linux-2.4"/);
  });
});

describe('traces out of study --json', () => {
  it('every trace replays as it is, reproducing its cell\'s crash (exit 1): the first through the built command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapletree-traces-'));
    // The walkers that crash 6.10, and swapoff on a second configuration.
    const run = cli(['study', '--json', '--bound', '1', '--config', '6.10-6.11.6,6.13.2-6.14', '--walker', 'swapoff,uprobe,uffd,uffd-withdraw', '--workers', '2']);
    expect(run.status, run.stderr).toBe(0);
    const cells = (JSON.parse(run.stdout) as { results: Array<{ configuration: string; walker: string; kind?: string; message?: string; trace?: unknown }> }).results;
    const withTraces = cells.filter((c) => c.trace !== undefined);
    expect(withTraces.length).toBeGreaterThanOrEqual(5);
    expect(new Set(withTraces.map((c) => c.configuration)).size).toBe(2);
    for (const [i, c] of withTraces.entries()) {
      const file = join(dir, `${c.configuration}--${c.walker}.json`);
      writeFileSync(file, JSON.stringify(c.trace));
      const args = ['replay', file, '--json'];
      const r = i === 0 ? cli(args) : await cliInProcess(args);
      expect(r.status, `${c.configuration}/${c.walker}: ${r.stderr}`).toBe(1);
      const violation = (JSON.parse(r.stdout) as { violation: { kind: string; message: string } }).violation;
      expect(violation.kind).toBe(c.kind);
      expect(violation.message).toBe(c.message);
    }
  });

  it('--fail-on-bug makes a study that found a bug exit 1; without it the study exits 0', () => {
    const args = ['study', '--json', '--bound', '1', '--config', '6.10-6.11.6', '--walker', 'uprobe', '--workers', '1'];
    expect(cli(args).status).toBe(0);
    expect(cli([...args, '--fail-on-bug']).status).toBe(1);
  });
});

describe('the study bar\'s ETA', () => {
  it('is the work left at the run\'s average pace, unknown until there is one', () => {
    // 60 s for 2 of 10 cells' work: 8 left at 30 s each.
    expect(studyEta(60, 2, 0, 10)).toBe(240);
    // A resumed run counts only what it has done itself: 3 cells were done before it began.
    expect(studyEta(60, 5, 3, 10)).toBe(150);
    expect(studyEta(0, 0, 0, 10)).toBe(Infinity);
    expect(studyEta(5, 3, 3, 10)).toBe(Infinity);
    expect(studyEta(90, 10, 0, 10)).toBe(0);
  });

  it('follows the work done, not the count of cells: a dear cell finished first does not price the rest as dear', () => {
    let t = 0;
    const pace = new Pace(0, 10, () => t);
    expect(pace.eta()).toBe(Infinity);
    pace.update(0, 0, 0);
    t = 60_000;
    // One cell of ten done, but it was half the run's work: 60 s more, not 540.
    pace.update(1, 0, 5);
    expect(pace.eta()).toBe(60);
    // Without a work figure, the cells done and the running ones' fractions.
    const plain = new Pace(2, 10, () => t);
    plain.update(2, 0);
    t = 120_000;
    plain.update(3, 1);
    expect(plain.eta()).toBe(180);
    // Never past the total.
    plain.update(12, 0);
    expect(plain.eta()).toBe(0);
  });
});
