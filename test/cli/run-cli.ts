/**
 * Runs the built command (npm test builds first) as a user would, and hands back what it printed
 * and its exit status.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const CLI = 'dist/cli/main.js';

export function cli(args: readonly string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Text without colour codes. */
export const plain = (s: string): string => stripVTControlCharacters(s);

/**
 * Saves `trace` as `file`, replays it through the command with `args` (the process's flags) and
 * hands back the violation's message; a replay that does not reproduce one fails the test's
 * expectation on its status.
 */
export function replayedMessage(trace: unknown, file: string, args: readonly string[]): { status: number | null; stderr: string; message?: string } {
  writeFileSync(file, JSON.stringify(trace));
  const r = cli(['replay', file, '--json', ...args]);
  if (r.status !== 1) return { status: r.status, stderr: r.stderr };
  return { status: r.status, stderr: r.stderr, message: (JSON.parse(r.stdout) as { violation: { message: string } }).violation.message };
}
