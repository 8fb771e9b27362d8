import type * as Fs from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// The texts successive reads return: a process that changes its maps between reads.
const reads: string[] = [];
let calls = 0;
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  return {
    ...fs,
    readFileSync: (path: string, encoding: string) => {
      if (path !== '/proc/test/maps') return fs.readFileSync(path, encoding as BufferEncoding);
      calls++;
      return reads.length > 1 ? reads.shift()! : reads[0]!;
    },
  };
});

const { readProcStable } = await import('../../src/cli/proc.js');

describe('readProcStable: a live procfs file read until two reads agree', () => {
  beforeEach(() => {
    reads.length = 0;
    calls = 0;
  });

  it('returns at the second read when the process held still', () => {
    reads.push('a-b\n');
    expect(readProcStable('/proc/test/maps')).toBe('a-b\n');
    expect(calls).toBe(2);
  });

  it('reads past texts that changed under it, and returns the first that two reads agree on', () => {
    reads.push('torn\n', 'moving\n', 'settled\n', 'settled\n', 'later\n');
    expect(readProcStable('/proc/test/maps')).toBe('settled\n');
    expect(calls).toBe(4);
  });

  it('gives up after `tries` reads of a process that never holds still, returning the last text', () => {
    for (let i = 0; i < 20; i++) reads.push(`v${i}\n`);
    expect(readProcStable('/proc/test/maps', 5)).toBe('v4\n');
    expect(calls).toBe(5);
  });

  it('refuses a try count that cannot compare two reads', () => {
    expect(() => readProcStable('/proc/test/maps', 1)).toThrow(RangeError);
    expect(() => readProcStable('/proc/test/maps', 2.5)).toThrow(/tries must be an integer of at least 2, got 2.5/);
    expect(calls).toBe(0);
  });

  it('reads this process\'s real maps', () => {
    const text = readProcStable('/proc/self/maps');
    expect(text).toMatch(/^[0-9a-f]+-[0-9a-f]+ [r-][w-][x-][ps] /);
  });
});
