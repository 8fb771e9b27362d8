/**
 * The checker's costliest properties at soak strength (`npm run test:soak`): DFS against a direct
 * enumeration, and delay bounding, deviation bounding and DPOR against DFS, on random programs:
 * 1,000, 250, 250 and 1,000 runs (checker.test.ts runs 100, 30, 30 and 100).
 */
import { describe, it } from 'vitest';
import { delayAgreesWithDfs, deviationBetweenDelayAndDfs, dfsAgreesWithOracle, dporAgreesWithDfs } from '../explore/programs.js';

describe('checking the checker, at length', () => {
  it('unbounded DFS reaches exactly the terminal states of a direct enumeration (random programs)', () => {
    dfsAgreesWithOracle(1000);
  });

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
