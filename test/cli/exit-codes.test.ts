/**
 * The command as Unix tools behave: exit statuses, one-line errors on stderr (no stack unless
 * --debug), "did you mean", --version, --help and colour control. Each way out — every exit
 * status, a one-line error of each origin (our flag checks, commander's, an unknown command, a
 * file that cannot be read), the stack, colour control — goes through the built CLI; the cases
 * that differ only in their arguments run through the same entry, main(), in this process.
 */
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExecution } from '../../src/explore/execution.js';
import '../../src/explore/classics.js';
import { getModel } from '../../src/explore/model.js';
import { traceToken } from '../../src/explore/trace.js';
import { endQuietlyOnClosedPipe } from '../../src/cli/errors.js';
import { cliInProcess } from './in-process.js';
import { CLI, cli, plain, type CliRun } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'mapletree-cli-'));

/** A usage or input error: status 2, exactly one line on stderr, no stack, nothing on stdout. */
async function expectUsageError(args: readonly string[], message: RegExp, run: (args: readonly string[]) => CliRun | Promise<CliRun> = cliInProcess): Promise<void> {
  const r = await run(args);
  expect(r.status, args.join(' ')).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^mapletree: error: /);
  expect(lines[0]).toMatch(message);
}

describe('usage and input errors: one line on stderr, exit status 2', () => {
  // One of each origin through the built command.
  it.each([
    [['study', '--bound', 'x'], /^mapletree: error: --bound must be a non-negative integer, got x$/],
    [['study', '--boun', '1'], /unknown option '--boun'; did you mean --bound\?/],
    [['stduy'], /unknown command "stduy"; did you mean "study"\?/],
    [['replay', join(tmp, 'missing.json')], /cannot read trace file .*missing\.json: no such file or directory$/],
  ])('%j (the built command)', (args, message) => expectUsageError(args, message, cli));

  it.each([
    [['study', '--bound', '-1'], /--bound must be a non-negative integer, got -1/],
    [['study', '--max-executions', '1e3'], /--max-executions must be a positive integer, got 1e3/],
    [['study', '--max-executions', '0'], /^mapletree: error: --max-executions must be a positive integer, got 0$/],
    [['explore', '--executions', '0'], /^mapletree: error: --executions must be a positive integer, got 0$/],
    [['explore', '-m', 'lost-update', '-s', 'random', '-n', '0'], /^mapletree: error: --executions must be a positive integer, got 0$/],
    [['study', '--workers', '0'], /--workers must be a positive integer, got 0/],
    [['explore', '-m', 'lost-update', '--workers', '0'], /--workers must be a positive integer, got 0/],
    [['study', '--width', 'wide'], /--width must be a positive integer, got wide/],
    [['study', '--strategy', 'bfs'], /--strategy must be one of dpor, dfs, got "bfs"; did you mean "dfs"\?/],
    [['study', '--config', '6.10-6.116'], /--config: unknown "6.10-6.116"; did you mean "6.10-6.11.6"\?/],
    [['study', '--walker', 'swapof'], /--walker: unknown "swapof"; did you mean "swapoff"\?/],
    [['study', '--walker', ','], /--walker is empty/],
    [['explore', '-m', 'lost-updat'], /no model named "lost-updat"; did you mean "lost-update"\?/],
    [['explore', '-m', 'fork-exit', '-V', '6.10-6.11.6/swapof/signal@4'], /did you mean "6.10-6.11.6\/swapoff\/signal@4"\?/],
    [['explore', '-m', 'lost-update', '-t', '-1'], /--time must be a positive number of seconds, got -1/],
    [['explore', '--seed', '3'], /--seed applies to a model/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['study', '--bogus'], /unknown option '--bogus'/],
    [['replay'], /missing required argument/],
    [['replay', 'mt1:!!'], /the replay token is damaged/],
    [['study', '--maps', join(tmp, 'none.maps')], /cannot read .*none\.maps: no such file or directory$/],
    [['study', '--pid', '999999999'], /--pid 999999999: no such process/],
    [['explore', '--pid', 'self'], /--pid must be a non-negative integer, got self/],
    [['study', '--uprobe', '/usr/bin/app'], /--uprobe and --uffd need a parent/],
    [['explore', '-m', 'lost-update', '--maps', 'x.maps'], /--maps applies to the study \(explore with no --model\)/],
    [['study', '--resume', join(tmp, 'nothing.json')], /cannot read checkpoint .*nothing\.json: no such file or directory$/],
  ])('%j', (args, message) => expectUsageError(args, message));

  it('a file that is not a trace, or a trace of an unknown model', async () => {
    const notJson = join(tmp, 'not.json');
    writeFileSync(notJson, 'hello');
    await expectUsageError(['replay', notJson], /neither a replay token .* nor a JSON trace file/);
    const other = join(tmp, 'other.json');
    writeFileSync(other, JSON.stringify({ format: 'mapletree-trace/1', model: 'lost-updat', variant: 'racy', fault: null, decisions: [] }));
    await expectUsageError(['replay', other], /model "lost-updat" is not one this build knows; did you mean "lost-update"\?/);
  });

  it('--debug adds the stack', () => {
    const r = cli(['--debug', 'study', '--bound', 'x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^mapletree: error: UsageError: --bound must be a non-negative integer, got x\n\s+at /);
  });
});

describe('exit statuses of explore and replay: 0 nothing found, 1 a bug', () => {
  it('explore: 0 for a verified variant, 1 for a buggy one, whose --save-trace replays with 1; a clean trace replays with 0', async () => {
    expect(cli(['explore', '-m', 'lost-update', '-V', 'locked', '-s', 'dpor']).status).toBe(0);
    const saved = join(tmp, 'racy.json');
    const r = cli(['explore', '-m', 'lost-update', '-V', 'racy', '-s', 'dpor', '--save-trace', saved]);
    expect(r.status).toBe(1);
    expect(plain(r.stdout)).toMatch(/replay: mapletree replay mt1:/);
    const trace = JSON.parse(readFileSync(saved, 'utf8')) as { format: string; violation: { kind: string } };
    expect(trace.format).toBe('mapletree-trace/1');
    const again = cli(['replay', saved, '--json']);
    expect(again.status).toBe(1);
    expect((JSON.parse(again.stdout) as { violation: { kind: string } }).violation.kind).toBe(trace.violation.kind);

    // One task after the other: no lost update.
    const clean = runExecution(getModel('lost-update').build('racy'), { choose: (p) => p.options[0]! });
    expect(clean.violation).toBeNull();
    const token = traceToken({ model: 'lost-update', variant: 'racy', fault: null, decisions: clean.decisions });
    const replayed = await cliInProcess(['replay', token]);
    expect(replayed.status).toBe(0);
    expect(plain(replayed.stdout)).toMatch(/no violation/);
  });
});

describe('the rest of a Unix command', () => {
  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const r = cli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('--help documents the exit statuses', async () => {
    const helps = [['study', /1 +with --fail-on-bug/, cli], ['explore', /1 +a bug was found/, cliInProcess], ['replay', /1 +the violation is reproduced/, cliInProcess]] as const;
    for (const [command, text, run] of helps) {
      const r = await run([command, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/Exit status:/);
      expect(r.stdout).toMatch(/2 +a usage or input error/);
      expect(r.stdout).toMatch(text);
    }
  });

  it('models prints the fork-exit variants as a grammar, not every name', async () => {
    const r = await cliInProcess(['models']);
    const stdout = plain(r.stdout);
    expect(r.status).toBe(0);
    expect(stdout).toMatch(/<configuration>\/<walker>\[\+<walker>…\]\/alloc\|none\|signal@K/);
    expect(stdout).toMatch(/<failure>: alloc \| none \| signal@K \(K 0–\d+\)/);
    expect(stdout).toMatch(/<walker>: swapoff \| uprobe \| oom-reaper \| uffd \| uffd-withdraw \| ksmd \| khugepaged \| reclaim \| task-lookup \| careless \| none \(several joined with \+/);
    expect(stdout).not.toMatch(/6.10-6.11.6\/swapoff\/signal@3/);
    for (const line of stdout.split('\n')) expect(line.length).toBeLessThan(400);
  });

  it('FORCE_COLOR=0 and --no-color mean no colour; FORCE_COLOR=1 colours', () => {
    const args = ['explore', '-m', 'lost-update', '-V', 'racy', '-s', 'dpor'];
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    expect(cli(args, { FORCE_COLOR: '1' }).stdout).toMatch(ansi);
    expect(cli(args, { FORCE_COLOR: '0' }).stdout).not.toMatch(ansi);
    expect(cli([...args, '--no-color'], { FORCE_COLOR: '1' }).stdout).not.toMatch(ansi);
  });

  it('a reader that leaves early ends the command with status 141 and nothing on stderr', () => {
    // Three configurations' JSON is over 64 KiB, a pipe's capacity, and the reader takes one byte
    // and leaves: the command cannot have written it all by then, so a later write fails. (A real
    // pipe, through the shell: Node's own child pipes are socket pairs with larger buffers.)
    const args = ['study', '-c', '6.12.8-6.12.50,6.10-6.11.6,6.8.0-6.8.7', '-w', 'swapoff,uprobe', '--combinations', 'none', '--json', '--no-html', '--no-progress'];
    expect(cli(args).stdout.length).toBeGreaterThan(64 * 1024 + 1);
    const command = `"$0" ${[CLI, ...args].join(' ')} | dd bs=1 count=1 status=none of=/dev/null; exit \${PIPESTATUS[0]}`;
    const r = spawnSync('bash', ['-c', command, process.execPath], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(141);
  });

  it('EPIPE on stdout exits 141, on stderr is dropped; any other stream error is thrown', () => {
    const stdout = new EventEmitter();
    const stderr = new EventEmitter();
    const codes: number[] = [];
    endQuietlyOnClosedPipe(stdout, stderr, (code) => codes.push(code));
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    stderr.emit('error', epipe);
    expect(codes).toEqual([]);
    stdout.emit('error', epipe);
    expect(codes).toEqual([141]);
    const full = Object.assign(new Error('write ENOSPC'), { code: 'ENOSPC' });
    expect(() => stdout.emit('error', full)).toThrow(/ENOSPC/);
    expect(() => stderr.emit('error', full)).toThrow(/ENOSPC/);
  });
});
