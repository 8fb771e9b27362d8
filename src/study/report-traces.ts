/**
 * The counterexamples of any exploration (one model or many) as a report folder: an index listing
 * every bug, and one interactive page per bug, each linking back. Fork-exit traces get the child's
 * tree and maps beside their lanes; others, the lanes and step control alone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml as esc } from '../explore/html.js';
import type { Trace } from '../explore/trace.js';
import { parseVariant, walkersName } from './model.js';
import { kernelTag } from './report-kernel.js';
import { pageName, reportPage } from './report-page.js';
import { isForkExit } from './report-steps.js';
import { tracePage } from './report-trace.js';
import { show, stringArg } from '../mm/args.js';
import { arrayArg, makeReportDir, parentArg } from './args.js';
import type { ParentProcess } from './scenario.js';

const INDEX = 'index.html';

function titleOf(trace: Trace): { title: string; tag: string } {
  if (!isForkExit(trace.model)) return { title: `${trace.model} (${trace.variant})`, tag: kernelTag(undefined) };
  const { kernel, walkers } = parseVariant(trace.variant);
  return { title: `${walkersName(walkers)} on ${kernel} (${trace.variant})`, tag: kernelTag(kernel) };
}

/**
 * Writes index.html and a page per trace into `dir`; returns the index's path. `parent` is the
 * process fork-exit traces forked, when not the default parent.
 */
export function writeTraceReport(dir: string, traces: readonly Trace[], heading = 'mapletree: counterexamples', parent?: ParentProcess): string {
  const fn = 'writeTraceReport';
  stringArg(fn, 'dir', dir);
  arrayArg(fn, 'traces', traces).forEach((t, i) => {
    const o = t as Partial<Record<keyof Trace, unknown>> | null;
    if (typeof t !== 'object' || o === null || typeof o.model !== 'string' || typeof o.variant !== 'string' || !Array.isArray(o.events) || !Array.isArray(o.decisions) ||
      typeof o.stats !== 'object' || o.stats === null) {
      throw new TypeError(`${fn}: traces[${i}] must be a trace { model, variant, decisions, events, stats, … }, got ${show(t)}`);
    }
  });
  stringArg(fn, 'heading', heading);
  parentArg(fn, 'parent', parent);
  makeReportDir(fn, dir);
  const items: string[] = [];
  const used = new Set<string>();
  for (const trace of traces) {
    let name = pageName(trace.model, trace.variant);
    for (let n = 2; used.has(name); n++) name = pageName(trace.model, trace.variant, String(n));
    used.add(name);
    const { title, tag } = titleOf(trace);
    writeFileSync(join(dir, name), tracePage(trace, { title, tag, index: INDEX, indexTitle: heading, ...(parent ? { parent } : {}) }));
    const v = trace.violation;
    items.push(`<li><a href="${esc(name)}">${esc(title)}</a>: ${esc(v?.kind ?? 'no violation')} <small>${esc(v?.message ?? '')}; ${trace.stats.steps} steps</small></li>`);
  }
  const body = `<h1>${esc(heading)}</h1>
<p>${traces.length} counterexample${traces.length === 1 ? '' : 's'}; each page shows the lanes with a step control and the replay token.</p>
${items.length === 0 ? '<p>No bug was found.</p>' : `<ul id="traces">${items.join('\n')}</ul>`}`;
  const index = join(dir, INDEX);
  writeFileSync(index, reportPage(heading, body));
  return index;
}
