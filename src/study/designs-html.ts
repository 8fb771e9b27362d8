/**
 * The designs study as an HTML report: an index page (design × walker, the careless walker on real
 * kernels, the node reserve's figures) and one trace page per counterexample (report-trace.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml as esc } from '../explore/html.js';
import { traceToken } from '../explore/trace.js';
import { kernelRelease } from '../mm/config.js';
import { CARELESS_REAL_KERNELS, DESIGN_CONFIGURATIONS, type DesignsResult } from './designs.js';
import { cellHtml, cellPage } from './html.js';
import { kernelTag } from './report-kernel.js';
import { reportPage } from './report-page.js';
import { tracePage } from './report-trace.js';
import type { StudyCell } from './study.js';

const INDEX = 'index.html';

function table(result: DesignsResult, rows: readonly string[], cols: readonly string[], head: string, id: string): string {
  const at = (conf: string, w: string): StudyCell | undefined => result.cells.find((c) => c.configuration === conf && c.walker === w);
  const body = rows.map((r) => `<tr><th>${esc(r)}</th>${cols.map((w) => cellHtml(at(r, w))).join('')}</tr>`).join('\n');
  return `<table id="${id}"><tr><th>${esc(head)}</th>${cols.map((w) => `<th>${esc(w)}</th>`).join('')}</tr>\n${body}</table>`;
}

export function designsHtml(result: DesignsResult): string {
  const { reserve } = result;
  const designs = DESIGN_CONFIGURATIONS.map((d) => `<tr><th>${esc(d)}</th><td>${esc(kernelRelease(d).note)}</td></tr>`).join('\n');
  const bugs = [...result.cells, ...result.fallbacks].filter((c) => c.outcome === 'bug' && c.trace);
  const figures = reserve.figures.map((f) => `<tr><th>${esc(f.parent)}</th><td>${f.vmas}</td><td>${f.height}</td><td>${f.max}</td><td>${f.argMax}</td>` +
    `<td>${f.allocating}/${f.vmas}</td><td>${f.rcuMax}</td><td>${f.rcuAllocating}/${f.vmas}</td></tr>`).join('\n');
  const v = reserve.verdict;
  const body = `<h1>dup_mmap recovery designs × walkers</h1>
<p>The recoveries argued over in the RFC thread, each on 7.0 without its reader-side fixes. Fork fails at every point: the n-th
allocation alone, the n-th and every later one (so the recovery's own clearing store fails too), and a fatal signal at each VMA;
the explorer tries every interleaving with up to ${result.bound} preemption${result.bound === 1 ? '' : 's'}.
${result.executions} executions in ${(result.timeMs / 1000).toFixed(1)} s.</p>
<table id="designs-legend"><tr><th>design</th><th>what it does</th></tr>
${designs}</table>
<h2>Design × walker</h2>
${table(result, DESIGN_CONFIGURATIONS, result.walkers, 'design', 'designs')}
<h2>The careless walker on real kernels</h2>
${table(result, CARELESS_REAL_KERNELS.filter((k) => result.cells.some((c) => c.configuration === k)), ['careless'], 'kernel', 'careless')}
<h2>The fallbacks, on a parent of height 2</h2>
<p>Every allocation from the n-th on fails, so the clearing store fails wherever it needs a node and the fallback runs.</p>
<table id="fallbacks"><tr><th>design × walker</th><th>outcome</th></tr>
${result.fallbacks.map((c) => `<tr><th>${esc(`${c.configuration} × ${c.walker}`)}</th>${cellHtml(c)}</tr>`).join('\n')}</table>
<h2>Counterexamples</h2>
${bugs.length === 0 ? '<p>none</p>' : `<ul>${bugs.map((c) => `<li><a href="${esc(cellPage(c))}">${esc(c.walker)} on ${esc(c.configuration)}</a>: ${esc(c.kind ?? '')} <small>${esc(c.failurePoint ?? '')}</small><code class="token">mapletree replay ${esc(traceToken(c.trace!))}</code></li>`).join('\n')}</ul>`}
<h2>The node reserve (${reserve.nodes} nodes)</h2>
<p>Nodes the clearing store over [failing VMA, ULONG_MAX] needs at each failure point: the tree's own mas_preallocate count.</p>
<table id="reserve"><tr><th>parent</th><th>VMAs</th><th>height</th><th>max</th><th>at VMA</th><th>allocating</th><th>RCU max</th><th>RCU allocating</th></tr>
${figures}</table>
<p>One failing fork needs at most ${v.max} (RCU ${v.rcuMax}); two at once, the first one's refill failing, ${v.twoForks} (RCU ${v.rcuTwoForks}).
Largest need by height: ${reserve.byHeight.map((h) => `${h.height}: ${h.max}`).join(', ')}${reserve.exceedsAtHeight === null ? '' : `; above ${reserve.nodes} from height ${reserve.exceedsAtHeight}${reserve.byHeight.some((h) => h.height === reserve.exceedsAtHeight) ? '' : ' (extrapolated along 3·height + 1)'}`}.</p>`;
  const two = result.twoForks.map((r) => `<tr><th>${esc(r.design)}</th><td>${r.nodes}</td><td class="${r.bug ? 'bug' : 'verified'}">${r.bug ? esc(`${r.bug.kind}: ${r.bug.message}`) : `no bug in ${r.executions} executions`}</td><td>${esc(r.outcomes.join(', '))}</td></tr>`).join('\n');
  const twoForks = result.twoForks.length === 0 ? '' : `<h2>Two forks failing at once</h2>
<table id="two-forks"><tr><th>design</th><th>reserve</th><th>outcome</th><th>what the two recoveries did</th></tr>
${two}</table>`;
  return reportPage('mapletree study: dup_mmap recovery designs', body + twoForks);
}

/** Writes index.html and a page per counterexample into `dir`; returns the index's path. */
export function writeDesignsReport(dir: string, result: DesignsResult): string {
  mkdirSync(dir, { recursive: true });
  const index = join(dir, INDEX);
  writeFileSync(index, designsHtml(result));
  for (const c of [...result.cells, ...result.fallbacks]) {
    if (!c.trace) continue;
    const page = tracePage(c.trace, {
      title: `${c.walker} on ${c.configuration}`, tag: kernelTag(c.configuration), index: INDEX, indexTitle: 'the designs: every recovery and walker',
      ...(c.failurePoint !== undefined ? { failurePoint: c.failurePoint } : {}),
    });
    writeFileSync(join(dir, cellPage(c)), page);
  }
  return index;
}
