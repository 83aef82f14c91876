import { defineConfig } from 'vitest/config';

/**
 * `npm run test:load`: the opt-in load tests (test/load/*.load.ts), kept out of `npm test`, whose
 * include (`*.test.ts`) does not match them. Each runs only with CXM_LOAD=1.
 */
export default defineConfig({
  test: {
    include: ['test/load/**/*.load.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 60 * 60_000,
    pool: 'forks',
    reporters: ['verbose'],
  },
});
