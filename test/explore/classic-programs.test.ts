import { describe, expect, it } from 'vitest';
import { explore, replay, registerModel, type ExploreResult, type Model } from '../../src/explore/index.js';
import { MANY_THREAD_PROGRAMS, SYSTEMATIC_PROGRAMS } from './classic-programs.js';

for (const m of [...SYSTEMATIC_PROGRAMS, ...MANY_THREAD_PROGRAMS]) registerModel(m);

/** Systematic strategies in turn, each within the 100,000-execution budget; the first report of a bug. */
function systematic(model: Model): ExploreResult {
  let last: ExploreResult | null = null;
  for (const [strategy, bound] of [['dpor', Infinity], ['delay', 3], ['deviation', 2], ['dpor', 2]] as const) {
    last = explore({ model, variant: 'bad', strategy, bound, executions: 100_000 });
    if (last.outcome === 'bug') return last;
  }
  return last!;
}

describe('classic programs (SCTBench CS, CHESS, SV-COMP pthread)', () => {
  for (const model of SYSTEMATIC_PROGRAMS) {
    it(`${model.name}: a systematic strategy finds the bug within 100,000 executions; the fixed twin raises no alarm`, () => {
      const r = systematic(model);
      expect(r.outcome).toBe('bug');
      expect(r.firstBug!.executions).toBeLessThanOrEqual(100_000);
      expect(replay(r.trace!).violation?.kind).toBe(r.trace!.violation!.kind);
      for (const [strategy, bound] of [['dpor', Infinity], ['delay', 2], ['deviation', 2], ['dfs', 1]] as const) {
        const fixed = explore({ model, variant: 'fixed', strategy, bound, executions: 5_000 });
        expect(fixed.outcome, `${strategy} on the fixed twin`).not.toBe('bug');
        // Optimal DPOR follows its wakeup trees: no execution ends with every enabled task asleep.
        if (strategy === 'dpor') expect(fixed.pruned, 'sleep-set-blocked executions').toBe(0);
      }
    });
  }

  for (const model of [...SYSTEMATIC_PROGRAMS, ...MANY_THREAD_PROGRAMS]) {
    it(`${model.name}: deviation bounding finds the bug within 100,000 executions; the fixed twin raises no alarm`, () => {
      const r = explore({ model, variant: 'bad', strategy: 'deviation', bound: 2, executions: 100_000 });
      expect(r.outcome).toBe('bug');
      expect(replay(r.trace!).violation?.kind).toBe(r.trace!.violation!.kind);
      expect(explore({ model, variant: 'fixed', strategy: 'deviation', bound: 1, executions: 100_000 }).outcome).not.toBe('bug');
    });
  }

  for (const model of MANY_THREAD_PROGRAMS) {
    it(`${model.name}: PCT (depth 3) finds the bug within 100,000 executions; the fixed twin raises no alarm`, () => {
      const r = explore({ model, variant: 'bad', strategy: 'pct', depth: 3, seed: 1, executions: 100_000 });
      expect(r.outcome).toBe('bug');
      expect(replay(r.trace!).violation?.kind).toBe(r.trace!.violation!.kind);
      expect(explore({ model, variant: 'fixed', strategy: 'pct', depth: 3, seed: 1, executions: 2_000 }).outcome).not.toBe('bug');
    });
  }
});
