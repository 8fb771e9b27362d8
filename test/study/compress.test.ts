/**
 * Class compression of a large parent (compress.ts; docs/walkers.md, "Class compression"): on random
 * parents with many VMAs of one class, a cell searched on the compressed parent has the verdict of
 * the exact search — outcome, reason, kind, message, the failure point in the parent's own
 * numbering and the walkers that reached the child; only the executions differ. The soak
 * (test/soak/compress.soak.ts) runs more of them, on larger parents.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressParent } from '../../src/study/compress.js';
import { compareCompressed, generatedParent, kindsArb, parentOf } from './compress-cases.js';

/** The rows the property draws from: the bug rows, 6.12's uprobe rows, 6.18 and 7.0, a counterfactual. */
const CONFIGURATIONS = ['6.8.0-6.8.7', '6.10-6.11.6', '6.11.7-6.12.7', '6.12.8-6.12.50', '6.12.51-6.12.82', '6.18', '7.0', 'cf:6.18-teardown', 'cf:6.12.50+zero-break'];
const WALKERS = ['swapoff', 'uprobe', 'ksmd', 'khugepaged', 'oom-reaper', 'uffd', 'uffd-withdraw', 'swapoff+uprobe', 'swapoff+reclaim'];

describe('class compression', () => {
  it('gives a cell the exact search\'s verdict on random parents of many alike VMAs (property)', () => {
    let compressed = 0;
    fc.assert(fc.property(
      kindsArb(8, 24), fc.boolean(), fc.option(fc.nat(8), { nil: null }), fc.constantFrom(...CONFIGURATIONS), fc.constantFrom(...WALKERS), fc.constantFrom(0, 1),
      (kinds, spread, uffdAt, configuration, walker, bound) => {
        if (compareCompressed(configuration, walker, parentOf(kinds, spread, uffdAt), bound)) compressed++;
      },
    ), { numRuns: 8 });
    expect(compressed).toBeGreaterThan(0);
  }, 600_000);

  it('keeps the first VMAs of every signature, and addresses as they were', () => {
    const parent = generatedParent(200);
    const c = compressParent(parent, 1)!;
    expect(c.of).toBe(200);
    expect(c.vmas).toBeLessThan(100);
    expect(c.original.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...c.original].sort((a, b) => a - b)).toEqual(c.original);
    const starts = new Set(parent.specs!.map((s) => s.start));
    for (const s of c.parent.specs!) expect(starts.has(s.start)).toBe(true);
    expect(compressParent(parent, 1)).toBe(c);
  });

  it('leaves alone a parent with nothing to delete, and one that exits after the fork', () => {
    expect(compressParent(parentOf(['anon', 'text', 'lib'], false, null), 1)).toBeNull();
    expect(compressParent({ ...generatedParent(100), afterFork: 'exit' }, 1)).toBeNull();
  });
});
