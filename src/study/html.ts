/**
 * The study as an HTML report: an index page (what each configuration is, the parent that forks,
 * the table, a legend) and one interactive page per counterexample (report-trace.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml as esc } from '../explore/html.js';
import { kernelConfig, type KernelConfig } from '../mm/config.js';
import { formatMaps } from '../mm/maps.js';
import { kernelTag } from './report-kernel.js';
import { pageName, reportPage } from './report-page.js';
import { tracePage } from './report-trace.js';
import { buildScenario, type WalkerName } from './scenario.js';
import type { StudyCell, StudyResult } from './study.js';

export interface StudyHtmlOptions {
  /** The parent's /proc/<pid>/maps as the study saw it (default: the study's default parent). */
  readonly parentMaps?: string;
}

const INDEX = 'index.html';

/** The fixes a configuration has, in words. */
const FIXES: readonly [keyof KernelConfig, string][] = [
  ['uffdFailOnError', 'dup_userfaultfd_fail on error (Oct 2024)'],
  ['uprobeSemInDupMm', 'dup_mmap_sem held until mmput (Dec 2024)'],
  ['failureFlags', 'MMF_OOM_SKIP | MMF_UNSTABLE on failure (Jan 2025)'],
  ['uprobeStableCheck', 'uprobe checks a stable mm (Jan 2025)'],
  ['swapoffStableCheck', 'unuse_mm skips an unstable mm (Sep 2025)'],
];

function describeConfig(config: KernelConfig): string {
  const recovery = config.recovery === 'teardown' ? 'the partial tree is torn down before the locks drop' : 'XA_ZERO_ENTRY marks the failure point';
  const fixes = FIXES.filter(([key]) => config[key] === true).map(([, text]) => text);
  if (config.swapoffZeroCheck) fixes.push(`unuse_mm ${config.swapoffZeroCheck === 'break' ? 'stops' : 'steps over'} at XA_ZERO_ENTRY`);
  return `${esc(recovery)}; ${fixes.length === 0 ? 'no reader fix' : fixes.map(esc).join('; ')}`;
}

/** The release a configuration models, for its kernel links (its first release, when it names one). */
function releaseOf(configuration: string): string | undefined {
  return configuration;
}

/** A page name for a bug cell. */
export function cellPage(c: Pick<StudyCell, 'configuration' | 'walker'>): string {
  return pageName(c.configuration, c.walker);
}

function cellHtml(c: StudyCell | undefined): string {
  if (!c) return '<td class="na">not run</td>';
  const outcome: string = c.outcome;
  const reason = (c as { reason?: string }).reason;
  if (outcome === 'bug') {
    return `<td class="bug"><a href="${esc(cellPage(c))}">${esc(c.kind ?? 'bug')}</a><br><small>${esc(c.failurePoint ?? '')}<br>${
      c.traceLength} steps, found after ${c.executionsToFirstBug} executions</small></td>`;
  }
  if (outcome === 'verified') {
    return c.exhaustive
      ? `<td class="verified">verified<br><small>${c.executions} executions, bound ${c.bound}</small></td>`
      : `<td class="capped">no bug found (capped)<br><small>${c.executions} executions: the cap stopped a search</small></td>`;
  }
  const cls = outcome === 'n/a' ? 'na' : outcome === 'error' ? 'error' : 'unreachable';
  return `<td class="${cls}">${esc(outcome)}${reason ? `<br><small>${esc(reason)}</small>` : ''}</td>`;
}

export function studyHtml(result: StudyResult, walkers: readonly WalkerName[], configurations: readonly string[], options: StudyHtmlOptions = {}): string {
  const at = (conf: string, w: WalkerName): StudyCell | undefined => result.results.find((r) => r.configuration === conf && r.walker === w);
  const table = configurations.map((conf) => `<tr><th>${esc(conf)}</th>${walkers.map((w) => cellHtml(at(conf, w))).join('')}</tr>`);
  const configs = configurations.map((conf) => `<tr><th>${esc(conf)}</th><td>${describeConfig(kernelConfig(conf))}</td></tr>`);
  const parentMaps = options.parentMaps ?? formatMaps(buildScenario({ kernel: configurations[0] ?? 'teardown' }).parent);
  const bugs = result.results.filter((c) => c.outcome === 'bug' && c.trace);
  const body = `<h1>fork failure × walkers</h1>
<p>Each cell: fork fails at every point (a fatal signal at each of the parent's ${result.parentVmas} VMAs, and every n-th allocation),
and the explorer tries every interleaving of fork and the walker with up to ${result.bound} preemptions.
${result.executions} executions in ${(result.timeMs / 1000).toFixed(1)} s. Click a bug for its trace, with the child's maple tree at every step.</p>
<p class="legend">Legend: <span class="bug">bug: a counterexample</span><span class="verified">verified: every failure point and interleaving up to the bound</span><span class="capped">no bug found, but a search hit its cap</span><span class="unreachable">unreachable / n/a</span><span class="error">error</span></p>
<table id="results"><tr><th>configuration</th>${walkers.map((w) => `<th>${esc(w)}</th>`).join('')}</tr>
${table.join('\n')}</table>
<h2>Counterexamples</h2>
${bugs.length === 0 ? '<p>none</p>' : `<ul>${bugs.map((c) => `<li><a href="${esc(cellPage(c))}">${esc(c.walker)} on ${esc(c.configuration)}</a>: ${esc(c.kind ?? '')} <small>${esc(c.failurePoint ?? '')}</small></li>`).join('\n')}</ul>`}
<h2>Configurations</h2>
<table id="configurations"><tr><th>configuration</th><th>what it models</th></tr>
${configs.join('\n')}</table>
<h2>The parent that forks</h2>
<pre id="parent-maps">${esc(parentMaps)}</pre>`;
  return reportPage('mapletree study: dup_mmap failure recovery', body);
}

/** Writes index.html and a page per counterexample into `dir`; returns the index's path. */
export function writeStudyReport(dir: string, result: StudyResult, walkers: readonly WalkerName[], configurations: readonly string[], options: StudyHtmlOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const index = join(dir, INDEX);
  writeFileSync(index, studyHtml(result, walkers, configurations, options));
  for (const c of result.results) {
    if (!c.trace) continue;
    const page = tracePage(c.trace, {
      title: `${c.walker} on ${c.configuration}`, tag: kernelTag(releaseOf(c.configuration)), index: INDEX, indexTitle: 'the study: every configuration and walker',
      ...(c.failurePoint !== undefined ? { failurePoint: c.failurePoint } : {}),
    });
    writeFileSync(join(dir, cellPage(c)), page);
  }
  return index;
}
