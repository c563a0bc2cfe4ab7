import { fileURLToPath } from 'node:url';

const packagesDirectory = fileURLToPath(new URL('./packages/', import.meta.url));

/**
 * Resolves `@civicblocks/<block>` and `@civicblocks/<block>/<subpath>` to the
 * block's TypeScript source, so a test of one block runs against the current
 * source of another without a build. Published consumers get `dist/` through
 * the exports map; the release rehearsal tests that path.
 */
export const workspaceAliases: { find: RegExp; replacement: string }[] = [
  {
    find: /^@civicblocks\/([a-z-]+)\/([a-z-]+)$/,
    replacement: `${packagesDirectory}$1/src/$2.ts`,
  },
  {
    find: /^@civicblocks\/([a-z-]+)$/,
    replacement: `${packagesDirectory}$1/src/index.ts`,
  },
];

/**
 * How long a test or hook may run before vitest calls it hung. Tests never
 * assert on time (the machines are shared and noisy); this only stops a
 * stuck test, so it is generous: a real component under a loaded 2-core
 * machine can take many times its quiet-machine time.
 */
export const hangTimeouts: { testTimeout: number; hookTimeout: number } = {
  testTimeout: 120_000,
  hookTimeout: 120_000,
};
