// The portfolio runs on worker_threads, which load the compiled modules: this test imports dist/
// (`npm test` builds it first).
import { describe, expect, it } from 'vitest';
import { portfolio } from '../../dist/explore/portfolio.js';
import { replay } from '../../src/explore/trace.js';
import '../../src/explore/classics.js';

describe('portfolio', () => {
  it('finds the lost update on two workers, and its trace replays', async () => {
    const seen: string[] = [];
    const r = await portfolio({ model: 'lost-update', variant: 'racy', timeMs: 20_000, workers: 2, bound: 2, onResult: (e) => seen.push(e.strategy) });
    expect(r.outcome).toBe('bug');
    expect(r.workers).toBe(2);
    expect(r.bug?.trace?.violation?.kind).toBe('final-check');
    expect(replay(r.bug!.trace!).violation?.kind).toBe('final-check');
    expect(seen.length).toBeGreaterThan(0);
  });

  it('a correct model is verified by the exhaustive entry', async () => {
    const r = await portfolio({ model: 'lost-update', variant: 'locked', timeMs: 20_000, workers: 2, bound: 2 });
    expect(r.outcome).toBe('verified');
    expect(r.decidedBy?.strategy).toBe('dpor');
  });

  it('loads the modules that register other models, and refuses a bad budget', async () => {
    const r = await portfolio({
      model: 'fork-exit', variant: '6.10-6.11.6/swapoff/signal@4', timeMs: 20_000, workers: 1, bound: 1,
      modules: [new URL('../../dist/study/model.js', import.meta.url).href], entries: [{ strategy: 'dpor', seed: 1 }],
    });
    expect(r.outcome).toBe('bug');
    expect(r.bug?.trace?.violation?.kind).toBe('null-deref');
    await expect(portfolio({ model: 'lost-update', timeMs: 0 })).rejects.toThrow(RangeError);
  });
});
