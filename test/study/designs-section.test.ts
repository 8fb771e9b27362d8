/**
 * What the default study takes of the designs study (DESIGNS_SECTION), and --reserve-nodes: the
 * reserve designs run with that many nodes, in a model whose tokens name it and replay.
 */
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { traceToken } from '../../src/explore/trace.js';
import { runReplay } from '../../src/cli/explore.js';
import { EXIT } from '../../src/cli/errors.js';
import { DESIGNS_SECTION, runDesigns, TALL_PARENT } from '../../src/study/designs.js';
import { designsTable } from '../../src/study/designs-table.js';
import { studyPoint } from '../../src/study/study.js';

describe('the designs section of the default study', () => {
  it('is one design of each family, the walkers that reach the child on the base, each allocation failing once', () => {
    expect(DESIGNS_SECTION.designs).toEqual(['design:xa-zero', 'design:teardown', 'design:partial+reserve']);
    expect(DESIGNS_SECTION.faultModes).toEqual(['once']);
    expect(DESIGNS_SECTION.fallbackCells.map(([c, w]) => `${c}/${w}`)).toEqual(['design:partial-xa-zero/uprobe', 'design:partial-xa-zero/swapoff', 'design:partial-teardown/careless']);
  });

  it('is labelled with what it ran and what it leaves to --designs', async () => {
    const result = await runDesigns({ designs: ['design:xa-zero'], walkers: ['uprobe'], faultModes: ['once'], fallbacks: false, twoForks: false, workers: 1, bound: 1, inThread: true });
    expect(result.cells.map((c) => `${c.configuration}/${c.walker}/${c.outcome}`)).toEqual(['design:xa-zero/uprobe/bug']);
    const plain = designsTable(result).map(stripVTControlCharacters).join('\n');
    expect(plain).toContain('Every failure point: the n-th allocation alone, a fatal signal at each VMA; every interleaving with up to 1 preemption.');
    expect(plain).not.toContain('section');
    const section = designsTable({ ...result, section: DESIGNS_SECTION.note }).map(stripVTControlCharacters).join('\n');
    expect(section).toContain(`This study's section of them: bound 1; `);
    expect(section).toContain('mapletree study --designs');
  });
});

describe('--reserve-nodes: the size the reserve designs run with', () => {
  // On the taller parent the clearing store needs 5 or 7 nodes where the heap was copied.
  const point = { kind: 'alloc', nth: 17, persistent: true } as const;
  const search = (reserveNodes: number) => studyPoint('design:partial+reserve', ['careless'], point, { parent: TALL_PARENT, bound: 1, strategy: 'dpor', reserveNodes });

  it('63 covers the clearing store; 4 does not, and the teardown fallback empties the tree for the careless walker', () => {
    expect(search(63).bug).toBeUndefined();
    const short = search(4);
    expect(short.bug?.message).toMatch(/0x0000000000000000 in careless walker/);
    const token = traceToken(short.bug!.trace);
    expect(short.bug!.trace.model).toMatch(/^fork-exit@[0-9a-f]{12}~reserve-4$/);
    const lines: string[] = [];
    expect(runReplay(token, {}, (l) => lines.push(stripVTControlCharacters(l)))).toBe(EXIT.bug);
    expect(lines.at(-1)).toMatch(/^violation: null-deref: .*careless walker/);
  });
});
