/**
 * The command on a real terminal (a pseudo-terminal from util-linux `script`): the progress bar
 * hides the cursor and turns autowrap off while it runs, and Ctrl-C gives both back; --json keeps
 * the bar on stderr.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from './run-cli.js';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'mapletree-tty-'));

/** Runs the CLI under a pseudo-terminal; `interruptWhen` types Ctrl-C once the output matches. */
function onTerminal(args: readonly string[], interruptWhen?: RegExp): Promise<{ status: number | null; output: string }> {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, COLUMNS: '120' } });
    let output = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (interruptWhen && !sent && interruptWhen.test(output)) {
        sent = true;
        // Ctrl-C typed on the terminal: the pseudo-terminal sends SIGINT to its foreground process
        // group, whichever shell `script` started the command under (bash execs it, dash does not).
        child.stdin.write('\u0003');
      }
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

const lastIndex = (s: string, sub: string): number => s.lastIndexOf(sub);

describe.skipIf(!hasScript)('on a terminal', () => {
  it('Ctrl-C restores the cursor and autowrap, prints the finished cells and leaves a checkpoint', async () => {
    const checkpoint = join(tmp, 'tty.checkpoint.json');
    const { status, output } = await onTerminal(
      ['study', '--bound', '2', '--walker', 'swapoff', '--config', '6.10-6.11.6,7.0', '--workers', '1', '--no-html', '--checkpoint', checkpoint],
      /1\/2 cells/);
    expect(status).toBe(130);
    const hide = lastIndex(output, '\u001b[?25l');
    const noWrap = lastIndex(output, '\u001b[?7l');
    expect(hide).toBeGreaterThanOrEqual(0);
    expect(noWrap).toBeGreaterThanOrEqual(0);
    expect(lastIndex(output, '\u001b[?25h')).toBeGreaterThan(hide);
    expect(lastIndex(output, '\u001b[?7h')).toBeGreaterThan(noWrap);
    expect(output).toMatch(/interrupted: 1 of 2 cells finished; checkpoint written to/);
    expect(output).toMatch(/6.10-6.11.6/);
  });

  it('--json keeps the progress bar (on stderr) and still prints the JSON', async () => {
    const { status, output } = await onTerminal(['study', '--json', '--bound', '1', '--walker', 'swapoff', '--config', '6.10-6.11.6', '--workers', '1']);
    expect(status).toBe(0);
    expect(output).toMatch(/\d\/1 cells · \d+ executions/);
    expect(output).toMatch(/"results": \[/);
  });
});
