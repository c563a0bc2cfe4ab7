// A scratch database for a benchmark that compares a block against the same
// SQL sent raw: PostgreSQL when DATABASE_URL is set (a scratch schema,
// dropped by close()), else an in-process PGlite. `executor` is core's;
// `rawQuery` goes straight to the driver (pg or PGlite); `database` names
// what ran, for the result file.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export async function openScratchDatabase(prefix) {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const { createPgExecutor } = await import('@civicblocks/core/pg');
    const { default: pg } = await import('pg');
    const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
    const administration = createPgExecutor({ connectionString: databaseUrl, max: 1 });
    await administration.query(`CREATE SCHEMA ${schema}`);
    const options = `-c search_path=${schema}`;
    const executor = createPgExecutor({ connectionString: databaseUrl, max: 1, options });
    const raw = new pg.Pool({ connectionString: databaseUrl, max: 1, options });
    const { rows } = await administration.query('SHOW server_version');
    return {
      database: `postgresql ${rows[0].server_version}`,
      executor,
      rawQuery: (text, values) => raw.query(text, values),
      close: async () => {
        await executor.close();
        await raw.end();
        await administration.query(`DROP SCHEMA ${schema} CASCADE`);
        await administration.close();
      },
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgliteExecutor } = await import('@civicblocks/core/pglite');
  const instance = new PGlite();
  await instance.waitReady;
  const executor = createPgliteExecutor(instance);
  const { rows } = await executor.query('SHOW server_version');
  return {
    database: `pglite (postgresql ${rows[0].server_version})`,
    executor,
    rawQuery: (text, values) => instance.query(text, values),
    close: () => instance.close(),
  };
}

// Adds what the harness does not know (database, workload) to bench/results/<name>.json.
export async function annotateResult(name, extra) {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', `${name}.json`);
  const annotated = { ...JSON.parse(await readFile(file, 'utf8')), ...extra };
  await writeFile(file, `${JSON.stringify(annotated, null, 2)}\n`);
  return annotated;
}
