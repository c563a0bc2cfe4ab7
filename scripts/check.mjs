// npm run check: every quality gate a change must pass, in one command.
// Runs all gates even when one fails, then reports each and exits non-zero
// if any failed.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const environment = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
};

const publishable = readdirSync('packages')
  .map((directory) => ({
    directory: `packages/${directory}`,
    manifest: JSON.parse(readFileSync(`packages/${directory}/package.json`, 'utf8')),
  }))
  .filter(({ manifest }) => !manifest.private);

const gates = [
  ['build', 'npx', ['turbo', 'run', 'build', '--output-logs=errors-only']],
  ['typecheck', 'npx', ['turbo', 'run', 'typecheck', '--output-logs=errors-only']],
  ['typecheck scripts', 'npx', ['tsc', '-p', 'tsconfig.json']],
  ['lint and format', 'npx', ['biome', 'ci', '.']],
  ...publishable.flatMap(({ directory, manifest }) => [
    [`publint ${manifest.name}`, 'npx', ['publint', '--strict', directory]],
    [
      `attw ${manifest.name}`,
      'npx',
      ['attw', '--pack', directory, '--profile', 'esm-only', '--format', 'table-flipped'],
    ],
  ]),
  ['docs', 'npx', ['typedoc']],
];

const failed = [];
for (const [name, command, args] of gates) {
  console.log(`\n── ${name}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: environment });
  if (result.status !== 0) failed.push(name);
}
console.log(`\n${gates.length - failed.length} passed, ${failed.length} failed`);
if (failed.length > 0) {
  console.error(`failed gates: ${failed.join(', ')}`);
  process.exit(1);
}
