import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runExplore } from '../../src/cli/explore.js';
import { registerModel, write, type Model } from '../../src/explore/index.js';
import { cliInProcess } from './in-process.js';
import { cli, plain } from './run-cli.js';

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

  it('--html over several models writes a page per bug and an index linking them, each linking back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapletree-explore-html-'));
    try {
      const out: string[] = [];
      const report = join(dir, 'classics');
      expect(await runExplore({ ...base, json: false, model: 'classics', strategy: 'dpor', html: report }, (s) => out.push(s))).toBe(1);
      expect(stripVTControlCharacters(out.join('\n'))).toContain(`HTML report (4 pages and an index) written to ${join(report, 'index.html')}`);
      const pages = readdirSync(report).filter((f) => f !== 'index.html').sort();
      expect(pages).toEqual(['abba--abba.html', 'leak-on-error--buggy.html', 'lost-update--racy.html', 'torn-read--unlocked-reader.html']);
      const index = readFileSync(join(report, 'index.html'), 'utf8');
      expect(index).toContain('4 counterexamples');
      for (const page of pages) {
        expect(index).toContain(`href="${page}"`);
        const html = readFileSync(join(report, page), 'utf8');
        expect(html).toContain('href="index.html"');
        expect(html).toMatch(/mt1:/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--html for one model stays a single file of its first bug', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapletree-explore-html-'));
    try {
      const file = join(dir, 'lost-update.html');
      expect(await runExplore({ ...base, model: 'lost-update', strategy: 'dpor', html: file }, () => undefined)).toBe(1);
      expect(readFileSync(file, 'utf8')).toContain('lost-update');
      expect(readdirSync(dir)).toEqual(['lost-update.html']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the portfolio decides a model within its budget (the compiled command: it runs worker threads)', () => {
    const { status, stdout } = cli(['explore', '-m', 'lost-update', '-s', 'portfolio', '-t', '20', '--workers', '2', '--json']);
    expect(status).toBe(1);
    expect(json([stdout]).results.map((r) => `${String(r.variant)}: ${String(r.outcome)}`)).toEqual(['racy: bug', 'locked: verified']);
  });

  it('names the flag it rejects', async () => {
    await expect(runExplore({ ...base, model: 'classics', strategy: 'bfs' })).rejects.toThrow(/--strategy must be one of dfs, dpor, delay, deviation, random, pct, portfolio/);
    await expect(runExplore({ ...base, model: 'nope' })).rejects.toThrow(/no model named "nope"/);
    await expect(runExplore({ ...base, model: 'lost-update', time: '-1' })).rejects.toThrow(/--time/);
  });

  it('--help offers every strategy, delay bounding and --check-determinism among them (the command\'s parser)', async () => {
    const { status, stdout } = await cliInProcess(['explore', '--help']);
    expect(status).toBe(0);
    const help = plain(stdout).replace(/\s+/g, ' ');
    for (const strategy of ['dfs', 'dpor', 'delay', 'deviation', 'random', 'pct', 'portfolio']) expect(help).toContain(strategy);
    expect(help).toMatch(/delay \(delay bounding\)/);
    expect(help).toMatch(/deviation \(deviation bounding\)/);
    expect(help).toMatch(/delay\/deviation: largest delay\/deviation bound/);
    expect(help).toMatch(/--check-determinism/);
    expect(help).toMatch(/not deterministic/);
  });

  for (const strategy of ['delay', 'deviation'] as const) {
    it(`-s ${strategy}: ${strategy} bounding finds the lost update and verifies the locked twin (the command's parser)`, async () => {
      const { status, stdout } = await cliInProcess(['explore', '-m', 'lost-update', '-s', strategy, '-b', '1', '--json']);
      expect(status).toBe(1);
      const results = json([stdout]).results;
      expect(results.map((r) => `${String(r.strategy)} ${String(r.variant)}: ${String(r.outcome)}`)).toEqual([`${strategy} racy: bug`, `${strategy} locked: verified`]);
      expect(results[1]!.exhaustiveBound).toBe(1);
    });
  }

  it('-s delay prints its bound and the strategy that found the bug', async () => {
    const text = await cliInProcess(['explore', '-m', 'abba', '-s', 'delay', '-b', '2', '--no-progress']);
    expect(text.status).toBe(1);
    expect(plain(text.stdout)).toMatch(/strategy delay, delay bound 2/);
    expect(plain(text.stdout)).toMatch(/found by delay after/);
  });

  it('--check-determinism re-runs every execution: a deterministic model gives the same verdicts', async () => {
    // Every strategy's re-run in this process; the flag itself through the compiled command.
    for (const strategy of ['dfs', 'dpor', 'delay', 'random', 'pct']) {
      const flags = { ...base, model: 'torn-read', strategy, executions: '300' };
      const plainOut: string[] = [];
      const checkedOut: string[] = [];
      const plainStatus = await runExplore(flags, (s) => plainOut.push(s));
      expect(await runExplore({ ...flags, checkDeterminism: true }, (s) => checkedOut.push(s)), strategy).toBe(plainStatus);
      const outcomes = (out: string[]): string[] => json(out).results.map((x) => `${String(x.variant)}: ${String(x.outcome)} ${String(x.executions)}`);
      expect(outcomes(checkedOut), strategy).toEqual(outcomes(plainOut));
    }
    const header = cli(['explore', '-m', 'lost-update', '-V', 'locked', '--check-determinism', '--no-progress']);
    expect(header.status).toBe(0);
    expect(plain(header.stdout)).toMatch(/every execution run twice to check the model is deterministic/);
  });

  it('--check-determinism reports a model whose executions drift as not deterministic, which a plain run verifies', async () => {
    // Each build names a different terminal state: no violation, so only re-running catches it.
    let builds = 0;
    const drifts: Model = {
      name: 'cli-drifts', description: 'a model whose terminal state depends on how often it was built', variants: ['v'],
      build: () => {
        const mine = builds++;
        return { tasks: [{ name: 'T', run: function* () { yield write('x'); } }], stateKey: () => String(mine) };
      },
    };
    registerModel(drifts);
    const out: string[] = [];
    expect(await runExplore({ ...base, model: 'cli-drifts', strategy: 'delay' }, (s) => out.push(s))).toBe(0);
    expect(json(out).results[0]!.outcome).toBe('verified');
    for (const strategy of ['dfs', 'dpor', 'delay', 'random', 'pct']) {
      await expect(runExplore({ ...base, model: 'cli-drifts', strategy, checkDeterminism: true }), strategy).rejects.toThrow(/not deterministic: .*terminal state/);
    }
    await expect(runExplore({ ...base, model: 'cli-drifts', strategy: 'portfolio', checkDeterminism: true })).rejects.toThrow(/--check-determinism/);
    // Refused before any cell runs; were it not, this cell would be a few executions.
    const study = cli(['explore', '--check-determinism', '--config', '6.10-6.11.6', '--walker', 'uffd-withdraw']);
    expect(study.status).toBe(2);
    expect(study.stderr).toMatch(/--check-determinism applies to a model/);
  });

  it('with no --model runs the headline study (the compiled command)', () => {
    // The withdrawing userfaultfd monitor: a crash and an unreachable cell in a few dozen
    // executions (the rows-*.test.ts files pin every cell, the costly verified ones included).
    const { status, stdout } = cli(['explore', '--json', '--bound', '1', '--config', '6.10-6.11.6,6.12.83+', '--walker', 'uffd-withdraw']);
    expect(status).toBe(1);
    const r = JSON.parse(stdout) as { strategy: string; results: Array<{ configuration: string; walker: string; outcome: string }> };
    expect(r.strategy).toBe('dpor');
    expect(r.results.map((x) => `${x.configuration}/${x.walker}/${x.outcome}`)).toEqual(['6.10-6.11.6/uffd-withdraw/bug', '6.12.83+/uffd-withdraw/unreachable']);
  });
});
