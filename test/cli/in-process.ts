/**
 * The command run in this process through the entry the built one calls, program.ts's main():
 * the same parsing, errors and exit status, without a process start (most of a spawned run's
 * time). For the many cases that differ only in their arguments; exit-codes.test.ts runs each
 * way out (a status, a one-line error of each origin) through the built command as well.
 */
import { format } from 'node:util';
import { vi } from 'vitest';
import { main } from '../../src/cli/program.js';
import { CLI, type CliRun } from './run-cli.js';

export async function cliInProcess(args: readonly string[]): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => stdout.push(String(chunk)) > 0),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0),
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(`${format(...a)}\n`)),
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(`${format(...a)}\n`)),
  ];
  try {
    const status = await main([process.execPath, CLI, ...args]);
    return { status, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
