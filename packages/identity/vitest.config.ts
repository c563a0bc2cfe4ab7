import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'identity',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests start real OIDC providers on a shared machine: no 5-second wall clock.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.test.json' },
  },
});
