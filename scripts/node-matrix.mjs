// npm run test:node-matrix — the test suites on every Node line we support
// beyond the machine's own: each runs under the `node` package of the npm
// registry (which ships the official binaries), with the same database
// targets as `npm test` (PGlite, and PostgreSQL when DATABASE_URL is set) but
// without the browser suites (the browser does not depend on the Node version).
import { spawnSync } from 'node:child_process';

const lines = (process.argv[2] ?? '22,24').split(',');
const failed = [];
for (const line of lines) {
  const version = spawnSync(
    'npx',
    ['--yes', '--package', `node@${line}`, '--', 'node', '--version'],
    {
      encoding: 'utf8',
    },
  );
  if (version.status !== 0) {
    console.error(version.stderr);
    failed.push(`node ${line} (could not be installed)`);
    continue;
  }
  console.log(`\n── Node ${version.stdout.trim()}`);
  const result = spawnSync(
    'npx',
    [
      '--yes',
      '--package',
      `node@${line}`,
      '--',
      'node',
      'node_modules/vitest/vitest.mjs',
      'run',
      '--exclude',
      '**/*browser*.test.ts',
      '--exclude',
      '**/node_modules/**',
    ],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) failed.push(`node ${line}`);
}
if (failed.length > 0) {
  console.error(`node matrix failed on: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`node matrix passed on: ${lines.map((line) => `node ${line}`).join(', ')}`);
