/**
 * The study on a large process, compressed by class (src/study/compress.ts), through the built
 * command: the JSON says which cells were searched on how many VMAs, --exact searches every VMA and
 * finds the same cell, a compressed cell's trace replays with the process's own flags, and --exact
 * without a process of the user's is refused before anything runs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedParent, smapsOf } from '../study/compress-cases.js';
import { cli, replayedMessage } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'mapletree-compress-'));
const smaps = join(tmp, '60.smaps');
writeFileSync(smaps, smapsOf(generatedParent(60).specs!));

interface JsonCell { outcome: string; kind?: string; message?: string; failurePoint?: string; compressed?: { vmas: number; of: number; classes: number; margin: number }; trace?: { model: string } }

function cell(args: readonly string[]): JsonCell {
  const r = cli(['study', '--json', '--workers', '1', '--combinations', 'none', '--maps', smaps, '--uprobe', '/lib/lib3.so', '-c', '6.8.0-6.8.7', '-w', 'ksmd', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { results: JsonCell[] }).results[0]!;
}

describe('the study on a process compressed by class', () => {
  it('says what it searched, finds what --exact finds, and its trace replays with the process\'s flags', () => {
    const small = cell([]);
    const exact = cell(['--exact']);
    expect(small.compressed).toMatchObject({ of: 60, margin: 3 });
    expect(small.compressed!.vmas).toBeLessThan(60);
    expect(exact.compressed).toBeUndefined();
    expect([small.outcome, small.kind, small.message, small.failurePoint]).toEqual([exact.outcome, exact.kind, exact.message, exact.failurePoint]);
    expect(small.trace!.model).toMatch(/^fork-exit@\w+~compressed-3$/);
    const again = replayedMessage(small.trace, join(tmp, 'ksmd.json'), ['--maps', smaps, '--uprobe', '/lib/lib3.so']);
    expect(again.status, again.stderr).toBe(1);
    expect(again.message).toBe(small.message);
  }, 120_000);

  it('refuses --exact without --maps or --pid, before anything runs', () => {
    const r = cli(['study', '--exact', '-c', '6.18', '-w', 'swapoff']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('mapletree: error: --exact needs a parent of yours (--maps FILE or --pid N): the default parent is never compressed');
  });
});
