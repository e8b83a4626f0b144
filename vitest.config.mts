import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'labs/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'build/**', '.docusaurus/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
