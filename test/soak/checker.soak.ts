/**
 * The checker's two costliest properties at soak strength (`npm run test:soak`): delay bounding and
 * DPOR against DFS on random programs, 250 and 1,000 runs (checker.test.ts runs 30 and 100).
 */
import { describe, it } from 'vitest';
import { delayAgreesWithDfs, dporAgreesWithDfs } from '../explore/programs.js';

describe('checking the checker, at length', () => {
  it('unbounded delay bounding reaches the states and happens-before classes of DFS; bounded, a growing subset', () => {
    delayAgreesWithDfs(250);
  });

  it('DPOR with sleep sets reaches exactly the terminal states and happens-before classes of DFS', () => {
    dporAgreesWithDfs(1000);
  });
});
