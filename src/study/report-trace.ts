/**
 * One counterexample as an interactive page: the lanes (one column per task, each step's kernel
 * functions linked to their source), a step control, and — for the fork-exit model — beside them
 * the child's maple tree and maps as the model held them after the selected step. Fork's copy
 * loop is folded where the terminal's lanes fold it (a click, or stepping into it, unfolds it).
 * Without script the page still shows the lanes and the child at the crash.
 */
import type { TraceEvent } from '../explore/execution.js';
import { escapeHtml as esc } from '../explore/html.js';
import { racingObjects } from '../explore/report.js';
import { traceToken, type Trace } from '../explore/trace.js';
import { visibleLoopSteps } from './lanes.js';
import { linkedLabel } from './report-kernel.js';
import { reportPage } from './report-page.js';
import { childSteps, isForkExit, type ChildView, type StepViews } from './report-steps.js';
import type { ParentProcess } from './scenario.js';

export interface TracePageInfo {
  /** What the page is about, e.g. `swapoff on 6.8-6.11`. */
  readonly title: string;
  /** The Elixir tag the kernel links point at (kernelTag of the configuration's first release). */
  readonly tag: string;
  /** Where fork failed, as the study names it. */
  readonly failurePoint?: string;
  /** The page to go back to, and what it is. */
  readonly index: string;
  readonly indexTitle: string;
  /** The process a fork-exit trace forked (default: the default parent), to replay it for the child. */
  readonly parent?: ParentProcess;
}

/** The child at every step, or why it cannot be drawn (the page then shows the lanes alone). */
function childViews(trace: Trace, parent: ParentProcess | undefined): { steps: StepViews; note: string } {
  const none = { views: [], after: [] };
  if (!isForkExit(trace.model)) return { steps: none, note: '' };
  try {
    return { steps: childSteps(trace, parent), note: '' };
  } catch (e) {
    return { steps: none, note: `The child's tree is not drawn: ${e instanceof Error ? e.message : String(e)}.` };
  }
}

const SCRIPT = `(function () {
  var rows = document.querySelectorAll('.lanes tr[data-i]');
  var views = document.querySelectorAll('.view');
  var stepView = JSON.parse(document.getElementById('step-view').textContent);
  var range = document.getElementById('step');
  var label = document.getElementById('step-label');
  var cur = -1;
  function unfold(g) {
    var members = document.querySelectorAll('.lanes tr[data-fold="' + g + '"]');
    for (var m = 0; m < members.length; m++) members[m].hidden = false;
    document.querySelector('.lanes tr.fold[data-group="' + g + '"]').hidden = true;
  }
  var folds = document.querySelectorAll('.lanes tr.fold');
  for (var f = 0; f < folds.length; f++) folds[f].addEventListener('click', function () { unfold(this.getAttribute('data-group')); });
  function show(i, scroll) {
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (rows[i].hidden) unfold(rows[i].getAttribute('data-fold'));
    if (cur >= 0) rows[cur].classList.remove('sel');
    cur = i;
    rows[i].classList.add('sel');
    range.value = String(i);
    for (var k = 0; k < views.length; k++) views[k].hidden = k !== stepView[i];
    label.textContent = rows[i].getAttribute('data-label');
    if (scroll) rows[i].scrollIntoView({ block: 'center' });
  }
  range.addEventListener('input', function () { show(Number(range.value), true); });
  document.getElementById('prev').addEventListener('click', function () { show(cur - 1, true); });
  document.getElementById('next').addEventListener('click', function () { show(cur + 1, true); });
  for (var r = 0; r < rows.length; r++) rows[r].addEventListener('click', function (ev) {
    if (ev.target.closest('a')) return;
    show(Number(this.getAttribute('data-i')), false);
  });
  var jumps = document.querySelectorAll('a[data-jump]');
  for (var j = 0; j < jumps.length; j++) jumps[j].addEventListener('click', function (ev) {
    ev.preventDefault();
    show(Number(this.getAttribute('data-jump')), true);
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.target === range) return;
    if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') { show(cur - 1, true); ev.preventDefault(); }
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') { show(cur + 1, true); ev.preventDefault(); }
  });
  show(Number(range.value), true);
})();`;

function cellHtml(e: TraceEvent, racing: ReadonlySet<string>, tag: string): string {
  const race = e.kind === 'access' && e.obj !== undefined && racing.has(e.obj);
  const cls = e.violation ? 'violation' : e.fault ? 'fault' : race ? 'race' : '';
  const text = e.violation && e.kind === 'assert' && e.result
    ? `${esc(e.label)}: ${esc(e.result)}`
    : `${linkedLabel(e.label, tag)}${e.result !== undefined && e.result !== '' ? ` → ${esc(e.result)}` : ''}${e.fault ? ' [injected failure]' : ''}${race ? ' ⚡' : ''}`;
  return `<span class="${cls}" title="${esc(`${e.kind}${e.obj !== undefined ? ` ${e.obj}` : ''}`)}">${text}</span>`;
}

function viewHtml(view: ChildView, k: number, shown: boolean): string {
  const maps = view.maps.length === 0 ? '<p><small>no VMAs</small></p>'
    : `<pre class="maps">${view.maps.map((r) => (r.mark ? `<span class="${r.mark}">${esc(r.text)}</span>` : esc(r.text))).join('\n')}</pre>`;
  return `<div class="view" data-view="${k}"${shown ? '' : ' hidden'}>
<p class="status"><b>${esc(view.status)}</b></p>
${view.svg === '' ? '' : `<div class="tree">${view.svg}</div>`}
${view.mm === null ? '' : `<h3>${esc(view.mm)}'s maps</h3>${maps}`}
</div>`;
}

/** Steps worth jumping to: the injected failure, the recovery, the child's lock dropping, each walker's start, the crash. */
function jumps(trace: Trace, child: string | null): { label: string; i: number }[] {
  const ev = trace.events;
  const out: { label: string; i: number }[] = [];
  const first = (label: string, pred: (e: TraceEvent) => boolean): void => {
    const i = ev.findIndex(pred);
    if (i >= 0 && !out.some((o) => o.i === i)) out.push({ label, i });
  };
  first('the injected failure', (e) => e.fault === true);
  if (child !== null) {
    first('the recovery writes the child\'s tree', (e) => e.kind === 'access' && e.write === true && e.obj === `${child}.mm_mt`);
    first(`${child}'s mmap_lock drops`, (e) => e.kind === 'unlock' && e.obj === `${child}.mmap_lock`);
  }
  for (const task of new Set(ev.map((e) => e.task))) if (task !== ev[0]?.task) first(`${task} starts`, (e) => e.task === task);
  first('the crash', (e) => e.violation === true);
  return out.sort((a, b) => a.i - b.i);
}

/** For each event, the fold it is hidden in (-1: shown): runs of two or more loop steps the lanes fold. */
function foldGroups(events: readonly TraceEvent[]): number[] {
  const visible = visibleLoopSteps(events);
  const group = events.map(() => -1);
  let n = 0;
  for (let i = 0; i < events.length; i++) {
    if (visible[i]) continue;
    let j = i;
    while (j + 1 < events.length && !visible[j + 1] && events[j + 1]!.task === events[i]!.task) j++;
    if (j > i) {
      for (let k = i; k <= j; k++) group[k] = n;
      n++;
    }
    i = j;
  }
  return group;
}

function foldRow(events: readonly TraceEvent[], group: readonly number[], i: number, columns: number): string {
  let j = i;
  while (group[j + 1] === group[i]) j++;
  return `<tr class="fold" data-group="${group[i]}"><td colspan="${columns}">… ${j - i + 1} steps of dup_mmap's copy loop (steps ${events[i]!.step}–${events[j]!.step}): show …</td></tr>`;
}

/** The counterexample page of one bug cell. */
export function tracePage(trace: Trace, info: TracePageInfo): string {
  const { steps: { views, after }, note } = childViews(trace, info.parent);
  const tasks = [...new Set(trace.events.map((e) => e.task))];
  const racing = racingObjects(trace.events);
  const last = after.length - 1;
  const viewAt = trace.events.map((e) => (last < 0 ? -1 : after[Math.min(e.step, last)]!));
  const start = trace.events.length - 1;
  const group = foldGroups(trace.events);
  const rows = trace.events.map((e, i) => {
    const changed = i > 0 && viewAt[i] !== viewAt[i - 1];
    const when = e.step > trace.stats.steps ? `after step ${trace.stats.steps}` : `step ${e.step} of ${trace.stats.steps}`;
    const data = `${when} · ${e.task} · ${e.label}${e.result ? ` → ${e.result}` : ''}`;
    const g = group[i]!;
    const fold = g < 0 || group[i - 1] === g ? '' : foldRow(trace.events, group, i, tasks.length + 1);
    return `${fold}<tr data-i="${i}" data-step="${e.step}" data-label="${esc(data)}"${changed ? ' class="changed"' : ''}${
      g < 0 ? '' : ` data-fold="${g}" hidden`}><th>${e.step}</th>${tasks.map((t) => `<td>${t === e.task ? cellHtml(e, racing, info.tag) : ''}</td>`).join('')}</tr>`;
  });
  const child = views.find((v) => v.mm !== null)?.mm ?? null;
  const v = trace.violation;
  const token = traceToken(trace);
  const body = `<nav><a href="${esc(info.index)}">← ${esc(info.indexTitle)}</a></nav>
<h1>${esc(info.title)}: ${esc(v?.kind ?? 'no violation')}</h1>
${v ? `<p class="violation">${esc(v.message)}</p>` : ''}
<p>${info.failurePoint ? `Fork fails: <b>${esc(info.failurePoint)}</b>. ` : ''}${trace.stats.steps} steps, ${trace.stats.preemptions} preemptions${
  trace.stats.minimisedFrom !== undefined ? ` (minimised from ${trace.stats.minimisedFrom} steps)` : ''}; found by ${esc(trace.strategy)}.
Kernel functions link to Linux <code>${esc(info.tag)}</code> on Elixir.</p>
${note === '' ? '' : `<p class="note">${esc(note)}</p>`}
<p>Racing objects (touched by two tasks, one writing): ${[...racing].map((o) => `<code>${esc(o)}</code>`).join(' ') || 'none'}.</p>
<p class="legend"><span class="race">racing access ⚡</span><span class="fault">injected failure</span><span class="violation">violation</span>
<span class="changed" style="border-left:4px solid #0645ad">the step changes the child</span>
in the tree and maps: <b style="color:var(--hl)">XA_ZERO_ENTRY (zero (257)) or a freed VMA</b>, <i style="color:var(--foreign)">a VMA of another mm</i></p>
<div class="controls"><button id="prev" type="button" aria-label="previous step">◀</button>
<input id="step" type="range" min="0" max="${trace.events.length - 1}" value="${start}" aria-label="step">
<button id="next" type="button" aria-label="next step">▶</button>
<output id="step-label" class="mono"></output></div>
<p class="jump">Jump to: ${jumps(trace, child).map((j) => `<a href="#" data-jump="${j.i}">${esc(j.label)}</a>`).join(' ')}</p>
<div class="trace">
<div class="lanes"><table><tr><th>step</th>${tasks.map((t) => `<th>${esc(t)}</th>`).join('')}</tr>
${rows.join('\n')}
</table></div>
${views.length === 0 ? '' : `<div class="child"><h2>The child after the selected step</h2>
${views.map((view, k) => viewHtml(view, k, k === viewAt[start])).join('\n')}
</div>`}
</div>
<h2>Replay</h2><p><code class="token">mapletree replay ${esc(token)}</code></p>
<script type="application/json" id="step-view">${JSON.stringify(viewAt)}</script>`;
  return reportPage(`mapletree: ${info.title}`, body, SCRIPT);
}
