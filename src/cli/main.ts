#!/usr/bin/env node
/**
 * The `mapletree` command.
 */
import { Command } from 'commander';
import { runDemo } from './demo.js';
import { modelList, runExplore, runReplay, type ExploreCliOptions } from './explore.js';
import { runStudyCli, type StudyCliOptions } from './study.js';
import '../study/model.js';

const program = new Command();
program
  .name('mapletree')
  .description('The Linux maple tree, the address-space life cycle on it, and an explorer for its races.');

program
  .command('study', { isDefault: true })
  .description('the headline study: fork fails at every point while swapoff, uprobes, the OOM reaper or a userfaultfd monitor race it, under each kernel configuration')
  .option('-b, --bound <n>', 'preemption bound of every search', '2')
  .option('-s, --strategy <name>', 'exhaustive search: dpor or dfs', 'dpor')
  .option('-c, --config <list>', 'comma-separated kernel configurations (default: all)')
  .option('-w, --walker <list>', 'comma-separated walkers: swapoff, uprobe, oom-reaper, uffd (default: all)')
  .option('--workers <n>', 'worker threads (default: up to 2)')
  .option('--max-executions <n>', 'cap on executions per failure point', '200000')
  .option('--json', 'print one JSON object for programs')
  .option('--html <dir>', 'directory for the HTML report', 'mapletree-study')
  .option('--no-html', 'do not write the HTML report')
  .option('--no-progress', 'no progress bar')
  .action(async (opts: StudyCliOptions) => {
    process.exitCode = await runStudyCli(opts);
  });

program
  .command('explore')
  .description('search interleavings and allocation failures of a model for violations; with no --model, the headline study')
  .option('-m, --model <name>', 'model to explore (see `mapletree models`; `classics` for the built-in ones)')
  .option('-V, --variant <name>', 'one variant of the model (default: all)')
  .option('-s, --strategy <name>', 'dfs, dpor, random, pct or portfolio (the study: dfs or dpor)')
  .option('-b, --bound <n>', 'dfs/dpor: largest preemption bound', '2')
  .option('-n, --executions <n>', 'random/pct: executions to run; dfs/dpor: a cap')
  .option('-t, --time <seconds>', 'time budget (portfolio: the whole budget; default 10 s)')
  .option('--seed <n>', 'random/pct: PRNG seed', '1')
  .option('--depth <n>', 'pct: bug depth d', '2')
  .option('--workers <n>', 'worker threads for the portfolio and the study (default: up to 2)')
  .option('-c, --config <list>', 'the study: kernel configurations (default: all)')
  .option('-w, --walker <list>', 'the study: walkers (default: all)')
  .option('--json', 'print one JSON object for programs')
  .option('--html <path>', 'HTML report: a file for a model, a directory for the study')
  .option('--no-progress', 'no progress bar')
  .action(async (opts: ExploreCliOptions & { config?: string; walker?: string; workers?: string }) => {
    if (opts.model === undefined) {
      process.exitCode = await runStudyCli({
        bound: opts.bound, strategy: opts.strategy ?? 'dpor', maxExecutions: opts.executions ?? '200000', html: opts.html ?? 'mapletree-study',
        ...(opts.config !== undefined ? { config: opts.config } : {}), ...(opts.walker !== undefined ? { walker: opts.walker } : {}),
        ...(opts.workers !== undefined ? { workers: opts.workers } : {}), ...(opts.json ? { json: true } : {}),
        ...(opts.progress === false ? { progress: false } : {}),
      });
      return;
    }
    process.exitCode = await runExplore(opts);
  });

program
  .command('replay <token-or-file>')
  .description('re-run a counterexample exactly from its replay token or JSON trace file')
  .option('--json', 'print JSON')
  .action((source: string, opts: { json?: boolean }) => {
    process.exitCode = runReplay(source, opts);
  });

program
  .command('models')
  .description('list the models the explorer knows')
  .action(() => console.log(modelList()));

program
  .command('demo')
  .description('build a maple tree, print its dump and answer a few queries')
  .option('--svg <file>', 'also draw a 200-range tree as an SVG picture')
  .action((opts: { svg?: string }) => runDemo(console.log, opts.svg));

await program.parseAsync();
