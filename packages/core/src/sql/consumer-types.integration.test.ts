// A consumer's strict type check (skipLibCheck: false) of an app importing
// every entry point of the built @civicblocks/core passes without
// @types/emscripten: core's public types do not re-export PGlite's own
// (which need it). Checks the built declarations in dist/ (`npm test` builds
// first).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const consumerTsconfig = {
  compilerOptions: {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    lib: ['es2023'],
    types: ['node'],
    noEmit: true,
  },
  include: ['app.ts'],
};

const consumerApp = `import { coreMigrations, createIdempotencyStore, executorFor, migrate, type SqlWriteOptions } from '@civicblocks/core';
import { createPgExecutor } from '@civicblocks/core/pg';
import { createPgliteExecutor } from '@civicblocks/core/pglite';
import { databaseTargets } from '@civicblocks/core/testing';

const executor = createPgliteExecutor({ dataDir: 'memory://' });
await migrate(executor, coreMigrations);
const store = createIdempotencyStore(executor);
export async function record(body: string, options?: SqlWriteOptions): Promise<void> {
  await executorFor(executor, options).query('SELECT $1::text', [body]);
}
export const replayed: Promise<boolean> = store.consume({ scope: 's', key: 'k', expiresAt: new Date() });
export const pg = createPgExecutor({ connectionString: 'postgres://localhost/app' });
export const targets = databaseTargets({});
`;

async function typeCheck(directory: string, app: string): Promise<{ ok: boolean; output: string }> {
  await writeFile(join(directory, 'tsconfig.json'), JSON.stringify(consumerTsconfig, null, 2));
  await writeFile(join(directory, 'app.ts'), app);
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', directory], { cwd: directory });
    return { ok: true, output: '' };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

describe('types of @civicblocks/core for a consumer', () => {
  let directory: string;
  beforeAll(async () => {
    // Inside the package, so '@civicblocks/core' resolves to this workspace's build.
    directory = await mkdtemp(join(packageDirectory, '.consumer-types-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('passes a strict tsc with skipLibCheck: false importing every entry point', async () => {
    expect(existsSync(join(packageDirectory, 'dist', 'pglite.d.ts'))).toBe(true);
    const result = await typeCheck(directory, consumerApp);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 180_000);

  it("would fail on PGlite's own types without @types/emscripten (the check can fail)", async () => {
    const result = await typeCheck(
      directory,
      "import { PGlite } from '@electric-sql/pglite';\nexport const instance = new PGlite();\n",
    );
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/Emscripten|emscripten/);
  }, 180_000);
});
