#!/usr/bin/env node
/**
 * The node reserve's arithmetic for every parent the designs study uses: for each failure point,
 * the nodes the partial recovery's clearing store over [failing VMA, ULONG_MAX] needs (the tree's
 * own mas_preallocate count, normal and RCU mode), for the study's default parent, the four real
 * /proc/<pid>/maps captures in test/fixtures/maps and generated parents of 10^3, 10^4 and 10^5
 * VMAs; then whether a reserve of N (default 63, RESERVE=n) covers one failing fork and two at once.
 * Prints a table, or JSON with --json. Run after `npm run build`.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { defaultParentMm, reserveReport } from '../dist/study/designs.js';
import { generatedParent, parentFromMaps } from '../dist/study/designs-reserve.js';

const nodes = Number(process.env.RESERVE ?? 63);
const t0 = performance.now();
const parents = [['default parent', defaultParentMm()]];
for (const name of ['node', 'python3', 'bash', 'cat']) {
  parents.push([`${name}.maps`, parentFromMaps(readFileSync(new URL(`../test/fixtures/maps/${name}.maps`, import.meta.url), 'utf8'))]);
}
for (const n of [1_000, 10_000, 100_000]) parents.push([`generated, ${n} VMAs`, generatedParent(n)]);
const report = reserveReport(parents, nodes);
const ms = performance.now() - t0;
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ ...report, figures: report.figures.map(({ needs, rcuNeeds, ...f }) => ({ ...f, points: needs.length, rcuPoints: rcuNeeds.length })), ms: Math.round(ms) }, null, 2));
} else {
  console.log('parent                  VMAs    height  max  at VMA  allocating      RCU max');
  for (const f of report.figures) {
    console.log(`${f.parent.padEnd(24)}${String(f.vmas).padEnd(8)}${String(f.height).padEnd(8)}${String(f.max).padEnd(5)}${String(f.argMax).padEnd(8)}${`${f.allocating}/${f.vmas}`.padEnd(16)}${f.rcuMax}`);
  }
  const v = report.verdict;
  console.log(`reserve ${nodes}: one fork needs at most ${v.max} (RCU ${v.rcuMax}); two at once ${v.twoForks} (RCU ${v.rcuTwoForks})`);
  console.log(`largest need by height: ${report.byHeight.map((h) => `${h.height}: ${h.max}/${h.rcuMax}`).join(', ')}; 3h+1 throughout: ${report.linear}; exceeds ${nodes} from height ${report.exceedsAtHeight ?? 'none'}`);
  console.log(`${(ms / 1000).toFixed(1)} s`);
}
