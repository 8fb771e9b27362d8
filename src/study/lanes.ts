/**
 * A study counterexample in the terminal: one lane per task, sized to the terminal, long labels
 * wrapped rather than cut. The fork's copy loop over the parent's VMAs is folded ("… 12 steps of
 * dup_mmap's loop over VMAs 0–2 …") except where the story is: the iteration that fails, steps
 * no other iteration has (the mmlist insertion, dup_userfaultfd), an injected fault and the steps
 * next to another task's. Everything outside the loop — the marker store or teardown, the unlocks,
 * the walker's arrival and the crash — is always shown; only long runs of one repeated step (a
 * walker going over thousands of VMAs) are folded too.
 */
import pc from 'picocolors';
import type { TraceEvent } from '../explore/execution.js';
import { racingObjects } from '../explore/report.js';
import type { Trace } from '../explore/trace.js';

export interface LaneOptions {
  /** Columns of the whole table (the terminal's width, or --width). */
  readonly width: number;
}

type Style = 'plain' | 'fold' | 'race' | 'fault' | 'crash';

interface Row {
  readonly step: string;
  readonly lane: number;
  readonly text: string;
  readonly style: Style;
}

/** Lanes narrower than this wrap every word; below it the table grows past the width asked. */
const MIN_LANE = 16;
/** A run of one repeated step longer than this is folded, keeping its first and last two. */
const LONG_RUN = 5;

const LOOP_STEP = /\bdup_mmap VMA (\d+)\b/;
const VMA_RANGE = /vma#(\d+)\[[^\]]*\]/g;

/** The VMA index of a step of dup_mmap's copy loop, or null. */
function loopVma(e: TraceEvent): number | null {
  const m = LOOP_STEP.exec(e.label);
  return m ? Number(m[1]) : null;
}

/** What a step does, without which VMA or address it does it to. */
function operation(e: TraceEvent): string {
  const colon = e.label.lastIndexOf(': ');
  const op = colon < 0 ? e.label : e.label.slice(colon + 2);
  return `${e.kind} ${op.replace(VMA_RANGE, 'vma').replace(/0x[0-9a-f]+|\d+/g, 'N')}`;
}

/** A step with its VMA and numbers blanked: equal sites are "the same step again". */
function site(e: TraceEvent): string {
  return `${e.task}|${e.kind}|${e.label.replace(VMA_RANGE, 'vma').replace(/0x[0-9a-f]+|\d+/g, 'N')}`;
}

/** Which loop steps stay visible (the HTML report folds the same ones). */
export function visibleLoopSteps(events: readonly TraceEvent[]): boolean[] {
  const iterations = new Map<string, Set<number>>();
  let last = -1;
  for (const e of events) {
    const k = loopVma(e);
    if (k === null) continue;
    last = Math.max(last, k);
    const op = operation(e);
    let seen = iterations.get(op);
    if (!seen) iterations.set(op, (seen = new Set()));
    seen.add(k);
  }
  return events.map((e, i) => {
    const k = loopVma(e);
    if (k === null) return true;
    const beside = [events[i - 1], events[i + 1]].some((n) => n !== undefined && n.task !== e.task);
    return k === last || e.fault === true || e.violation === true || beside || iterations.get(operation(e))!.size === 1;
  });
}

function eventText(e: TraceEvent, racing: ReadonlySet<string>): { text: string; style: Style } {
  if (e.violation) return { text: `!! ${e.kind === 'assert' && e.result ? e.result : e.label}`, style: 'crash' };
  let text = e.label;
  if (e.result !== undefined && e.result !== '' && e.result !== 'ok' && e.kind !== 'assert') text += ` → ${e.result}`;
  if (e.fault) return { text: `${text} [injected failure]`, style: 'fault' };
  if (e.kind === 'access' && e.obj !== undefined && racing.has(e.obj)) return { text: `${text} *`, style: 'race' };
  return { text, style: 'plain' };
}

function stepRange(a: TraceEvent, b: TraceEvent): string {
  return a.step === b.step ? String(a.step) : `${a.step}–${b.step}`;
}

/** The rows to draw: visible steps, and one row per folded run. */
function rows(trace: Trace, lanes: readonly string[]): Row[] {
  const events = trace.events;
  const racing = racingObjects(events);
  const visible = visibleLoopSteps(events);
  const out: Row[] = [];
  let i = 0;
  while (i < events.length) {
    const e = events[i]!;
    const lane = lanes.indexOf(e.task);
    if (!visible[i]) {
      let j = i;
      while (j + 1 < events.length && !visible[j + 1] && events[j + 1]!.task === e.task) j++;
      if (j > i) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let k = i; k <= j; k++) {
          const vma = loopVma(events[k]!)!;
          lo = Math.min(lo, vma);
          hi = Math.max(hi, vma);
        }
        out.push({
          step: stepRange(e, events[j]!), lane, style: 'fold',
          text: `… ${j - i + 1} steps of dup_mmap's loop over VMA${lo === hi ? ` ${lo}` : `s ${lo}–${hi}`} …`,
        });
        i = j + 1;
        continue;
      }
    }
    let j = i;
    while (j + 1 < events.length && visible[j + 1] && site(events[j + 1]!) === site(e) && !events[j + 1]!.violation && !events[j + 1]!.fault) j++;
    if (j - i + 1 > LONG_RUN && !e.violation && !e.fault) {
      const first = eventText(e, racing);
      out.push({ step: String(e.step), lane, ...first });
      const folded = j - i - 2;
      const op = e.label.replace(VMA_RANGE, '').trimEnd();
      out.push({ step: stepRange(events[i + 1]!, events[j - 2]!), lane, style: 'fold', text: `… ${folded} more steps of ${op} …` });
      for (const x of [events[j - 1]!, events[j]!]) out.push({ step: String(x.step), lane, ...eventText(x, racing) });
      i = j + 1;
      continue;
    }
    out.push({ step: String(e.step), lane, ...eventText(e, racing) });
    i++;
  }
  return out;
}

/** Shows a VMA's range the first time it appears, and only its id after that. */
function shortenRanges(rowsIn: readonly Row[]): Row[] {
  const seen = new Set<string>();
  return rowsIn.map((r) => ({
    ...r,
    text: r.text.replace(VMA_RANGE, (whole, n: string) => {
      if (seen.has(n)) return `vma#${n}`;
      seen.add(n);
      return whole;
    }),
  }));
}

/** Splits text into lines of at most `width` columns, at spaces where it can. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let w = word;
    while (w.length > width) {
      const room = line === '' ? width : width - line.length - 1;
      if (room >= 4 || line === '') {
        const part = w.slice(0, Math.max(1, room));
        out.push(line === '' ? part : `${line} ${part}`);
        line = '';
        w = w.slice(part.length);
      } else {
        out.push(line);
        line = '';
      }
    }
    if (line === '') line = w;
    else if (line.length + 1 + w.length <= width) line += ` ${w}`;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line !== '' || out.length === 0) out.push(line);
  return out;
}

const paint: Record<Style, (s: string) => string> = {
  plain: (s) => s, fold: pc.dim, race: pc.yellow, fault: pc.magenta, crash: (s) => pc.bold(pc.red(s)),
};

/** The lane table of a counterexample, as lines at most `width` columns wide (colours aside). */
export function counterexampleLanes(trace: Trace, options: LaneOptions): string[] {
  const lanes = [...new Set(trace.events.map((e) => e.task))];
  const drawn = shortenRanges(rows(trace, lanes));
  const stepWidth = Math.max(4, ...drawn.map((r) => r.step.length));
  const laneWidth = Math.max(MIN_LANE, Math.floor((options.width - stepWidth - 3 * lanes.length) / Math.max(1, lanes.length)));
  const blank = ' '.repeat(laneWidth);
  const join = (step: string, cells: readonly string[]): string => `${step.padStart(stepWidth)} │ ${cells.join(' │ ')}`.trimEnd();
  const out = [
    join('step', lanes.map((t) => pc.bold(t.padEnd(laneWidth)))),
    `${'─'.repeat(stepWidth)}─┼─${lanes.map(() => '─'.repeat(laneWidth)).join('─┼─')}`,
  ];
  for (const r of drawn) {
    wrap(r.text, laneWidth).forEach((part, k) => {
      const cells = lanes.map((_, lane) => (lane === r.lane ? paint[r.style](part.padEnd(laneWidth)) : blank));
      out.push(join(k === 0 ? r.step : '', cells));
    });
  }
  return out;
}
