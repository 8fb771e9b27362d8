// npm run test:kernel — runs the kernel conformance suite (test/kernel, plus the explorer's
// check_rcu_threaded), then prints how many kernel test functions are ported and passing, and
// lists the rest with the reason.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = join(mkdtempSync(join(tmpdir(), 'mapletree-kernel-')), 'results.json');
const run = spawnSync('npx', ['vitest', 'run', 'test/kernel', 'test/tree/rcu-interleaving.test.ts', '--reporter=default', '--reporter=json', `--outputFile=${out}`],
  { stdio: 'inherit' });
const results = JSON.parse(readFileSync(out, 'utf8'));
const manifest = JSON.parse(readFileSync(new URL('../test/kernel/manifest.json', import.meta.url), 'utf8'));

// Outcome per describe block (the kernel function's name), and per file for file-mapped ones.
const byDescribe = new Map();
const byFile = new Map();
for (const file of results.testResults) {
  const rel = file.name.slice(file.name.indexOf('test/'));
  for (const t of file.assertionResults) {
    const name = t.ancestorTitles[0];
    const ok = t.status === 'passed';
    byDescribe.set(name, (byDescribe.get(name) ?? true) && ok);
    byFile.set(rel, (byFile.get(rel) ?? true) && ok);
  }
}
const passing = [];
const failing = [];
const notPorted = [];
for (const [fn, note] of Object.entries(manifest.functions)) {
  const file = typeof note === 'string' && note.startsWith('test/') ? note : null;
  const state = file ? byFile.get(file) : byDescribe.get(fn);
  if (state === true) passing.push(file ? `${fn} (${file})` : fn);
  else if (state === false) failing.push(fn);
  else notPorted.push([fn, note ?? 'no describe block found']);
}
const total = Object.keys(manifest.functions).length;
console.log('');
console.log(`kernel test functions: ${passing.length} of ${total} ported and passing` + (failing.length ? `, ${failing.length} failing` : ''));
if (failing.length) console.log(`failing: ${failing.join(', ')}`);
if (notPorted.length) {
  console.log('not ported:');
  for (const [fn, why] of notPorted) console.log(`  ${fn}: ${why}`);
}
process.exitCode = run.status ?? 1;
