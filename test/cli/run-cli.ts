/**
 * Runs the built command (npm test builds first) as a user would, and hands back what it printed
 * and its exit status.
 */
import { spawnSync } from 'node:child_process';
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
