/**
 * The class compression's soak (`npm run test:soak`): compress.test.ts's property with more runs and
 * larger parents (8–40 VMAs), every study configuration but the designs' and every walker set the
 * property draws from — the compressed search's verdict against the exact one.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { STUDY_CONFIGURATIONS } from '../../src/study/study.js';
import { compareCompressed, kindsArb, parentOf } from '../study/compress-cases.js';

const WALKERS = ['swapoff', 'uprobe', 'ksmd', 'khugepaged', 'oom-reaper', 'uffd', 'uffd-withdraw', 'careless', 'swapoff+uprobe', 'swapoff+reclaim', 'uprobe+reclaim'];
const RUNS = Number(process.env['MAPLETREE_COMPRESS_RUNS'] ?? 12);

describe('class compression, soaked', () => {
  it('gives a cell the exact search\'s verdict on random parents of up to 40 VMAs', () => {
    fc.assert(fc.property(
      kindsArb(8, 40), fc.boolean(), fc.option(fc.nat(8), { nil: null }), fc.constantFrom(...STUDY_CONFIGURATIONS), fc.constantFrom(...WALKERS), fc.constantFrom(0, 1),
      (kinds, spread, uffdAt, configuration, walker, bound) => {
        compareCompressed(configuration, walker, parentOf(kinds, spread, uffdAt), bound);
      },
    ), { numRuns: RUNS });
  });
});
