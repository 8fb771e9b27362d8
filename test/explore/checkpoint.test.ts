import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explore } from '../../src/explore/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mapletree-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkpoint and resume', () => {
  for (const strategy of ['dfs', 'delay', 'deviation'] as const) {
    it(`${strategy}: a search cut into slices of 5 executions runs exactly the executions of one search, then verifies`, () => {
      const whole = explore({ model: 'lost-update', variant: 'locked', strategy, bound: 3 });
      expect(whole.outcome).toBe('verified');
      const file = join(dir, `${strategy}.json`);
      let total = 0;
      let last;
      for (let slice = 0; slice < 1000; slice++) {
        last = explore({ model: 'lost-update', variant: 'locked', strategy, bound: 3, executions: 5, checkpoint: file, checkpointEvery: 2 });
        total += last.executions;
        if (last.outcome === 'verified') break;
        expect(last.outcome).toBe('no-bug-found');
      }
      expect(last!.outcome).toBe('verified');
      expect(total).toBe(whole.executions);
      expect(JSON.parse(readFileSync(file, 'utf8')).executions).toBe(whole.executions);
      // Resuming a finished search verifies at once.
      expect(explore({ model: 'lost-update', variant: 'locked', strategy, bound: 3, checkpoint: file }).executions).toBe(0);
    });
  }

  it('a resumed search still finds the bug', () => {
    const file = join(dir, 'bug.json');
    expect(explore({ model: 'lost-update', variant: 'racy', strategy: 'dfs', bound: 1, executions: 1, checkpoint: file }).outcome).toBe('no-bug-found');
    expect(explore({ model: 'lost-update', variant: 'racy', strategy: 'dfs', bound: 1, checkpoint: file }).outcome).toBe('bug');
  });

  it('refuses a checkpoint of another search, a strategy that cannot be checkpointed, and a bad interval', () => {
    const file = join(dir, 'other.json');
    explore({ model: 'lost-update', variant: 'locked', strategy: 'dfs', bound: 1, executions: 2, checkpoint: file });
    expect(() => explore({ model: 'lost-update', variant: 'locked', strategy: 'dfs', bound: 2, checkpoint: file })).toThrow(/checkpoint .* is for/);
    expect(() => explore({ model: 'lost-update', variant: 'locked', strategy: 'dpor', checkpoint: file })).toThrow(/cannot be checkpointed/);
    expect(() => explore({ model: 'lost-update', strategy: 'dfs', checkpoint: join(dir, 'x.json'), checkpointEvery: 0 })).toThrow(/checkpointEvery/);
  });
});
