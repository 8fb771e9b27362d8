/**
 * The study on a process of the user's, through the built command: --maps (maps or smaps), --pid,
 * --uffd; honest n/a cells where the process gives a walker nothing to reach; and counterexamples
 * that replay with the same parent flags (and refuse without them).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, plain } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'mapletree-process-'));

/** A small process in smaps form: heap and stack pages out on swap, a buffer to register with --uffd. */
const SMAPS = `555555554000-555555556000 r-xp 00000000 08:01 42                         /usr/bin/tool
Size:                  8 kB
Rss:                   8 kB
Swap:                  0 kB
555555556000-555555557000 rw-p 00002000 08:01 42                         /usr/bin/tool
Rss:                   4 kB
555555559000-55555557a000 rw-p 00000000 00:00 0                          [heap]
Rss:                  16 kB
Swap:                  8 kB
7ffff7d00000-7ffff7d04000 rw-p 00000000 00:00 0 
Rss:                   4 kB
7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]
Rss:                   8 kB
Swap:                  4 kB
`;
const smaps = join(tmp, 'tool.smaps');
writeFileSync(smaps, SMAPS);
/** The same mappings as a plain maps file: no Rss:, no Swap:. */
const maps = join(tmp, 'tool.maps');
writeFileSync(maps, SMAPS.split('\n').filter((l) => /^[0-9a-f]+-/.test(l)).join('\n') + '\n');
const UFFD = '7ffff7d00000-7ffff7d04000';

interface JsonCell { configuration: string; walker: string; outcome: string; reason?: string; kind?: string; message?: string; trace?: { model: string } }

function study(args: readonly string[]): JsonCell[] {
  const r = cli(['study', '--json', '--bound', '1', '--workers', '2', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { results: JsonCell[] }).results;
}

describe('the study on a process given by --maps', () => {
  it('finds the crashes through the doors the process opens, and each trace replays with the same flags', () => {
    const cells = study(['--maps', smaps, '--uffd', UFFD, '--config', '6.8.0-6.8.7', '--walker', 'swapoff,uffd']);
    expect(cells.map((c) => `${c.walker}: ${c.outcome}`)).toEqual(['swapoff: bug', 'uffd: bug']);
    for (const c of cells) {
      const file = join(tmp, `${c.walker}.json`);
      writeFileSync(file, JSON.stringify(c.trace));
      expect(c.trace!.model).toMatch(/^fork-exit@/);
      const again = cli(['replay', file, '--json', '--maps', smaps, '--uffd', UFFD]);
      expect(again.status, again.stderr).toBe(1);
      expect((JSON.parse(again.stdout) as { violation: { message: string } }).violation.message).toBe(c.message);

      const bare = cli(['replay', file]);
      expect(bare.status).toBe(2);
      expect(bare.stderr.trim()).toMatch(/^mapletree: error: the trace is of fork-exit@\w+, a fork of a parent given by --maps or --pid: replay it with the same/);
      const other = cli(['replay', file, '--maps', smaps]);
      expect(other.status).toBe(2);
      expect(other.stderr.trim()).toMatch(/not the process the trace was found on$/);
    }
  });

  it('a walker the process gives nothing to reach is n/a with its reason, in JSON and in the table — never ✓', () => {
    const cells = study(['--maps', maps, '--config', '6.18', '--walker', 'swapoff,uffd']);
    expect(cells.map((c) => `${c.walker}: ${c.outcome}`)).toEqual(['swapoff: n/a', 'uffd: n/a']);
    expect(cells[0]!.reason).toBe('no swapped pages in this process: swapoff has nothing to walk');

    const table = cli(['study', '--maps', maps, '--config', '6.18', '--walker', 'swapoff,uffd', '--bound', '1', '--no-html'], { NO_COLOR: '1' });
    expect(table.status, table.stderr).toBe(0);
    const out = plain(table.stdout);
    expect(out).toMatch(new RegExp(`Parent process: ${maps.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(5 VMAs\\)`));
    expect(out).toMatch(/^6\.18 +n\/a \[1\] +n\/a \[2\]$/m);
    expect(out).toMatch(/^\[1\] no swapped pages in this process: swapoff has nothing to walk$/m);
    expect(out).not.toMatch(/✓ verified/);
  });

  it('a capped search says so and is never ✓', () => {
    const r = cli(['study', '--maps', smaps, '--config', '7.0', '--walker', 'swapoff', '--bound', '1', '--max-executions', '1', '--no-html', '--workers', '1'], { NO_COLOR: '1' });
    expect(r.status, r.stderr).toBe(0);
    expect(plain(r.stdout)).toMatch(/^7\.0 +no bug in \d+ executions \(capped\)$/m);
  });
});

describe('the study on a live process given by --pid', () => {
  const sleeper = spawn('sleep', ['300']);
  afterAll(() => {
    sleeper.kill();
  });

  it('reads /proc/<pid>/smaps and prints an honest table', () => {
    const r = cli(['study', '--pid', String(sleeper.pid), '--config', '6.18', '--walker', 'swapoff,uffd', '--bound', '1', '--no-html'], { NO_COLOR: '1' });
    expect(r.status, r.stderr).toBe(0);
    const out = plain(r.stdout);
    expect(out).toMatch(new RegExp(`Parent process: /proc/${sleeper.pid}/smaps \\(\\d+ VMAs\\)`));
    expect(out).toMatch(/sleep/);
    expect(out).toMatch(/^6\.18 +n\/a/m);
  });
});
