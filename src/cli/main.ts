#!/usr/bin/env node
/**
 * The `mapletree` command.
 */
import { Command } from 'commander';
import { runDemo } from './demo.js';
import { modelList, runExplore, runReplay, type ExploreCliOptions } from './explore.js';
import { runStudyCli, type StudyCliOptions } from './study.js';
import '../mm/model.js';

const program = new Command();
program
  .name('mapletree')
  .description('The Linux maple tree, the address-space life cycle on it, and an explorer for its races.');

program
  .command('study', { isDefault: true })
  .description('the headline study: fork fails at every point while swapoff, uprobes, the OOM reaper or a userfaultfd monitor race it, under each kernel configuration')
  .option('-b, --bound <n>', 'preemption bound of every search', '2')
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
  .description('search interleavings and allocation failures of a model for violations (default: the built-in classics)')
  .option('-m, --model <name>', 'model to explore (see `mapletree models`)')
  .option('-V, --variant <name>', 'one variant of the model (default: all)')
  .option('-s, --strategy <name>', 'dfs, random or pct', 'dfs')
  .option('-b, --bound <n>', 'dfs: largest preemption bound', '2')
  .option('-n, --executions <n>', 'random/pct: executions to run; dfs: a cap')
  .option('--seed <n>', 'random/pct: PRNG seed', '1')
  .option('--depth <n>', 'pct: bug depth d', '2')
  .option('--json', 'print one JSON object for programs')
  .option('--html <file>', 'write a self-contained HTML report of the first counterexample')
  .action((opts: ExploreCliOptions) => {
    process.exitCode = runExplore(opts);
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
