/**
 * The designs part of the study end to end on its quickest column (the userfaultfd monitor, whose
 * door every design's base closes): a cell per design, the table, the JSON and the HTML report.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromToken, replay } from '../../src/explore/trace.js';
import { DESIGN_CONFIGURATIONS, designCells, runDesigns, TALL_PARENT } from '../../src/study/designs.js';
import { designsHtml, writeDesignsReport } from '../../src/study/designs-html.js';
import { designsJson } from '../../src/study/designs-json.js';
import { designsTable } from '../../src/study/designs-table.js';
import { twoForksRow } from '../../src/study/designs-two-forks.js';

describe('the designs study', () => {
  it('runs a cell per design and reports them with the reserve figures in the terminal, JSON and HTML', async () => {
    const result = await runDesigns({ walkers: ['uffd'], workers: 1, bound: 1, inThread: true, twoForks: false, fallbacks: false });
    expect(result.cells.map((c) => c.configuration)).toEqual(DESIGN_CONFIGURATIONS);
    for (const c of result.cells) expect(c.outcome, c.configuration).toBe('unreachable');
    // The allocation sweeps ran in both modes: more failure points than allocations of one sweep.
    expect(result.cells[0]!.failurePoints).toBeGreaterThan(2 * 25);
    const lines = designsTable(result).join('\n');
    for (const d of DESIGN_CONFIGURATIONS) expect(lines).toContain(d);
    expect(lines).toMatch(/default parent\s+8\s+1\s/);
    const json = JSON.parse(JSON.stringify({ designs: designsJson(result) })) as { designs: { cells: unknown[]; reserve: { parents: { vmas: number }[] } } };
    expect(json.designs.cells).toHaveLength(DESIGN_CONFIGURATIONS.length);
    expect(json.designs.reserve.parents[0]!.vmas).toBe(8);
    expect(designsHtml(result)).toContain('<table id="designs">');
    const dir = mkdtempSync(join(tmpdir(), 'designs-'));
    expect(readFileSync(writeDesignsReport(dir, result), 'utf8')).toContain('<table id="reserve">');
  });

  it('two forks failing at once: a reserve of 12 covers one 7-node clearing store but not two; 63 covers both', () => {
    const small = twoForksRow('design:partial+reserve', 12, { bound: 0 });
    expect(small.bug).toBeNull();
    expect(small.outcomes).toContain('cleared+fell-back');
    expect(small.outcomes).toContain('cleared+cleared');
    const full = twoForksRow('design:partial+reserve', 63, { bound: 0 });
    expect(full.bug).toBeNull();
    expect(full.outcomes.filter((o) => o.includes('fell-back'))).toEqual([]);
  });

  // The fallbacks' counterexamples on the taller parent (docs/designs.md), kept as regressions.
  const FALLBACK_TOKENS: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['partial-xa-zero × uprobe: the XA_ZERO fallback', 'mt1:eyJtIjoiZm9yay1leGl0QGU1MWVmODlmMzhlMiIsInYiOiJkZXNpZ246cGFydGlhbC14YS16ZXJvL3Vwcm9iZS9hbGxvYyIsImYiOnsidGFzayI6ImZvcmsiLCJudGgiOjYsIm1vZGUiOiJwZXJzaXN0ZW50In0sImQiOlswLDAsMSwxLDEsMSwxLDEsMSwxLDEsMSwxXX0', /0x0000000000000406 in find_mergeable_anon_vma/],
    ['partial-teardown × careless: the teardown fallback', 'mt1:eyJtIjoiZm9yay1leGl0QGU1MWVmODlmMzhlMiIsInYiOiJkZXNpZ246cGFydGlhbC10ZWFyZG93bi9jYXJlbGVzcy9hbGxvYyIsImYiOnsidGFzayI6ImZvcmsiLCJudGgiOjE3LCJtb2RlIjoicGVyc2lzdGVudCJ9LCJkIjpbMCwwLDAsMCwwLDAsMCwwLDEsMSwxLDEsMSwxLDEsMSwxLDEsMSwxXX0', /0x0000000000000000 in careless walker/],
  ];
  for (const [name, token, message] of FALLBACK_TOKENS) {
    it(`replays ${name}`, () => {
      expect(TALL_PARENT.specs).toHaveLength(16);
      const run = replay(fromToken(token));
      expect(run.violation?.message).toMatch(message);
      expect(run.violation?.message).not.toMatch(/partial-child-only/);
    });
  }

  it('adds the careless walker\'s real-kernel rows only when it is asked for', () => {
    expect(designCells(['uffd']).some(([c]) => !c.startsWith('design:'))).toBe(false);
    expect(designCells(['careless']).filter(([c]) => !c.startsWith('design:'))).toEqual([['6.10-6.11.6', 'careless'], ['7.0', 'careless']]);
  });
});
