#!/usr/bin/env node
/**
 * The `mapletree` command's entry point. picocolors decides on colour when it is first loaded and
 * takes any FORCE_COLOR, even FORCE_COLOR=0, as "force"; so the environment is settled here, before
 * the program (and everything that colours) is imported.
 */
const force = process.env.FORCE_COLOR;
if (force === '0' || force === 'false' || process.argv.includes('--no-color')) {
  delete process.env.FORCE_COLOR;
  process.env.NO_COLOR = '1';
}
const { main } = await import('./program.js');
process.exitCode = await main(process.argv);
