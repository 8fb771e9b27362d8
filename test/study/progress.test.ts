/**
 * The progress a long study shows: each cell's failure points counted against an estimate made
 * before the cell runs (the fork's allocations plus one, and a signal per VMA), and weighed by their
 * work — an execution runs the fork's loop up to the failure, so a point late in the loop costs
 * several times one near its start — so the bar's ETA follows the time of cells that take hours on
 * a large parent, and a run's cells are weighed alike (an n/a cell weighs nothing).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cellPointEstimate, cellWorkEstimate, POINT_BASE_WORK, pointWork, READER_SIGNAL_WORK, studyCell, studyCellBy, studyPoint, type PointSpec, type StudyProgress,
} from '../../src/study/study.js';
import { cellFraction, pointAt, runCells, runWeights } from '../../src/study/run-cells.js';
import { combinationCost } from '../../src/study/combinations.js';

const cat = { maps: readFileSync(new URL('../fixtures/maps/cat.maps', import.meta.url), 'utf8') };

describe('progress within a cell', () => {
  it('the estimate is the number of failure points a cell that searches them all has, and their work', () => {
    for (const [configuration, walker] of [['6.18', 'swapoff'], ['7.0', 'uffd'], ['7.0', 'uffd-withdraw']] as const) {
      const seen: StudyProgress[] = [];
      const cell = studyCell(configuration, walker, { bound: 0, strategy: 'dpor', onProgress: (p) => seen.push(p) });
      expect(cell.outcome === 'verified' || cell.outcome === 'unreachable').toBe(true);
      expect([configuration, walker, cellPointEstimate(configuration, walker)]).toEqual([configuration, walker, cell.failurePoints]);
      expect(seen.map((p) => p.pointsDone)).toEqual(Array.from({ length: cell.failurePoints }, (_, i) => i + 1));
      expect(seen.every((p) => p.pointsEstimate === cell.failurePoints)).toBe(true);
      const last = seen.at(-1)!;
      expect(last.workDone).toBeCloseTo(last.workEstimate, 9);
      expect(seen.every((p) => p.workEstimate === last.workEstimate)).toBe(true);
      // cellWorkEstimate counts the sweep without the walkers' setup: the same here, where they allocate nothing in the fork.
      if (walker === 'swapoff') expect(cellWorkEstimate(configuration, walker)).toBeCloseTo(last.workEstimate, 9);
    }
  });

  it('a point weighs what the loop it runs does: later points more, a 7.0 signal point the whole loop and its reader', () => {
    const shape = { allocModes: 1, sweep: 30, signals: 20, readerSignals: false };
    const signals = Array.from({ length: 20 }, (_, vma) => pointWork({ kind: 'signal', vma }, shape));
    expect(signals[0]).toBe(POINT_BASE_WORK);
    for (let i = 1; i < signals.length; i++) expect(signals[i]!).toBeGreaterThan(signals[i - 1]!);
    // Half the signal points done is well under half the signal sweep's work.
    const half = signals.slice(0, 10).reduce((a, b) => a + b, 0);
    expect(half / signals.reduce((a, b) => a + b, 0)).toBeLessThan(0.4);
    expect(pointWork({ kind: 'alloc', nth: 30 }, shape)).toBe(1 + POINT_BASE_WORK);
    expect(pointWork({ kind: 'alloc', nth: 45 }, shape)).toBe(1 + POINT_BASE_WORK);
    expect(pointWork({ kind: 'signal', vma: 0 }, { ...shape, readerSignals: true })).toBe(READER_SIGNAL_WORK);
    // A calibrated sweep's line: its base plus its slope times the reach, a 7.0 signal's too.
    expect(pointWork({ kind: 'signal', vma: 10 }, { ...shape, readerSignals: true }, { base: 2, slope: 3 })).toBe(3.5);
    expect(pointWork({ kind: 'alloc', nth: 15 }, shape, { base: 2, slope: 0 })).toBe(2);
  });

  it('a 7.0 cell counts each signal point as a whole loop with its reader', () => {
    const seen: StudyProgress[] = [];
    studyCell('7.0', 'uffd-withdraw', { bound: 0, strategy: 'dpor', onProgress: (p) => seen.push(p) });
    const steps = seen.map((p, i) => p.workDone - (i === 0 ? 0 : seen[i - 1]!.workDone));
    expect(steps.every((s) => Math.abs(s - READER_SIGNAL_WORK) < 1e-9)).toBe(true);
  });

  it('a calibrated cell is the cell uncalibrated: its probes are the results its points get', () => {
    for (const [configuration, walker] of [['6.18', 'swapoff'], ['6.8.0-6.8.7', 'swapoff'], ['7.0', 'uffd-withdraw'], ['7.0', 'oom-reaper']] as const) {
      const asked: PointSpec[] = [];
      const seen: StudyProgress[] = [];
      const options = { bound: 1, strategy: 'dpor' as const, onProgress: (p: StudyProgress) => seen.push(p) };
      const probed = studyCellBy(configuration, walker, options, (c, w, point, o) => {
        asked.push(point);
        return studyPoint(c, w, point, o);
      }, 0);
      const plain = studyCell(configuration, walker, { bound: 1, strategy: 'dpor' });
      const shown = (c: typeof plain) => [c.outcome, c.kind, c.failurePoint, c.failurePoints, c.executions, c.traceLength, c.reached];
      expect([configuration, walker, ...shown(probed)]).toEqual([configuration, walker, ...shown(plain)]);
      // Each point searched once: the probes first, then the rest in order, none twice.
      expect(new Set(asked.map((p) => JSON.stringify(p))).size).toBe(asked.length);
      expect(seen.map((p) => p.pointsDone)).toEqual(Array.from({ length: plain.failurePoints }, (_, i) => i + 1));
      if (plain.outcome !== 'bug') expect(seen.at(-1)!.workDone).toBeCloseTo(seen.at(-1)!.workEstimate, 6);
    }
  });

  it('a bug cell is the same whether its minimiser is told the sweep\'s clean points or searches them again', () => {
    const options = { bound: 1, strategy: 'dpor' as const };
    const hints: Array<number | undefined> = [];
    const told = studyCellBy('6.10-6.11.6', 'swapoff', options, (c, w, point, o, clean) => {
      hints.push(clean?.nth);
      return studyPoint(c, w, point, o, clean);
    });
    const searched = studyCellBy('6.10-6.11.6', 'swapoff', options, (c, w, point, o) => studyPoint(c, w, point, o));
    expect(told.outcome).toBe('bug');
    // From the second point on, each is told that every point before it was searched clean.
    expect(hints).toEqual(Array.from({ length: told.failurePoints }, (_, i) => (i === 0 ? undefined : i + 1)));
    const shown = (c: typeof told) => [c.outcome, c.kind, c.message, c.failurePoint, c.failurePoints, c.executions, c.traceLength, c.reached, c.trace];
    expect(shown(told)).toEqual(shown(searched));
  });

  it('a running cell is never shown as finished, and its line says which point of how many', () => {
    const p: StudyProgress = {
      configuration: '7.0', walker: 'swapoff', failurePoint: 'fatal signal at VMA 3', executions: 10, pointsDone: 40, pointsEstimate: 39, workDone: 50, workEstimate: 45,
    };
    expect(cellFraction(p)).toBeLessThan(1);
    expect(cellFraction({ ...p, workDone: 13 })).toBeCloseTo(13 / 45);
    expect(cellFraction({ ...p, workDone: 0, workEstimate: 0 })).toBe(0);
    expect(pointAt('7.0', 'swapoff', { ...p, pointsDone: 12 })).toBe('7.0 × swapoff: fatal signal at VMA 3 (point 12 of ~39)');
  });
});

describe('progress over a run', () => {
  it('cells weigh their share of the estimated work, in cells; an n/a cell weighs nothing', () => {
    const cells = [['6.18', 'swapoff'], ['6.18', 'uffd'], ['6.18', 'uprobe'], ['7.0', 'uprobe']] as const;
    const weights = runWeights(cells, { parent: cat });
    // cat's maps: nothing on swap and no userfaultfd registration, so swapoff and uffd are n/a.
    expect(weights.slice(0, 2)).toEqual([0, 0]);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(cells.length, 9);
    expect(weights[3]!).toBeGreaterThan(weights[2]!);
    expect(runWeights([['6.18', 'uffd']], { parent: cat })).toEqual([1]);
    // Costs given (the pairs') take the place of the estimate.
    expect(runWeights(cells.slice(0, 3), { parent: cat }, [1, 0, 3])).toEqual([0.75, 0, 2.25]);
  });

  it('a walkers-together cell is priced from its members\' cells, within a factor of two of what it runs', () => {
    const options = { bound: 1, strategy: 'dpor' } as const;
    const singles = (['swapoff', 'uprobe', 'ksmd'] as const).map((w) => studyCell('6.18', w, options));
    for (const pair of [['swapoff', 'uprobe'], ['uprobe', 'ksmd']] as const) {
      const cost = combinationCost('6.18', pair, singles);
      const ran = studyCell('6.18', pair, options).executions;
      expect(cost / ran, pair.join('+')).toBeGreaterThan(0.5);
      expect(cost / ran, pair.join('+')).toBeLessThan(2);
    }
    expect(() => combinationCost('7.0', ['swapoff', 'uprobe'], singles)).toThrow(/no cell of swapoff alone under 7.0/);
  });

  it('runCells refuses costs that are not one finite non-negative number per cell', async () => {
    const cells = [['6.18', 'uffd-withdraw'], ['6.18', 'uffd']] as const;
    await expect(runCells(cells, { workers: 1, costs: [1] })).rejects.toThrow(/options.costs must have one cost per cell \(2\), got 1/);
    await expect(runCells(cells, { workers: 1, costs: [1, -1] })).rejects.toThrow(/options.costs\[1\] must be a finite non-negative number, got -1/);
    await expect(runCells(cells, { workers: 1, costs: [1, Infinity] })).rejects.toThrow(/options.costs\[1\]/);
  });

  it('a run in one thread reports its work as it goes, ending at its number of cells', async () => {
    const cells = [['6.18', 'uffd-withdraw'], ['6.18', 'uffd']] as const;
    const works: number[] = [];
    await runCells(cells, { workers: 1, bound: 0, strategy: 'dpor', onProgress: (_e, _d, _a, _r, work) => works.push(work!) });
    for (let i = 1; i < works.length; i++) expect(works[i]!).toBeGreaterThanOrEqual(works[i - 1]!);
    expect(works.at(-1)).toBeCloseTo(cells.length, 9);
  });
});
