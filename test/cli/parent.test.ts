/**
 * The parent process from the command line's flags: --maps, --pid, --uprobe and --uffd, each
 * checked before anything runs, with errors that name the flag, the file and the line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { parentFromFlags, parseRange, type ParentFlags } from '../../src/cli/parent.js';

const tmp = mkdtempSync(join(tmpdir(), 'mapletree-parent-'));
const maps = join(tmp, 'small.maps');
writeFileSync(maps, '00400000-00401000 r--p 00000000 08:01 42                                 /usr/bin/tool\n' +
  '00401000-00403000 r-xp 00001000 08:01 42                                 /usr/bin/tool\n' +
  '7f0000000000-7f0000004000 rw-p 00000000 00:00 0 \n');

function refused(flags: ParentFlags, message: RegExp): void {
  let error: unknown;
  try {
    parentFromFlags(flags);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UsageError);
  expect((error as Error).message).toMatch(message);
}

describe('the parent flags', () => {
  it('no flags: the study\'s default parent', () => {
    expect(parentFromFlags({})).toBeNull();
  });

  it('--maps reads the file; --uprobe takes the file offset of the first executable mapping; --uffd a range', () => {
    const choice = parentFromFlags({ maps, uprobe: '/usr/bin/tool', uffd: '7f0000000000-0x7f0000002000' })!;
    expect(choice.source).toBe(maps);
    expect(choice.vmas).toBe(3);
    expect(choice.parent.maps).toMatch(/^00400000-00401000/);
    expect(choice.parent.uprobe).toEqual({ path: '/usr/bin/tool', offset: 0x1000 });
    expect(choice.parent.uffd).toEqual({ start: 0x7f0000000000, end: 0x7f0000002000 });
    expect(choice.flags).toBe(`--maps ${maps} --uprobe /usr/bin/tool --uffd 7f0000000000-0x7f0000002000`);
  });

  it('--pid reads /proc/<pid>/smaps of a live process', () => {
    const sleeper = spawn('sleep', ['300']);
    let choice: ReturnType<typeof parentFromFlags>;
    try {
      choice = parentFromFlags({ pid: String(sleeper.pid) })!;
    } finally {
      sleeper.kill();
    }
    expect(choice!.source).toMatch(new RegExp(`^/proc/${sleeper.pid}/s?maps$`));
    expect(choice!.parent.maps).toMatch(/sleep/);
    expect(choice!.vmas).toBeGreaterThan(5);
  });

  it('smaps field lines, CRLF and a byte-order mark are accepted', () => {
    const smaps = join(tmp, 'one.smaps');
    writeFileSync(smaps, '\uFEFF00400000-00401000 r-xp 00000000 08:01 42 /usr/bin/tool\r\nSize:                  4 kB\r\nRss:                   4 kB\r\nSwap:                  0 kB\r\nVmFlags: rd ex mr mw me\r\n');
    expect(parentFromFlags({ maps: smaps, uprobe: '/usr/bin/tool' })!.parent.uprobe).toEqual({ path: '/usr/bin/tool', offset: 0 });
  });

  it.each([
    [{ maps: join(tmp, 'none.maps') }, /^cannot read .*none\.maps: no such file or directory$/],
    [{ maps: tmp }, /^cannot read .*: it is a directory$/],
    [{ pid: '999999999' }, /^--pid 999999999: no such process/],
    [{ pid: 'self' }, /^--pid must be a non-negative integer, got self$/],
    [{ maps, pid: '1' }, /^--maps and --pid both name the parent/],
    [{ uprobe: '/usr/bin/app' }, /^--uprobe and --uffd need a parent/],
    [{ uffd: '1000-2000' }, /^--uprobe and --uffd need a parent/],
    [{ maps, uprobe: '/usr/bin/tol' }, /\/usr\/bin\/tol is not mapped by .*small\.maps; did you mean "\/usr\/bin\/tool"\?/],
    [{ maps, uffd: '7f0000000000' }, /^--uffd must be START-END in hexadecimal, got 7f0000000000$/],
    [{ maps, uffd: '7f0000000001-7f0000004000' }, /not page aligned/],
    [{ maps, uffd: '7f0000004000-7f0000000000' }, /the start must lie below the end/],
    [{ maps, uffd: 'zz-7f0000004000' }, /START-END in hexadecimal/],
    [{ maps, uffd: '10000000-10004000' }, /covers no mapping of/],
  ] as Array<[ParentFlags, RegExp]>)('%j is refused', (flags, message) => refused(flags, message));

  it('a maps file that does not parse names its line', () => {
    const bad = join(tmp, 'bad.maps');
    writeFileSync(bad, '00400000-00401000 r-xp 00000000 08:01 42 /bin/x\nthis is not a maps line\n');
    refused({ maps: bad }, /bad\.maps: maps line 2 \("this is not a maps line"\) does not parse/);
    const overlap = join(tmp, 'overlap.maps');
    writeFileSync(overlap, '00400000-00402000 r-xp 00000000 08:01 42 /bin/x\n00401000-00403000 rw-p 00000000 00:00 0\n');
    refused({ maps: overlap }, /overlap\.maps: maps line 2 .*overlap/);
    const empty = join(tmp, 'empty.maps');
    writeFileSync(empty, '\n');
    refused({ maps: empty }, /holds no mappings/);
  });

  it('parseRange takes 0x or not, and both ends page aligned', () => {
    expect(parseRange('0x1000-0x3000', 'uffd')).toEqual({ start: 0x1000, end: 0x3000 });
    expect(() => parseRange('1000-3000-5000', 'uffd')).toThrow(/START-END/);
  });
});
