import { describe, expect, it } from 'vitest';
import { runExplore } from '../../src/cli/explore.js';
import { cli } from './run-cli.js';

const base = { bound: '2', seed: '1', depth: '2', json: true, progress: false };

function json(out: string[]): { results: Array<Record<string, unknown>> } {
  return JSON.parse(out.join('\n')) as { results: Array<Record<string, unknown>> };
}

describe('mapletree explore', () => {
  it('runs every classic with DPOR: the first variant of each has a bug, the second is verified', async () => {
    const out: string[] = [];
    // Exit status 1: bugs were found.
    expect(await runExplore({ ...base, model: 'classics', strategy: 'dpor' }, (s) => out.push(s))).toBe(1);
    const rows = json(out).results.map((r) => `${String(r.model)}/${String(r.variant)}: ${String(r.outcome)}`);
    expect(rows).toEqual([
      'lost-update/racy: bug', 'lost-update/locked: verified', 'abba/abba: bug', 'abba/ordered: verified',
      'torn-read/unlocked-reader: bug', 'torn-read/rwsem: verified', 'leak-on-error/buggy: bug', 'leak-on-error/fixed: verified',
    ]);
    for (const r of json(out).results) {
      expect(typeof r.pruned).toBe('number');
      expect(typeof r.stepsPerSecond).toBe('number');
      if (r.outcome === 'bug') expect(String(r.token)).toMatch(/^mt1:/);
    }
  });

  it('the portfolio decides a model within its budget (the compiled command: it runs worker threads)', () => {
    const { status, stdout } = cli(['explore', '-m', 'lost-update', '-s', 'portfolio', '-t', '20', '--workers', '2', '--json']);
    expect(status).toBe(1);
    expect(json([stdout]).results.map((r) => `${String(r.variant)}: ${String(r.outcome)}`)).toEqual(['racy: bug', 'locked: verified']);
  });

  it('names the flag it rejects', async () => {
    await expect(runExplore({ ...base, model: 'classics', strategy: 'bfs' })).rejects.toThrow(/--strategy/);
    await expect(runExplore({ ...base, model: 'nope' })).rejects.toThrow(/no model named "nope"/);
    await expect(runExplore({ ...base, model: 'lost-update', time: '-1' })).rejects.toThrow(/--time/);
  });

  it('with no --model runs the headline study (the compiled command)', () => {
    const { status, stdout } = cli(['explore', '--json', '--bound', '1', '--config', '6.10-6.11.6,7.0', '--walker', 'swapoff']);
    expect(status).toBe(1);
    const r = JSON.parse(stdout) as { strategy: string; results: Array<{ configuration: string; walker: string; outcome: string }> };
    expect(r.strategy).toBe('dpor');
    expect(r.results.map((x) => `${x.configuration}/${x.walker}/${x.outcome}`)).toEqual(['6.10-6.11.6/swapoff/bug', '7.0/swapoff/verified']);
  });
});
