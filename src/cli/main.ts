#!/usr/bin/env node
/**
 * The `mapletree` command's entry point. picocolors decides on colour when it is first loaded and
 * takes any FORCE_COLOR, even FORCE_COLOR=0, as "force"; so the environment is settled here, before
 * the program (and everything that colours) is imported.
 */
import { setFlagsFromString } from 'node:v8';

const force = process.env.FORCE_COLOR;
if (force === '0' || force === 'false' || process.argv.includes('--no-color')) {
  delete process.env.FORCE_COLOR;
  process.env.NO_COLOR = '1';
}
// V8's allocation-site pretenuring moves the objects of an allocation site to the old generation
// once enough of them survive a scavenge. A study's executions build a child mm, walk it and drop it,
// so its objects live about as long as an execution: they then tip the heuristic, are allocated
// old, and die there, paid for by mark-compacts. Off, the study runs 15-35 % faster (BENCHMARKS.md).
// The flag is the process's, so worker threads made later run with it too.
setFlagsFromString('--no-allocation-site-pretenuring');
const { endQuietlyOnClosedPipe } = await import('./errors.js');
endQuietlyOnClosedPipe(process.stdout, process.stderr, (code) => process.exit(code));
const { main } = await import('./program.js');
process.exitCode = await main(process.argv);
