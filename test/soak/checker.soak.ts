/**
 * The checker's costliest properties at soak strength (`npm run test:soak`): delay bounding,
 * deviation bounding and DPOR against DFS on random programs, 250, 250 and 1,000 runs
 * (checker.test.ts runs 30, 30 and 100).
 */
import { describe, it } from 'vitest';
import { delayAgreesWithDfs, deviationBetweenDelayAndDfs, dporAgreesWithDfs } from '../explore/programs.js';

describe('checking the checker, at length', () => {
  it('unbounded delay bounding reaches the states and happens-before classes of DFS; bounded, a growing subset', () => {
    delayAgreesWithDfs(250);
  });

  it('deviation bounding reaches all DFS reaches; at each bound, all delay bounding reaches and nothing beyond preemption bounding', () => {
    deviationBetweenDelayAndDfs(250);
  });

  it('DPOR with sleep sets reaches exactly the terminal states and happens-before classes of DFS', () => {
    dporAgreesWithDfs(1000);
  });
});
