import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A hang detector, not a speed limit: the slowest test takes well under a third of it even on
    // a 2-core machine shared by a dozen busy processes (README, "Tests").
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one file at a time on two cores. Many
    // files wait on child processes (the CLI, npm, TypeDoc, redis, Chromium), so use every core.
    maxWorkers: Math.max(2, availableParallelism()),
    // Prints each test as it finishes, so a long file is never minutes of silence.
    reporters: ['verbose'],
  },
});
