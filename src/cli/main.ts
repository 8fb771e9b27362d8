#!/usr/bin/env node
/**
 * The `mapletree` command.
 */
import { Command } from 'commander';
import { runDemo } from './demo.js';

const program = new Command();
program
  .name('mapletree')
  .description('The Linux maple tree, the address-space life cycle on it, and an explorer for its races.');

program
  .command('demo', { isDefault: true })
  .description('build a maple tree, print its dump and answer a few queries')
  .action(() => runDemo());

program.parse();
