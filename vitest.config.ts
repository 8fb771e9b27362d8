import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Prints each test as it finishes, so a long file is never minutes of silence.
    reporters: ['verbose'],
  },
});
