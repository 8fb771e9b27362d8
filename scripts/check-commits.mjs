#!/usr/bin/env node
/**
 * Every commit since the rule was set (`npm run check:commits`) against commitlint.config.mjs, one
 * by one, so a commit listed in KNOWN can be passed over.
 * Earlier history keeps its longer subjects: it is not rewritten. A shallow clone that lacks the
 * base checks the commits it has.
 */
import { spawnSync } from 'node:child_process';

const BASE = '8177967'; // the last commit before the subject rule was enforced
// Merged over the rule, kept as written (main is not rewritten): 232569e came from a branch made
// before it (73 characters); 419c52d, a docs commit of 1 Dec 2026, has a 77-character subject.
const KNOWN = new Set(['232569e', '419c52d']);
const git = (...args) => spawnSync('git', args, { encoding: 'utf8' });
const hasBase = git('cat-file', '-e', `${BASE}^{commit}`).status === 0;
const range = hasBase ? ['--from', BASE, '--to', 'HEAD'] : ['--from', git('rev-list', '--max-parents=0', 'HEAD').stdout.trim().split('\n')[0], '--to', 'HEAD'];
if (hasBase && git('rev-list', '--count', `${BASE}..HEAD`).stdout.trim() === '0') {
  console.log(`check:commits: no commits after ${BASE}`);
  process.exit(0);
}
const cli = new URL('../node_modules/@commitlint/cli/cli.js', import.meta.url).pathname;
const [, from, , to] = range;
let failed = 0;
for (const sha of git('rev-list', '--reverse', `${from}..${to}`).stdout.trim().split('\n').filter(Boolean)) {
  if (KNOWN.has(sha.slice(0, 7))) continue;
  const message = git('log', '-1', '--format=%B', sha).stdout;
  const r = spawnSync(process.execPath, [cli], { input: message, encoding: 'utf8' });
  if (r.status !== 0) {
    failed++;
    console.error(`${sha.slice(0, 12)}:\n${r.stdout}${r.stderr}`);
  }
}
if (failed > 0) process.exit(1);
