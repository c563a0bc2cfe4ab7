// consent.check on a store holding 1,000,000 consent records against the
// same indexed SQL query sent raw through the driver (pg or PGlite), with
// the same parameters. The records are bulk-loaded with SQL
// (generate_series), not one give() each: one subject row and one decision
// row per record, as give() writes them. PostgreSQL when DATABASE_URL is set
// (a scratch schema, dropped afterwards), else PGlite; the result file says which.
import {
  consentMigrations,
  createConsentService,
  generateConsentSigningKey,
} from '@civicblocks/consent';
import { exampleNotice } from '@civicblocks/consent/testing';
import { coreMigrations, migrate } from '@civicblocks/core';
import { compare } from './lib/harness.mjs';
import { annotateResult, openScratchDatabase } from './lib/scratch-database.mjs';

const name = 'consent-check';
const records = 1_000_000;

// The statement consent.check runs (see checkStatement in the package).
const rawCheck = `SELECT d.record_id, d.kind, d.notice_id, d.notice_version, d.event_id, d.decided_at, d.expires_at,
       d.data_categories, d.recipients,
       (SELECT max(n.version) FROM consent_notices n
         WHERE n.notice_id = d.notice_id AND n.reask AND n.published_at <= $4) AS reask_version
  FROM consent_subjects s
  JOIN consent_decisions d ON d.record_id = s.record_id
 WHERE s.subject = $1 AND d.controller_id = $2 AND d.purpose = $3 AND d.decided_at <= $4
 ORDER BY (d.kind = 'requested'), d.sequence DESC
 LIMIT 1`;

export default async function run() {
  const database = await openScratchDatabase('bench_consent');
  try {
    const { executor } = database;
    await migrate(executor, coreMigrations);
    await migrate(executor, consentMigrations);
    const consent = await createConsentService({
      executor,
      keys: { current: await generateConsentSigningKey('bench-check') },
    });
    await consent.publishNotice(exampleNotice);
    const loadStart = process.hrtime.bigint();
    await executor.executeScript(`
      INSERT INTO consent_subjects (subject, record_id, created_at)
        SELECT 'citizen-' || g, gen_random_uuid(), now() FROM generate_series(1, ${records}) AS g;
      INSERT INTO consent_decisions (record_id, controller_id, purpose, sequence, kind, notice_id, notice_version, event_id, decided_at, expires_at, data_categories, recipients)
        SELECT record_id, 'molisa', 'sms-updates', 1,
               CASE WHEN right(subject, 1) IN ('3', '7') THEN 'withdrawn' ELSE 'given' END,
               'benefit-updates', 1, gen_random_uuid(), now() - interval '1 day', now() + interval '1 year', '{phone}', '{sms-provider}'
          FROM consent_subjects;
      ANALYZE consent_subjects;
      ANALYZE consent_decisions;`);
    const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;
    const { rows: counted } = await executor.query(
      'SELECT count(*) AS count FROM consent_decisions',
    );
    if (Number(counted[0].count) !== records)
      throw new Error('the bulk load did not write every record');

    let turn = 0;
    const pick = () => {
      turn = (turn * 7919 + 104729) % records;
      return `citizen-${turn + 1}`;
    };
    const ours = async () => {
      const decision = await consent.check({
        subject: pick(),
        controller: 'molisa',
        purpose: 'sms-updates',
        dataCategories: ['phone'],
      });
      if (decision.record === undefined) throw new Error('check found no record');
    };
    const baseline = async () => {
      const result = await database.rawQuery(rawCheck, [
        pick(),
        'molisa',
        'sms-updates',
        new Date(),
      ]);
      if (result.rows.length !== 1) throw new Error('raw query found no record');
    };
    // the plan the raw query gets: index scans only
    const { rows: plan } = await executor.query(
      `EXPLAIN ${rawCheck.replace('$1', "'citizen-42'").replace('$2', "'molisa'").replace('$3', "'sms-updates'").replaceAll('$4', 'now()')}`,
    );

    await compare({
      name,
      ours,
      baseline: { name: 'the same indexed SQL, raw through the driver', fn: baseline },
      rounds: 30,
      batch: 300,
      warmup: 500,
    });
    return await annotateResult(name, {
      database: database.database,
      records,
      loadSeconds: Math.round(loadSeconds * 10) / 10,
      load: 'bulk INSERT ... SELECT FROM generate_series: one consent_subjects row and one consent_decisions row per record',
      plan: plan.map((row) => row['QUERY PLAN']),
      operation:
        'one check (one statement, index lookups on consent_subjects and consent_decisions) of a random subject among 1,000,000',
    });
  } finally {
    await database.close();
  }
}
