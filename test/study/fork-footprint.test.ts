/**
 * The fork's footprint (walkers/footprint.ts, forkFootprint; docs/walkers.md, "Footprints") removes
 * decisions, never a cell: on random small parents, every configuration × walker cell searched
 * with it and without it (StudyOptions.forkFootprint false, the search as it was) has the same
 * outcome, reason, bug kind, message, failure point, walkers reaching the child and the same
 * counterexample, step for step — only the decisions that replay it, and the executions, may be
 * fewer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from '../cli/in-process.js';
import type { VmaSpec } from '../../src/mm/layout.js';
import type { ParentProcess } from '../../src/study/scenario.js';
import { STUDY_CONFIGURATIONS, studyCell, type StudyCell } from '../../src/study/study.js';
import { WALKER_NAMES, type WalkerName } from '../../src/study/walker-names.js';

const PAGE = 0x1000;

/** One VMA of a random parent, by kind; laid out at `start` by parentOf. */
type Kind = 'anon' | 'anon-swapped' | 'heap' | 'stack' | 'text' | 'rodata' | 'data' | 'lib' | 'dontcopy' | 'wipeonfork' | 'policy';
const KINDS: readonly Kind[] = ['anon', 'anon-swapped', 'heap', 'stack', 'text', 'rodata', 'data', 'lib', 'dontcopy', 'wipeonfork', 'policy'];

function spec(kind: Kind, start: number, pages: number): VmaSpec {
  const end = start + pages * PAGE;
  const resident = Math.min(2, pages);
  switch (kind) {
    case 'anon': return { start, end, perms: 'rw-p', resident };
    case 'anon-swapped': return { start, end, perms: 'rw-p', resident, swapped: 1 };
    case 'heap': return { start, end, perms: 'rw-p', name: '[heap]', resident, swapped: 1 };
    case 'stack': return { start, end, perms: 'rw-p', name: '[stack]', resident };
    case 'text': return { start, end, perms: 'r-xp', file: { path: '/usr/bin/app', offset: PAGE }, resident: 1 };
    case 'rodata': return { start, end, perms: 'r--p', file: { path: '/usr/bin/app' } };
    case 'data': return { start, end, perms: 'rw-p', file: { path: '/usr/bin/app', offset: 3 * PAGE }, resident: 1 };
    case 'lib': return { start, end, perms: 'r-xp', file: { path: '/lib/libc.so.6' } };
    case 'dontcopy': return { start, end, perms: 'rw-p', dontcopy: true, resident: 1 };
    case 'wipeonfork': return { start, end, perms: 'rw-p', wipeonfork: true, resident: 1 };
    case 'policy': return { start, end, perms: 'rw-p', policy: 'interleave', resident: 1 };
  }
}

/** The parent: the VMAs in address order with a gap after each; the uprobe on the executable, the uffd range on the first anonymous VMA. */
function parentOf(vmas: ReadonlyArray<{ kind: Kind; pages: number }>): ParentProcess {
  let start = 0x555555554000;
  const specs = vmas.map(({ kind, pages }) => {
    const s = spec(kind, start, pages);
    start = s.end + 4 * PAGE;
    return s;
  });
  const anon = specs.find((s) => s.file === undefined && !s.dontcopy);
  return {
    specs,
    uprobe: specs.some((s) => s.file?.path === '/usr/bin/app') ? { path: '/usr/bin/app', offset: PAGE } : { path: '/lib/libc.so.6', offset: 0 },
    uffd: anon ? { start: anon.start, end: anon.end } : null,
  };
}

const vmasArb = fc.array(fc.record({ kind: fc.constantFrom(...KINDS), pages: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 10 });

/** What a cell is, less how many executions found it and the decisions of its trace. */
function verdict(cell: StudyCell): unknown {
  return {
    outcome: cell.outcome, reason: cell.reason, kind: cell.kind, message: cell.message, failurePoint: cell.failurePoint,
    failurePoints: cell.failurePoints, exhaustive: cell.exhaustive, reached: cell.reached, traceLength: cell.traceLength,
    trace: cell.trace && {
      variant: cell.trace.variant, fault: cell.trace.fault, violation: cell.trace.violation,
      events: cell.trace.events.map((e) => ({ task: e.task, label: e.label, result: e.result, fault: e.fault })),
    },
  };
}

function compare(configuration: string, walker: WalkerName, parent: ParentProcess, strategy: 'dpor' | 'dfs'): void {
  const options = { parent, strategy, bound: 1 } as const;
  const reduced = studyCell(configuration, walker, options);
  const plain = studyCell(configuration, walker, { ...options, forkFootprint: false });
  expect(verdict(reduced), `${configuration} × ${walker} (${strategy})`).toEqual(verdict(plain));
  expect(reduced.executions).toBeLessThanOrEqual(plain.executions);
}

describe('the fork\'s footprint', () => {
  it('gives every configuration × walker the cell it has without it, on random parents (property)', () => {
    fc.assert(fc.property(
      vmasArb, fc.constantFrom(...STUDY_CONFIGURATIONS), fc.constantFrom(...WALKER_NAMES, 'ksmd', 'khugepaged'), fc.constantFrom('dpor' as const, 'dfs' as const),
      (vmas, configuration, walker, strategy) => compare(configuration, walker, parentOf(vmas), strategy),
    ), { numRuns: 30 });
  }, 600_000);

  it('gives 7.0\'s scanner cells, where a parent thread holds the signal\'s VMA, the cells they have without it (property)', () => {
    // The cells whose signal points grew with the parent: 127 + 5N executions a point before.
    fc.assert(fc.property(vmasArb, fc.constantFrom<WalkerName>('ksmd', 'khugepaged'), (vmas, walker) => compare('7.0', walker, parentOf(vmas), 'dpor')), { numRuns: 8 });
  }, 600_000);

  it('replays a token from before it on the unreduced twin of its model: the same steps and violation as the token of now', async () => {
    // design:xa-zero × uprobe's counterexample (docs/designs.md): 17 decisions then, 13 now.
    const before = 'mt1:eyJtIjoiZm9yay1leGl0IiwidiI6ImRlc2lnbjp4YS16ZXJvL3Vwcm9iZS9hbGxvYyIsImYiOnsidGFzayI6ImZvcmsiLCJudGgiOjYsIm1vZGUiOiJvbmNlIn0sImQiOlswLDAsMSwxLDEsMSwxLDEsMSwxLDEsMSwxLDEsMSwxLDFdfQ';
    const now = 'mt1:eyJtIjoiZm9yay1leGl0IiwidiI6ImRlc2lnbjp4YS16ZXJvL3Vwcm9iZS9hbGxvYyIsImYiOnsidGFzayI6ImZvcmsiLCJudGgiOjYsIm1vZGUiOiJvbmNlIn0sImQiOlswLDAsMSwxLDEsMSwxLDEsMSwxLDEsMSwxXX0';
    const [a, b] = await Promise.all([before, now].map((t) => cliInProcess(['replay', t, '--json'])));
    expect([a!.status, b!.status]).toEqual([1, 1]);
    const [ja, jb] = [a!, b!].map((r) => JSON.parse(r.stdout) as { model: string; violation: unknown; events: Array<{ task: string; label: string }> });
    expect([ja!.model, jb!.model]).toEqual(['fork-exit~unreduced', 'fork-exit']);
    expect(ja!.violation).toEqual(jb!.violation);
    expect(ja!.events.map((e) => [e.task, e.label])).toEqual(jb!.events.map((e) => [e.task, e.label]));
  });
});
