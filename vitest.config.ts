import { defineConfig } from 'vitest/config';

// One workspace config: every package and example is a project with its own
// vitest.config.ts, so `vitest run --project core` runs one block alone.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'examples/*/vitest.config.ts'],
  },
});
