import { describe, expect, it } from 'vitest';
import { Heartbeat } from '../../src/cli/heartbeat.js';
import { cellOfPoint, pointAt } from '../../src/study/run-cells.js';

const point = (configuration: string, walker: string, failurePoint: string, pointsDone: number): string =>
  pointAt(configuration, walker, { configuration, walker, failurePoint, pointsDone, pointsEstimate: 60, executions: 0, workDone: 0, workEstimate: 1 });

describe('the progress log\'s heartbeat', () => {
  it('names the cell a point belongs to, a configuration\'s own colon included', () => {
    expect(cellOfPoint(point('cf:6.18-teardown', 'swapoff+uprobe', 'allocation 3', 2))).toBe('cf:6.18-teardown × swapoff+uprobe');
    expect(cellOfPoint(point('7.0', 'uprobe', 'fatal signal at VMA 4: vma#5', 1))).toBe('7.0 × uprobe');
    expect(cellOfPoint('no cell here')).toBe('no cell here');
  });

  it('names the cells in flight once an interval has passed, and only those not finished', () => {
    let t = 0;
    const beat = new Heartbeat(1000, () => t);
    expect(beat.due()).toBeNull();
    beat.at(point('7.0', 'swapoff+uprobe', 'allocation 1', 1));
    beat.at(point('6.18', 'swapoff+uprobe', 'allocation 1', 1));
    t = 999;
    expect(beat.due()).toBeNull();
    beat.at(point('7.0', 'swapoff+uprobe', 'allocation 9', 5));
    t = 1000;
    // Each cell's latest point, in the order the cells were first seen.
    expect(beat.due()).toBe('7.0 × swapoff+uprobe: allocation 9 (point 5 of ~60); 6.18 × swapoff+uprobe: allocation 1 (point 1 of ~60)');
    // Not again until another interval has passed.
    t = 1500;
    expect(beat.due()).toBeNull();
    beat.finished('6.18 × swapoff+uprobe');
    t = 2000;
    expect(beat.due()).toBe('7.0 × swapoff+uprobe: allocation 9 (point 5 of ~60)');
    // Nothing in flight: nothing to say.
    beat.finished('7.0 × swapoff+uprobe');
    t = 5000;
    expect(beat.due()).toBeNull();
  });

  it('refuses an interval that is not a positive number', () => {
    expect(() => new Heartbeat(0)).toThrow(/intervalMs must be a positive number, got 0/);
    expect(() => new Heartbeat(Number.NaN)).toThrow(RangeError);
  });
});
