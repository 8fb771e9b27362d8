/**
 * Random parents with many VMAs of one class, for the class compression's property tests
 * (compress.test.ts and the soak): long runs of a few kinds and their interleavings, laid out tight
 * (several VMAs to a page table) or spread (one each), and the cells the compression must not
 * change — compared with the exact search in outcome, reason, kind, message, failure point (in the
 * parent's own numbering) and the walkers that reached the child.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { VmaSpec } from '../../src/mm/layout.js';
import type { ParentProcess } from '../../src/study/scenario.js';
import { studyCell, type StudyCell } from '../../src/study/study.js';
import type { WalkerName } from '../../src/study/walker-names.js';

const PAGE = 0x1000;
const PMD = 0x200000;

export type Kind = 'anon' | 'anon-swapped' | 'anon-empty' | 'text' | 'rodata' | 'lib' | 'dontcopy' | 'wipeonfork' | 'policy' | 'heap';
export const KINDS: readonly Kind[] = ['anon', 'anon-swapped', 'anon-empty', 'text', 'rodata', 'lib', 'dontcopy', 'wipeonfork', 'policy', 'heap'];

function spec(kind: Kind, start: number): VmaSpec {
  const end = start + PAGE;
  switch (kind) {
    case 'anon': return { start, end, perms: 'rw-p', resident: 1 };
    case 'anon-swapped': return { start, end, perms: 'rw-p', resident: 1, swapped: 1 };
    case 'anon-empty': return { start, end, perms: 'rw-p' };
    case 'text': return { start, end, perms: 'r-xp', file: { path: '/usr/bin/app', offset: PAGE }, resident: 1 };
    case 'rodata': return { start, end, perms: 'r--p', file: { path: '/usr/bin/app' } };
    case 'lib': return { start, end, perms: 'r-xp', file: { path: '/lib/libc.so.6' } };
    case 'dontcopy': return { start, end, perms: 'rw-p', dontcopy: true, resident: 1 };
    case 'wipeonfork': return { start, end, perms: 'rw-p', wipeonfork: true, resident: 1 };
    case 'policy': return { start, end, perms: 'rw-p', policy: 'interleave', resident: 1 };
    case 'heap': return { start, end, perms: 'rw-p', name: '[heap]', resident: 1, swapped: 1 };
  }
}

/** The parent: `kinds` in address order, a page each, tight (two pages apart) or spread (a page table each). */
export function parentOf(kinds: readonly Kind[], spread: boolean, uffdAt: number | null): ParentProcess {
  let start = 0x10000000;
  const specs = kinds.map((kind) => {
    const s = spec(kind, start);
    start += spread ? PMD : 2 * PAGE;
    return s;
  });
  const uffd = uffdAt === null ? null : specs.filter((s) => s.file === undefined && !s.dontcopy)[uffdAt % Math.max(1, specs.length)] ?? null;
  return { specs, uprobe: { path: '/usr/bin/app', offset: PAGE }, uffd: uffd ? { start: uffd.start, end: uffd.end } : null };
}

/** Kinds in long runs, or a short pattern repeated: what compression has to work with. */
export function kindsArb(min: number, max: number): fc.Arbitrary<Kind[]> {
  const palette = fc.uniqueArray(fc.constantFrom(...KINDS.filter((k) => k !== 'heap')), { minLength: 1, maxLength: 4 });
  const runs = palette.chain((p) => fc.array(fc.record({ kind: fc.constantFrom(...p), n: fc.integer({ min: 1, max: 12 }) }), { minLength: 1, maxLength: 8 })
    .map((rs) => rs.flatMap(({ kind, n }) => Array<Kind>(n).fill(kind))));
  const pattern = palette.chain((p) => fc.record({ pattern: fc.array(fc.constantFrom(...p), { minLength: 1, maxLength: 4 }), times: fc.integer({ min: 2, max: 20 }) })
    .map(({ pattern: pat, times }) => Array.from({ length: times }, () => pat).flat()));
  return fc.record({ body: fc.oneof(runs, pattern), head: fc.array(fc.constantFrom(...KINDS), { maxLength: 3 }) })
    .map(({ body, head }) => [...head, ...body])
    .filter((k) => k.length >= min)
    .map((k) => k.slice(0, max));
}

/** What the compression must keep of a cell. */
export function verdict(cell: StudyCell): unknown {
  return {
    outcome: cell.outcome, reason: cell.reason, kind: cell.kind, message: cell.message, failurePoint: cell.failurePoint,
    exhaustive: cell.exhaustive, reached: cell.reached,
  };
}

/** The cell compressed and exact: the same verdict. Returns whether the parent compressed at all. */
export function compareCompressed(configuration: string, walker: WalkerName | string, parent: ParentProcess, bound: number): boolean {
  const options = { parent, strategy: 'dpor', bound } as const;
  const compressed = studyCell(configuration, walker, options);
  const exact = studyCell(configuration, walker, { ...options, compress: false });
  expect(exact.compressed).toBeUndefined();
  expect(verdict(compressed), `${configuration} × ${walker} at bound ${bound}, ${compressed.compressed ? `${compressed.compressed.vmas} of ${compressed.compressed.of} VMAs` : 'not compressed'}`).toEqual(verdict(exact));
  return compressed.compressed !== undefined;
}

/** bench/generated-parent.mjs's process of `n` VMAs, with its uprobe in lib3.so. */
export function generatedParent(n: number): ParentProcess {
  const specs: VmaSpec[] = [];
  for (let i = 0; i < n; i++) {
    const start = 0x10000000 + i * 0x20000;
    specs.push(i % 10 === 0
      ? { start, end: start + 0x8000, perms: 'rw-p', resident: 4, swapped: i % 20 === 0 ? 2 : 0 }
      : { start, end: start + 0x4000, perms: i % 3 === 0 ? 'r-xp' : 'r--p', file: { path: `/lib/lib${i % 50}.so`, offset: 0 } });
  }
  return { specs, uprobe: { path: '/lib/lib3.so', offset: 0 } };
}

/** A parent of VMA specs as the text of its smaps (Rss: the pages left resident, Swap: those on swap). */
export function smapsOf(specs: readonly VmaSpec[]): string {
  const hex = (x: number): string => x.toString(16).padStart(8, '0');
  return specs.map((s, i) => {
    const head = `${hex(s.start)}-${hex(s.end)} ${s.perms} ${hex(s.file?.offset ?? 0)} ${s.file ? '08:01' : '00:00'} ${s.file ? 1000 + (i % 50) : 0}`;
    const line = s.file ? `${head.padEnd(72)} ${s.file.path}` : head;
    return `${line}\nRss:    ${((s.resident ?? 0) - (s.swapped ?? 0)) * 4} kB\nSwap:   ${(s.swapped ?? 0) * 4} kB\n`;
  }).join('');
}
