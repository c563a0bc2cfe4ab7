import { defineProject } from 'vitest/config';
import { hangTimeouts, workspaceAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'permit-service',
    ...hangTimeouts,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
