/**
 * The study as an HTML report: an index page (what each configuration is, the parent that forks,
 * the table, a legend) and one interactive page per counterexample (report-trace.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml as esc } from '../explore/html.js';
import { kernelRelease } from '../mm/config.js';
import { formatMaps } from '../mm/maps.js';
import { kernelTag } from './report-kernel.js';
import { pageName, reportPage } from './report-page.js';
import { tracePage } from './report-trace.js';
import { optionsArg, show, stringArg } from '../mm/args.js';
import { makeReportDir, parentArg, resultArg, stringsArg } from './args.js';
import { latestParent, type ParentProcess } from './scenario.js';
import type { StudyCell, StudyResult } from './study.js';

export interface StudyHtmlOptions {
  /** The process the study forked (default: the result's parent): its maps head the index, and the traces replay with it. */
  readonly parent?: ParentProcess;
}

const INDEX = 'index.html';

/** A configuration's row: the releases it stands for, the commits that make it, what it models. */
function configurationRow(name: string): string {
  const k = kernelRelease(name);
  const commits = k.commits.map((c) => {
    const m = /^([0-9a-f]{12})\b(.*)$/.exec(c);
    return `<li>${m ? `<code>${esc(m[1]!)}</code>${esc(m[2]!)}` : esc(c)}</li>`;
  });
  return `<tr${k.counterfactual ? ' class="counterfactual"' : ''}><th>${esc(k.name)}</th><td>${k.counterfactual ? '<i>counterfactual</i>' : esc(k.releases)}</td>` +
    `<td><ul class="commits">${commits.join('')}</ul></td><td>${esc(k.note)}</td></tr>`;
}

/** A page name for a bug cell. */
export function cellPage(c: Pick<StudyCell, 'configuration' | 'walker'>): string {
  if (typeof c !== 'object' || c === null) throw new TypeError(`cellPage: cell must be a study cell { configuration, walker, … }, got ${show(c)}`);
  stringArg('cellPage', 'cell.configuration', c.configuration);
  stringArg('cellPage', 'cell.walker', c.walker);
  return pageName(c.configuration, c.walker);
}

/** One cell of a study table (the designs report uses it too). */
export function cellHtml(c: StudyCell | undefined): string {
  if (!c) return '<td class="na">not run</td>';
  if (c.outcome === 'bug') {
    return `<td class="bug"><a href="${esc(cellPage(c))}">${esc(c.kind ?? 'bug')}</a><br><small>${esc(c.failurePoint ?? '')}<br>${
      c.traceLength} steps, found after ${c.executionsToFirstBug} executions</small></td>`;
  }
  if (!c.exhaustive && (c.outcome === 'verified' || c.outcome === 'unreachable')) {
    return `<td class="capped">no bug in ${c.executions} executions (capped)<br><small>the cap stopped a search: nothing is verified</small></td>`;
  }
  if (c.outcome === 'verified') return `<td class="verified">verified<br><small>${c.executions} executions, bound ${c.bound}</small></td>`;
  const cls = c.outcome === 'n/a' ? 'na' : c.outcome;
  return `<td class="${esc(cls)}">${esc(c.outcome)}${c.reason ? `<br><small>${esc(c.reason)}</small>` : ''}</td>`;
}

/** The checks of studyHtml's and writeStudyReport's arguments. */
function studyHtmlArgs(fn: string, result: unknown, walkers: unknown, configurations: unknown, options: unknown): void {
  resultArg(fn, 'result', result);
  stringsArg(fn, 'walkers', walkers);
  stringsArg(fn, 'configurations', configurations);
  parentArg(fn, 'options.parent', optionsArg(fn, 'options', options, ['parent'])['parent']);
}

/** Which cells were searched on the parent compressed by class, and on how many of its VMAs. */
function compressionHtml(result: StudyResult): string {
  const c = result.results.find((r) => r.compressed)?.compressed;
  if (!c) return '';
  const exact = [...new Set(result.results.filter((r) => !r.compressed).map((r) => r.configuration))];
  return `<p class="compressed">Searched on the process compressed by class: ${c.vmas} of ${c.of} VMAs, by ${c.classes} classes (docs/walkers.md, "Class compression"); ` +
    `failure points are numbered as in the process, a trace's steps as in the compressed parent.${exact.length > 0 ? ` Searched exact: ${esc(exact.join(', '))}.` : ''}</p>`;
}

export function studyHtml(result: StudyResult, walkers: readonly string[], configurations: readonly string[], options: StudyHtmlOptions = {}): string {
  studyHtmlArgs('studyHtml', result, walkers, configurations, options);
  const at = (conf: string, w: string): StudyCell | undefined => result.results.find((r) => r.configuration === conf && r.walker === w);
  const table = configurations.map((conf) => `<tr><th>${esc(conf)}</th>${walkers.map((w) => cellHtml(at(conf, w))).join('')}</tr>`);
  const parent = options.parent ?? result.parent;
  const parentMaps = formatMaps(latestParent(parent));
  const bugs = result.results.filter((c) => c.outcome === 'bug' && c.trace);
  const body = `<h1>fork failure × walkers</h1>
<p>Each cell: fork fails at every point (a fatal signal at each of the parent's ${result.parentVmas} VMAs, and every n-th allocation),
and the explorer tries every interleaving of fork and the walker with up to ${result.bound} preemptions.
${result.executions} executions in ${(result.timeMs / 1000).toFixed(1)} s. Click a bug for its trace, with the child's maple tree at every step.</p>
${compressionHtml(result)}
<p class="legend">Legend: <span class="bug">bug: a counterexample</span><span class="verified">verified: every failure point and interleaving up to the bound</span><span class="unreachable">unreachable: the walker never got hold of the child</span><span class="na">n/a: the walker has nothing to do in this parent</span><span class="capped">no bug, but a search hit its cap</span><span class="error">error</span></p>
<table id="results"><tr><th>configuration</th>${walkers.map((w) => `<th>${esc(w)}</th>`).join('')}</tr>
${table.join('\n')}</table>
<h2>Counterexamples</h2>
${bugs.length === 0 ? '<p>none</p>' : `<ul>${bugs.map((c) => `<li><a href="${esc(cellPage(c))}">${esc(c.walker)} on ${esc(c.configuration)}</a>: ${esc(c.kind ?? '')} <small>${esc(c.failurePoint ?? '')}</small></li>`).join('\n')}</ul>`}
<h2>Configurations</h2>
<p>Each row stands for a range of real releases and names the commits that make it differ from the row before; a counterfactual row changes one fact of a real kernel. Kernel links on the trace pages point at each row's first release.</p>
<table id="configurations"><tr><th>configuration</th><th>releases</th><th>commits</th><th>what it models</th></tr>
${configurations.map(configurationRow).join('\n')}</table>
<h2>The parent that forks</h2>
<pre id="parent-maps">${esc(parentMaps)}</pre>`;
  return reportPage('mapletree study: dup_mmap failure recovery', body);
}

/** Writes index.html and a page per counterexample into `dir`; returns the index's path. */
export function writeStudyReport(dir: string, result: StudyResult, walkers: readonly string[], configurations: readonly string[], options: StudyHtmlOptions = {}): string {
  stringArg('writeStudyReport', 'dir', dir);
  studyHtmlArgs('writeStudyReport', result, walkers, configurations, options);
  makeReportDir('writeStudyReport', dir);
  const index = join(dir, INDEX);
  writeFileSync(index, studyHtml(result, walkers, configurations, options));
  const parent = options.parent ?? result.parent;
  for (const c of result.results) {
    if (!c.trace) continue;
    const page = tracePage(c.trace, {
      title: `${c.walker} on ${c.configuration}`, tag: kernelTag(c.configuration), index: INDEX, indexTitle: 'the study: every configuration and walker',
      ...(c.failurePoint !== undefined ? { failurePoint: c.failurePoint } : {}),
      ...(parent ? { parent } : {}),
    });
    writeFileSync(join(dir, cellPage(c)), page);
  }
  return index;
}
