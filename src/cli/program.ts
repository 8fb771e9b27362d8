/**
 * The `mapletree` command line: its subcommands and flags, exit statuses, and errors as one line
 * on stderr (the stack only with --debug).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { EXIT, UsageError, errorText } from './errors.js';
import { runDemo } from './demo.js';
import { modelList, runExplore, runReplay, type ExploreCliOptions } from './explore.js';
import { DEFAULT_CHECKPOINT, runStudyCli, type StudyCliOptions } from './study.js';
import type { ParentFlags } from './parent.js';
import { didYouMean } from './suggest.js';
import { positiveInt } from './args.js';
import '../study/model.js';

const STUDY_EXIT = `
Exit status:
  0  the study completed (its table is the result, crashes included)
  1  with --fail-on-bug, some cell found a bug
  2  a usage or input error
  130  interrupted (Ctrl-C): the finished cells are printed and a checkpoint is left for --resume
  141  standard output was closed early (its reader left, as SIGPIPE ends a C tool)`;

const EXPLORE_EXIT = `
Exit status:
  0  nothing found
  1  a bug was found (with no --model: some cell of the study found one)
  2  a usage or input error, or a model that is not deterministic (the same decisions gave a
     different step, result or violation: with --check-determinism on any execution, always on a
     counterexample)
  141  standard output was closed early (its reader left, as SIGPIPE ends a C tool)`;

const WORKER_NOTE = `
Anyone who can write to the queue can make this worker run the study's built-in models (and only
those: a job naming anything else, or made by another model version, is refused). Give Redis a
password (redis://:password@host) and use rediss:// across networks.`;

const REPLAY_EXIT = `
Exit status:
  0  the trace runs to the end without a violation
  1  the violation is reproduced
  2  a usage or input error (no such file, a damaged token, a trace this model no longer matches)
  141  standard output was closed early (its reader left, as SIGPIPE ends a C tool)`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Commander's messages ("error: …\n(Did you mean …?)") as our one line. */
function commanderLine(text: string): string {
  const line = text.trim().replace(/^error: /, '').replace(/\n\(Did you mean (.*)\?\)/, '; did you mean $1?').split('\n')[0]!;
  return `mapletree: error: ${line}\n`;
}

/** The flags that pick the parent process, on study, explore and replay alike. */
function parentOptions(cmd: Command): Command {
  return cmd
    .option('--maps <file>', 'the parent process: a saved /proc/<pid>/maps or smaps (smaps gives resident and swapped pages)')
    .option('--pid <n>', 'the parent process: a live process, read from /proc/<n>/smaps')
    .option('--uprobe <path>', 'with --maps/--pid: the file the uprobe is placed in (default: the first executable file mapping)')
    .option('--uffd <start-end>', 'with --maps/--pid: register a userfaultfd over this range (procfs cannot show one), e.g. 7f0000000000-7f0000004000');
}

/** Runs `run` with Ctrl-C (and SIGTERM) turned into an abort rather than death. */
async function interruptible(run: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    return await run(controller.signal);
  } finally {
    process.removeListener('SIGINT', abort);
    process.removeListener('SIGTERM', abort);
  }
}

/** Flags given on the command line, not left at their defaults. */
function explicitFlags(cmd: Command): Set<string> {
  return new Set(cmd.options.map((o) => o.attributeName()).filter((name) => cmd.getOptionValueSource(name) === 'cli'));
}

function build(setCode: (code: number) => void): Command {
  const program = new Command();
  program
    .name('mapletree')
    .description('The Linux maple tree, the address-space life cycle on it, and an explorer for its races.')
    .version(version(), '-v, --version')
    .option('--debug', 'show the stack of an error')
    .option('--no-color', 'no colour (FORCE_COLOR=0 and NO_COLOR=1 work too)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(commanderLine(text)) })
    .showSuggestionAfterError(true);

  parentOptions(program
    .command('study', { isDefault: true })
    .description('the headline study: fork fails at every point while swapoff, uprobes, the OOM reaper or a userfaultfd monitor race it, under each kernel configuration')
    .option('-b, --bound <n>', 'preemption bound of every search (2 gives the same table in about 10x the executions)', '1')
    .option('-s, --strategy <name>', 'exhaustive search: dpor or dfs', 'dpor')
    .option('-c, --config <list>', 'comma-separated kernel configurations (default: all)')
    .option('-w, --walker <list>', 'comma-separated walkers: swapoff, uprobe, oom-reaper, uffd, uffd-withdraw, ksmd, khugepaged (default: all); a+b[+c] runs walkers together (also reclaim, task-lookup)')
    .option('--combinations <scope>', 'walkers together besides each alone: none, pairs (those that can differ; the default) or all (every pair: hours)', 'pairs')
    .option('--workers <n>', 'worker threads, at least 1 (default: one per core)')
    .option('--max-executions <n>', 'cap on executions per failure point (a capped cell is never shown as verified)', '200000'))
    .option('--json', 'print one JSON object for programs (the progress bar stays on a terminal\'s stderr)')
    .option('--html <dir>', 'directory for the HTML report', 'mapletree-study')
    .option('--no-html', 'do not write the HTML report')
    .option('--save-trace <file>', 'write the first counterexample as a JSON trace (mapletree replay <file>)')
    .option('--width <n>', 'columns for counterexample lanes (default: the terminal\'s)')
    .option('--fail-on-bug', 'exit 1 when any cell finds a bug (for CI)')
    .option('--checkpoint <file>', 'where Ctrl-C leaves the finished cells', DEFAULT_CHECKPOINT)
    .option('--resume <file>', 'continue an interrupted study from its checkpoint')
    .option('--queue <url>', 'spread the failure points over a job queue\'s workers (redis://[:password@]host:port/db, rediss:// for TLS)')
    .option('--attach <id>', 'with --queue: wait again for a run in progress and print its table')
    .option('--split-above <n>', 'a failure point still searching after n executions is split into prefix jobs, locally as on --queue (a dpor point then counts its own executions; default: never, but dfs points on --queue above 5000, which changes nothing)')
    .addOption(new Option('--progress', 'progress even when stderr is not a terminal (a line per finished cell, and every ten minutes one naming the cells in flight)'))
    .option('--no-progress', 'no progress')
    .option('--designs', 'instead, the whole designs study: the recoveries argued over in the RFC thread (XA_ZERO, teardown, partial teardown with each fallback, with a node reserve) × walkers and a careless walker, and the node reserve\'s arithmetic; bound 1 unless --bound; many minutes on 2 cores (docs/designs.md). The default study ends with a section of it')
    .option('--exact', 'with --maps/--pid: search every VMA of the process, not the process compressed by class (a VMA whose failure points have an earlier one\'s signature is left out; docs/walkers.md, "Class compression")')
    .option('--no-designs-section', 'leave the designs section out of the default study (it runs only when neither --config nor --walker is given)')
    .option('--reserve-nodes <n>', 'the node reserve\'s size: the partial+reserve designs run with it (their tokens name it) and the arithmetic is checked against it', '63')
    .addHelpText('after', STUDY_EXIT)
    .action(async (opts: StudyCliOptions, cmd: Command) => {
      const explicit = explicitFlags(cmd);
      setCode(await interruptible((signal) => runStudyCli(opts, { signal, explicit })));
    });

  parentOptions(program
    .command('explore')
    .description('search interleavings and allocation failures of a model for violations; with no --model, the headline study')
    .option('-m, --model <name>', 'model to explore (see `mapletree models`; `classics` for the built-in ones)')
    .option('-V, --variant <name>', 'one variant of the model (default: all)')
    .option('-s, --strategy <name>', 'dfs (preemption bounding), dpor (partial-order reduction), delay (delay bounding), deviation (deviation bounding), random, pct or ' +
      'portfolio (the study: dfs or dpor)')
    .option('-b, --bound <n>', 'dfs/dpor: largest preemption bound; delay/deviation: largest delay/deviation bound', '2')
    .option('-n, --executions <n>', 'random/pct: executions to run; dfs/dpor/delay/deviation: a cap')
    .option('-t, --time <seconds>', 'time budget (portfolio: the whole budget; default 10 s)')
    .option('--seed <n>', 'random/pct: PRNG seed', '1')
    .option('--depth <n>', 'pct: bug depth d', '2')
    .option('--check-determinism', 're-run every execution with its decisions and compare every step, result and the violation; ' +
      'a model that differs is reported as not deterministic (exit 2)')
    .option('--workers <n>', 'worker threads for the portfolio and the study, at least 1 (default: one per core)')
    .option('-c, --config <list>', 'the study: kernel configurations (default: all)')
    .option('-w, --walker <list>', 'the study: walkers (default: all)'))
    .option('--json', 'print one JSON object for programs')
    .option('--html <path>', 'HTML report: a file for one model (its first bug); for classics and the study, a directory with an index and a page per bug')
    .option('--save-trace <file>', 'write the first counterexample as a JSON trace (mapletree replay <file>)')
    .option('--width <n>', 'columns for counterexample lanes (default: the terminal\'s)')
    .option('--no-progress', 'no progress bar')
    .option('--queue <url>', 'dfs, delay or dpor: split each search by decision prefix over a job queue\'s workers (with no --model: the study\'s --queue)')
    .option('--jobs <n>', 'with --model: split each search into about n prefix jobs (with --queue: default 64), without --queue run here one after another; dfs and delay give the unsplit result, dpor its own executions and first bug, the same here as on the queue')
    .addHelpText('after', EXPLORE_EXIT)
    .action(async (opts: ExploreCliOptions & StudyCliOptions, cmd: Command) => {
      if (opts.model !== undefined) {
        const given = explicitFlags(cmd);
        for (const flag of ['maps', 'pid', 'uprobe', 'uffd', 'config', 'walker'] as const) {
          if (given.has(flag)) throw new UsageError(`--${flag} applies to the study (explore with no --model), not to --model ${opts.model}`);
        }
        // Only a queued search waits on something Ctrl-C can stop; a local one ends the process.
        setCode(opts.queue !== undefined ? await interruptible((signal) => runExplore(opts, console.log, signal)) : await runExplore(opts));
        return;
      }
      const explicit = explicitFlags(cmd);
      for (const flag of ['variant', 'time', 'seed', 'depth', 'checkDeterminism', 'jobs'] as const) {
        const name = flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        if (explicit.has(flag)) throw new UsageError(`--${name} applies to a model; the study (no --model) does not take it`);
      }
      // The study calls its cap --max-executions; here it is --executions, and an error names that.
      if (opts.executions !== undefined) positiveInt(opts.executions, 'executions');
      setCode(await interruptible((signal) => runStudyCli({
        ...opts, strategy: opts.strategy ?? 'dpor', maxExecutions: opts.executions ?? '200000', html: opts.html ?? 'mapletree-study', failOnBug: true,
      }, { signal, explicit })));
    });

  program
    .command('worker')
    .description('run study jobs from a job queue until stopped (Ctrl-C finishes the jobs in hand)')
    .requiredOption('--queue <url>', 'the queue\'s Redis server: redis://[:password@]host:port/db, rediss:// for TLS')
    .option('--concurrency <n>', 'jobs at once, each on a thread of its own', '1')
    .option('--lock-duration <ms>', 'how long a killed worker\'s job waits before another worker takes it', '30000')
    .addHelpText('after', WORKER_NOTE)
    .action(async (opts: { queue: string; concurrency: string; lockDuration: string }) => {
      // Loaded here, not at start: the queue client (BullMQ, ioredis) is most of a start's time.
      const { runWorkerCli } = await import('./worker.js');
      setCode(await interruptible((signal) => runWorkerCli(opts, signal)));
    });

  parentOptions(program
    .command('replay <token-or-file>'))
    .description('re-run a counterexample exactly from its replay token or JSON trace file (one saved with --save-trace, or a trace out of study --json)')
    .option('--json', 'print JSON')
    .option('--width <n>', 'columns for the lanes (default: the terminal\'s)')
    .option('--save-trace <file>', 'write the replayed run as a JSON trace')
    .addHelpText('after', REPLAY_EXIT)
    .action((source: string, opts: { json?: boolean; width?: string; saveTrace?: string } & ParentFlags) => {
      setCode(runReplay(source, opts));
    });

  program
    .command('models')
    .description('list the models the explorer knows, with their variants (or their grammar)')
    .action(() => console.log(modelList()));

  program
    .command('demo')
    .description('build a maple tree, print its dump and answer a few queries')
    .option('--svg <file>', 'also draw a 200-range tree as an SVG picture')
    .action((opts: { svg?: string }) => runDemo(console.log, opts.svg));
  return program;
}

/** A first word that is not a flag must be a command; `mapletree stduy` says so rather than
 * handing "stduy" to the default command as an argument. */
function checkCommand(program: Command, argv: readonly string[]): void {
  const first = argv[2];
  if (first === undefined || first.startsWith('-')) return;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(first) || first === 'help') return;
  throw new UsageError(`unknown command ${JSON.stringify(first)}${didYouMean(first, names)} (commands: ${names.join(', ')})`);
}

/** Runs the command; returns its exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  let code: number = EXIT.ok;
  const program = build((c) => {
    code = c;
  });
  try {
    checkCommand(program, argv);
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    console.error(errorText(error, debug));
    return EXIT.usage;
  }
}
