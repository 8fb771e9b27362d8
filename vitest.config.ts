import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A hang detector, not a speed limit: the slowest test took a fifth of it on the 2-core
    // machine at a load average of 30 (README, "Tests").
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one file at a time on two cores. Many
    // files wait on child processes (the CLI, npm, TypeDoc, redis, Chromium), so use every core.
    maxWorkers: Math.max(2, availableParallelism()),
    // Prints each test as it finishes, so a long file is never minutes of silence.
    reporters: ['verbose'],
  },
});
