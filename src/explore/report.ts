/**
 * Showing a counterexample: a lane table for the terminal (one column per task, racing accesses
 * marked) and a self-contained HTML page.
 */
import { checkArray, checkCount, checkString } from './arguments.js';
import type { TraceEvent } from './execution.js';
import { escapeHtml } from './html.js';
import { checkTrace, type Trace } from './trace.js';

/** Objects that two or more tasks touch with at least one write: the racing ones. */
export function racingObjects(events: readonly TraceEvent[]): Set<string> {
  checkArray('racingObjects', 'events', events);
  const byObj = new Map<string, { tasks: Set<string>; write: boolean }>();
  for (const e of events) {
    if (e.kind !== 'access' || e.obj === undefined) continue;
    let o = byObj.get(e.obj);
    if (!o) {
      o = { tasks: new Set(), write: false };
      byObj.set(e.obj, o);
    }
    o.tasks.add(e.task);
    if (e.write) o.write = true;
  }
  return new Set([...byObj].filter(([, o]) => o.tasks.size > 1 && o.write).map(([k]) => k));
}

function cell(e: TraceEvent, racing: Set<string>): string {
  let text = e.label;
  if (e.result !== undefined && e.result !== '' && e.kind !== 'assert') text += ` -> ${e.result}`;
  if (e.fault) text += ' [fault]';
  if (e.kind === 'access' && e.obj !== undefined && racing.has(e.obj)) text += ' *';
  if (e.violation) text = `!! ${e.kind === 'assert' && e.result ? e.result : text}`;
  return text;
}

/** A plain-text lane table: step | task 1 | task 2 | … */
export function laneTable(trace: Trace, width = 38): string {
  checkTrace('laneTable', 'trace', trace);
  checkCount('laneTable', 'width', width, { min: 1 });
  const tasks = [...new Set(trace.events.map((e) => e.task))];
  const racing = racingObjects(trace.events);
  const fit = (s: string): string => (s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width));
  const lines = [`step | ${tasks.map((t) => fit(t)).join(' | ')}`, `-----+-${tasks.map(() => '-'.repeat(width)).join('-+-')}`];
  for (const e of trace.events) {
    const cols = tasks.map((t) => (t === e.task ? fit(cell(e, racing)) : ' '.repeat(width)));
    lines.push(`${String(e.step).padStart(4)} | ${cols.join(' | ')}`);
  }
  return lines.join('\n');
}

export { escapeHtml };

/** A self-contained HTML report: lanes over time, racing objects, the fault and the violation. */
export function htmlReport(trace: Trace, token: string): string {
  checkTrace('htmlReport', 'trace', trace);
  checkString('htmlReport', 'token', token);
  const tasks = [...new Set(trace.events.map((e) => e.task))];
  const racing = racingObjects(trace.events);
  const rows = trace.events.map((e) => {
    const cls = e.violation ? 'violation' : e.fault ? 'fault' : e.kind === 'access' && e.obj && racing.has(e.obj) ? 'race' : '';
    const cols = tasks.map((t) => `<td>${t === e.task ? `<span class="${cls}" title="${escapeHtml(e.kind + (e.obj ? ' ' + e.obj : ''))}">${escapeHtml(cell(e, racing))}</span>` : ''}</td>`);
    return `<tr><th>${e.step}</th>${cols.join('')}</tr>`;
  });
  const v = trace.violation;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mapletree: ${escapeHtml(trace.model)} (${escapeHtml(trace.variant)})</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 8px;vertical-align:top;font-family:ui-monospace,monospace;font-size:12px}
th{background:#f4f4f4}.race{background:#fff3c4}.fault{background:#ffd9b3}.violation{background:#ffb3b3;font-weight:bold}
code{background:#f4f4f4;padding:1px 4px}
</style></head><body>
<h1>${escapeHtml(trace.model)} <small>(${escapeHtml(trace.variant)})</small></h1>
<p><b>Violation:</b> ${v ? `${escapeHtml(v.kind)} — ${escapeHtml(v.message)}` : 'none'}</p>
<p>Strategy ${escapeHtml(trace.strategy)}${trace.seed !== null ? `, seed ${trace.seed}` : ''}; ${trace.stats.steps} steps, ${trace.stats.preemptions} preemptions${trace.stats.minimisedFrom !== undefined ? ` (minimised from ${trace.stats.minimisedFrom} steps)` : ''}${trace.fault ? `; fault plan: allocation #${trace.fault.nth}${trace.fault.task ? ` of ${escapeHtml(trace.fault.task)}` : ''}${trace.fault.site ? ` at ${escapeHtml(trace.fault.site)}` : ''} (${trace.fault.mode})` : ''}.</p>
<p>Racing objects: ${[...racing].map((o) => `<code>${escapeHtml(o)}</code>`).join(' ') || 'none'}. Legend: <span class="race">racing access</span> <span class="fault">injected fault</span> <span class="violation">violation</span></p>
<table><tr><th>step</th>${tasks.map((t) => `<th>${escapeHtml(t)}</th>`).join('')}</tr>
${rows.join('\n')}
</table>
<p>Replay: <code>mapletree replay ${escapeHtml(token)}</code></p>
</body></html>
`;
}
