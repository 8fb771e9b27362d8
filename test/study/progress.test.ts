/**
 * The progress a long study shows: each cell's failure points counted against an estimate made
 * before the cell runs (the fork's allocations plus one, and a signal per VMA), so the bar's ETA
 * moves inside cells that take hours on a large parent.
 */
import { describe, expect, it } from 'vitest';
import { cellPointEstimate, studyCell, type StudyProgress } from '../../src/study/study.js';
import { cellFraction, pointAt } from '../../src/study/run-cells.js';

describe('progress within a cell', () => {
  it('the estimate is the number of failure points a cell that searches them all has', () => {
    for (const [configuration, walker] of [['6.18', 'swapoff'], ['7.0', 'uffd'], ['7.0', 'uffd-withdraw']] as const) {
      const seen: StudyProgress[] = [];
      const cell = studyCell(configuration, walker, { bound: 0, strategy: 'dpor', onProgress: (p) => seen.push(p) });
      expect(cell.outcome === 'verified' || cell.outcome === 'unreachable').toBe(true);
      expect([configuration, walker, cellPointEstimate(configuration, walker)]).toEqual([configuration, walker, cell.failurePoints]);
      expect(seen.map((p) => p.pointsDone)).toEqual(Array.from({ length: cell.failurePoints }, (_, i) => i + 1));
      expect(seen.every((p) => p.pointsEstimate === cell.failurePoints)).toBe(true);
    }
  });

  it('a running cell is never shown as finished, and its line says which point of how many', () => {
    const p: StudyProgress = { configuration: '7.0', walker: 'swapoff', failurePoint: 'fatal signal at VMA 3', executions: 10, pointsDone: 40, pointsEstimate: 39 };
    expect(cellFraction(p)).toBeLessThan(1);
    expect(cellFraction({ ...p, pointsDone: 13 })).toBeCloseTo(13 / 39);
    expect(pointAt('7.0', 'swapoff', { ...p, pointsDone: 12 })).toBe('7.0 × swapoff: fatal signal at VMA 3 (point 12 of ~39)');
  });
});
