/**
 * The study as an HTML report: an index page with the table, and one page per counterexample.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml as esc, htmlReport } from '../explore/report.js';
import { traceToken } from '../explore/trace.js';
import type { WalkerName } from './scenario.js';
import type { StudyResult } from './study.js';

export function studyHtml(result: StudyResult, walkers: readonly WalkerName[], configurations: readonly string[]): string {
  const rows = configurations.map((conf) => `<tr><th>${esc(conf)}</th>${walkers.map((w) => {
    const c = result.results.find((r) => r.configuration === conf && r.walker === w)!;
    return c.outcome === 'bug'
      ? `<td class="bug"><a href="${esc(`${conf}--${w}.html`)}">${esc(c.kind!)}</a><br><small>${esc(c.failurePoint ?? '')}<br>${c.traceLength} steps, found after ${c.executionsToFirstBug} executions</small></td>`
      : `<td class="ok">verified<br><small>${c.executions} executions, bound ${c.bound}</small></td>`;
  }).join('')}</tr>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mapletree study: dup_mmap failure recovery</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:6px 10px;text-align:left;vertical-align:top}.bug{background:#ffd6d6}.ok{background:#dff5df}
small{color:#555}</style></head><body>
<h1>fork failure × walkers</h1>
<p>Each cell: fork fails at every point (a fatal signal at each of the parent's ${result.parentVmas} VMAs, and every n-th allocation),
and the explorer tries every interleaving of fork and the walker with up to ${result.bound} preemptions.
${result.executions} executions in ${(result.timeMs / 1000).toFixed(1)} s. Click a bug for its trace.</p>
<table><tr><th>configuration</th>${walkers.map((w) => `<th>${esc(w)}</th>`).join('')}</tr>
${rows.join('\n')}</table></body></html>
`;
}

/** Writes index.html and a page per counterexample into `dir`; returns the index's path. */
export function writeStudyReport(dir: string, result: StudyResult, walkers: readonly WalkerName[], configurations: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  const index = join(dir, 'index.html');
  writeFileSync(index, studyHtml(result, walkers, configurations));
  for (const c of result.results) if (c.trace) writeFileSync(join(dir, `${c.configuration}--${c.walker}.html`), htmlReport(c.trace, traceToken(c.trace)));
  return index;
}
