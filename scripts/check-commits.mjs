#!/usr/bin/env node
/**
 * Every commit since the rule was set (`npm run check:commits`) against commitlint.config.mjs.
 * Earlier history keeps its longer subjects: it is not rewritten. A shallow clone that lacks the
 * base checks the commits it has.
 */
import { spawnSync } from 'node:child_process';

const BASE = '8177967'; // the last commit before the subject rule was enforced
const git = (...args) => spawnSync('git', args, { encoding: 'utf8' });
const hasBase = git('cat-file', '-e', `${BASE}^{commit}`).status === 0;
const range = hasBase ? ['--from', BASE, '--to', 'HEAD'] : ['--from', git('rev-list', '--max-parents=0', 'HEAD').stdout.trim().split('\n')[0], '--to', 'HEAD'];
if (hasBase && git('rev-list', '--count', `${BASE}..HEAD`).stdout.trim() === '0') {
  console.log(`check:commits: no commits after ${BASE}`);
  process.exit(0);
}
const r = spawnSync(process.execPath, [new URL('../node_modules/@commitlint/cli/cli.js', import.meta.url).pathname, ...range], { stdio: 'inherit' });
process.exit(r.status ?? 1);
