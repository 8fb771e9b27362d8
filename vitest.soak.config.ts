import { defineConfig } from 'vitest/config';

// `npm run test:soak`: the long soaks, with generous timeouts (CI runs them after `npm test`).
export default defineConfig({
  test: {
    include: ['test/soak/**/*.soak.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
    reporters: ['verbose'],
  },
});
