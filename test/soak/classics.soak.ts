/**
 * The classic program of issue 20 too long for `npm test`: SCTBench's twostage_100, which dfs, dpor
 * and delay bounding cannot reach within 100,000 executions (one preemption-free order holds every
 * order of its 99 writers), found by deviation bounding at bound 1 (25,346 executions, ~80 s).
 */
import { describe, expect, it } from 'vitest';
import { explore, registerModel, replay } from '../../src/explore/index.js';
import { twostage } from '../explore/classic-programs.js';

describe('classic programs at length', () => {
  it('twostage_100: deviation bounding finds the bug within 100,000 executions, and it replays', () => {
    const model = twostage(100);
    registerModel(model);
    const r = explore({ model, variant: 'bad', strategy: 'deviation', bound: 1, executions: 100_000 });
    expect(r.outcome).toBe('bug');
    expect(r.firstBug!.executions).toBeLessThanOrEqual(100_000);
    expect(replay(r.trace!).violation?.kind).toBe(r.trace!.violation!.kind);
  });
});
