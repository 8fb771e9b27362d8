#!/usr/bin/env node
/**
 * The `mapletree` command.
 */
import { Command } from 'commander';

const program = new Command();
program.name('mapletree').description('The Linux maple tree, the address-space life cycle on it, and an explorer for its races.');
program.parse();
