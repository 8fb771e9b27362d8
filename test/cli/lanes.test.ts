/**
 * Counterexample lanes: within the width asked, every step accounted for (shown or folded), the
 * copy loop folded, and the window that matters — marker store, unlocks, the walker's steps and the
 * crash — always shown.
 */
import { stripVTControlCharacters } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/explore/execution.js';
import type { Trace } from '../../src/explore/trace.js';
import { counterexampleLanes, wrap } from '../../src/study/lanes.js';
import { WALKER_NAMES } from '../../src/study/scenario.js';
import { studyCell } from '../../src/study/study.js';

// Every walker that crashes itself on this kernel (the OOM reaper never reaches the child; the
// withdrawal's crash is in the forking task).
const traces: Array<[string, Trace]> = WALKER_NAMES.filter((w) => w !== 'oom-reaper' && w !== 'uffd-withdraw')
  .map((w) => [w, studyCell('6.10-6.11.6', w, { bound: 1 }).trace!]);

/** Each drawn row's step column: a step, or a folded range a–b. */
function stepColumn(lines: readonly string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const line of lines.slice(2)) {
    const m = /^\s*(\d+)(?:–(\d+))? │/.exec(stripVTControlCharacters(line));
    if (m) out.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  return out;
}

const shownSteps = (lines: readonly string[]): Set<number> => new Set(stepColumn(lines).filter(([a, b]) => a === b).map(([a]) => a));

describe('counterexample lanes', () => {
  it('fit the width asked, and every step is drawn once: on its own row or inside one fold', () => {
    fc.assert(fc.property(fc.constantFrom(...traces), fc.integer({ min: 60, max: 240 }), ([, trace], width) => {
      const lines = counterexampleLanes(trace, { width });
      for (const line of lines) expect(stripVTControlCharacters(line).length).toBeLessThanOrEqual(width);
      const covered = stepColumn(lines).flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, k) => a + k));
      expect(covered).toEqual(trace.events.map((e) => e.step));
    }), { numRuns: 40 });
  });

  it('always show the marker store, the fork\'s unlocks after it, the walker\'s arrival, its steps on the child and the crash', () => {
    for (const [walker, trace] of traces) {
      for (const width of [60, 100, 200]) {
        const shown = shownSteps(counterexampleLanes(trace, { width }));
        const marker = trace.events.find((e) => e.task === 'fork' && e.label.includes('XA_ZERO_ENTRY'))!;
        expect(shown.has(marker.step), `${walker}: marker store`).toBe(true);
        for (const e of trace.events.filter((x) => x.task === 'fork' && x.kind === 'unlock' && x.step > marker.step)) {
          expect(shown.has(e.step), `${walker}: ${e.label}`).toBe(true);
        }
        const walkerSteps = trace.events.filter((x) => x.task !== 'fork');
        expect(shown.has(walkerSteps[0]!.step), `${walker}: its first step`).toBe(true);
        for (const e of walkerSteps.filter((x) => x.obj?.startsWith('mm#2') === true)) expect(shown.has(e.step), `${walker}: ${e.label}`).toBe(true);
        expect(shown.has(trace.events.find((e) => e.violation)!.step)).toBe(true);
      }
    }
  });

  it("fold dup_mmap's loop over the VMAs before the one that fails, and keep the steps only one VMA has", () => {
    const swapoff = traces.find(([w]) => w === 'swapoff')![1];
    const text = counterexampleLanes(swapoff, { width: 120 }).map(stripVTControlCharacters).join('\n');
    expect(text).toMatch(/… \d+ steps of dup_mmap's loop over VMAs 0–\d …/);
    // The child is put on the mmlist in one iteration only: that is how swapoff finds it.
    expect(text).toMatch(/list_add\(&mm#2->mmlist/);
    expect(stepColumn(counterexampleLanes(swapoff, { width: 120 })).length).toBeLessThan(swapoff.events.length);
  });

  it('fold a walker going over thousands of VMAs to its first and last steps', () => {
    const events: TraceEvent[] = [];
    const push = (task: string, label: string, extra: Partial<TraceEvent> = {}): void => {
      events.push({ step: events.length + 1, task, kind: 'access', label, ...extra });
    };
    push('fork', 'dup_mmap (xa-zero recovery): mas_store(XA_ZERO_ENTRY) over [0x1000, 0x2000)', { write: true, obj: 'mm#2.mm_mt' });
    for (let i = 0; i < 5000; i++) push('swapoff', `unuse_mm (swapoff): for_each_vma vma#${i + 1}[0x${(i * 4096).toString(16)}-0x${(i * 4096 + 4096).toString(16)}]`);
    push('swapoff', 'null-deref', { kind: 'assert', violation: true, result: 'Unable to handle kernel NULL pointer dereference' });
    const trace: Trace = {
      format: 'mapletree-trace/1', model: 'm', variant: 'v', strategy: 'dfs', seed: null, fault: null, decisions: [], events,
      violation: { kind: 'null-deref', origin: 'model', message: 'x', step: events.length }, stats: { steps: events.length, preemptions: 0 },
    };
    const lines = counterexampleLanes(trace, { width: 200 }).map(stripVTControlCharacters);
    expect(lines.length).toBeLessThan(20);
    const text = lines.join('\n');
    expect(text).toMatch(/… 4997 more steps of unuse_mm \(swapoff\): for_each_vma …/);
    expect(text).toMatch(/vma#1\[/);
    expect(text).toMatch(/vma#4999\[/);
    expect(text).toMatch(/vma#5000\[/);
    expect(shownSteps(lines).has(events.length)).toBe(true);
  });
});

describe('wrap', () => {
  it('keeps every character and no line is wider than asked', () => {
    fc.assert(fc.property(fc.array(fc.string({ minLength: 1, maxLength: 30 }).filter((w) => !w.includes(' ')), { maxLength: 20 }), fc.integer({ min: 1, max: 40 }),
      (words, width) => {
        const text = words.join(' ');
        const lines = wrap(text, width);
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
        expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      }));
  });
});

describe('a fork of a process with thousands of VMAs', () => {
  it("folds 20,000 copy-loop steps into one line", () => {
    const events: TraceEvent[] = [];
    const push = (label: string, extra: Partial<TraceEvent> = {}): void => {
      events.push({ step: events.length + 1, task: 'fork', kind: 'access', label, ...extra });
    };
    for (let k = 0; k < 10_000; k++) {
      push(`dup_mmap VMA ${k} vma#${k + 1}[0x${(k * 8192).toString(16)}-0x${(k * 8192 + 4096).toString(16)}]: vma_start_write`);
      push(`dup_mmap VMA ${k} vma#${k + 1}: vm_area_dup`, { kind: 'alloc' });
    }
    push('dup_mmap (xa-zero recovery): mas_store(XA_ZERO_ENTRY) over [0x0, 0x1000)', { write: true });
    const trace: Trace = {
      format: 'mapletree-trace/1', model: 'm', variant: 'v', strategy: 'dfs', seed: null, fault: null, decisions: [], events,
      violation: null, stats: { steps: events.length, preemptions: 0 },
    };
    const lines = counterexampleLanes(trace, { width: 120 }).map(stripVTControlCharacters);
    expect(lines.join('\n')).toMatch(/1–19998 │ … 19998 steps of dup_mmap's loop over VMAs 0–9998 …/);
    expect(lines.length).toBeLessThan(12);
  });
});
