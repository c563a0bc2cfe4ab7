// consent.give (record + hash chain + signed receipt, in one transaction:
// lock the subject, read their decisions, append to core's erasable audit
// chain, write the event, its decision row and its ES256 receipt) against a
// raw INSERT of the same rows in one statement plus raw jose signing of the
// same record (checked once against a receipt give() issued), the chain
// entry's salted payload digest and hash computed as core computes them.
// Neither side publishes events or uses an idempotency key. PostgreSQL when
// DATABASE_URL is set (a scratch schema, dropped afterwards), else PGlite;
// the result file says which.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  consentMigrations,
  createConsentService,
  generateConsentSigningKey,
} from '@civicblocks/consent';
import { exampleNotice } from '@civicblocks/consent/testing';
import {
  auditEntryHashV2,
  auditGenesisHash,
  auditPayloadDigest,
  coreMigrations,
  migrate,
} from '@civicblocks/core';
import { CompactSign, decodeJwt, importJWK } from 'jose';
import { compare } from './lib/harness.mjs';
import { annotateResult, openScratchDatabase } from './lib/scratch-database.mjs';

const name = 'consent-give';

export default async function run() {
  const database = await openScratchDatabase('bench_consent');
  try {
    const { executor } = database;
    await migrate(executor, coreMigrations);
    await migrate(executor, consentMigrations);
    const key = await generateConsentSigningKey('bench-give');
    const consent = await createConsentService({ executor, keys: { current: key } });
    await consent.publishNotice(exampleNotice);
    // The baseline's tables: the same columns, keys and indexes, no triggers.
    await executor.executeScript(`
      CREATE TABLE raw_subjects (LIKE consent_subjects INCLUDING ALL);
      CREATE TABLE raw_events (LIKE consent_events INCLUDING ALL);
      CREATE TABLE raw_decisions (LIKE consent_decisions INCLUDING ALL);
      CREATE TABLE raw_receipts (LIKE consent_receipts INCLUDING ALL);
      CREATE TABLE raw_audit_entries (LIKE civicblocks_audit_entries INCLUDING ALL);
      CREATE TABLE raw_audit_payloads (LIKE civicblocks_audit_payloads INCLUDING ALL);`);
    const signingKey = await importJWK(key.privateKey, 'ES256');
    const encoder = new TextEncoder();
    const notice = { id: exampleNotice.id, version: 1 };

    let turn = 0;
    const ours = async () => {
      turn += 1;
      await consent.give({ subject: `citizen-${turn}`, notice, purposes: ['sms-updates'] });
    };
    const rawInsert = `WITH subject AS (INSERT INTO raw_subjects (subject, record_id, created_at) VALUES ($1, $2, $3)),
      event AS (INSERT INTO raw_events (id, record_id, sequence, kind, notice_id, notice_version, controller_id, purposes, decided_at, expires_at, actor, method)
                VALUES ($4, $2, 1, 'given', 'benefit-updates', 1, 'molisa', '{sms-updates}', $3, $5, '{"kind":"subject"}', 'api')),
      decision AS (INSERT INTO raw_decisions (record_id, controller_id, purpose, sequence, kind, notice_id, notice_version, event_id, decided_at, expires_at, data_categories, recipients)
                VALUES ($2, 'molisa', 'sms-updates', 1, 'given', 'benefit-updates', 1, $4, $3, $5, '{phone}', '{sms-provider}')),
      receipt AS (INSERT INTO raw_receipts (event_id, record_id, kid, jws) VALUES ($4, $2, 'bench-give', $6)),
      entry AS (INSERT INTO raw_audit_entries (chain, sequence, id, recorded_at, type, format, erasable, payload_digest, previous_hash, hash)
                VALUES ('consent:' || $2, 1, $4, $3, 'consent-given', 2, true, $7, $10, $11))
      INSERT INTO raw_audit_payloads (entry_id, chain, subject, salt, payload) VALUES ($4, 'consent:' || $2, $2, $8, $9::jsonb)`;
    // the same record give() signs (consentRecordOf in the package), built by hand
    const recordOf = (subject, eventId, now, expires) => {
      const purpose = exampleNotice.purposes[0];
      return {
        schema_version: 'ISO/IEC TS 27560:2023',
        record_id: eventId,
        pii_principal_id: subject,
        record_time: now.toISOString(),
        event: {
          event_type: 'dpv:ConsentGiven',
          event_time: now.toISOString(),
          event_by: 'pii-principal',
          expiry_time: expires.toISOString(),
          collection_method: 'api',
        },
        notice: {
          notice_id: exampleNotice.id,
          notice_version: 1,
          notice_url: exampleNotice.policyUrl,
          language: 'vi',
        },
        pii_controller: {
          id: 'molisa',
          name: exampleNotice.controller.name.vi,
          email: exampleNotice.controller.email,
          phone: exampleNotice.controller.phone,
          address: exampleNotice.controller.address,
          url: exampleNotice.controller.url,
        },
        jurisdiction: 'VN',
        processing: [
          {
            purpose_id: purpose.id,
            purpose: purpose.description.vi,
            purpose_category: [...purpose.dpv],
            lawful_basis: 'dpv:Consent',
            pii_categories: purpose.dataCategories.map((id) => {
              const category = exampleNotice.dataCategories.find(
                (candidate) => candidate.id === id,
              );
              return {
                id,
                dpv: category.dpv,
                sensitive: category.sensitive,
                name: category.title.vi,
              };
            }),
            recipients: purpose.recipients.map((id) => {
              const recipient = exampleNotice.recipients.find((candidate) => candidate.id === id);
              return { id, name: recipient.name.vi, third_party: recipient.thirdParty };
            }),
            storage_location: exampleNotice.storageLocation,
            retention_period: exampleNotice.retention.period,
            jurisdiction: exampleNotice.jurisdiction,
            primary_purpose: false,
          },
        ],
        withdrawal: { method: exampleNotice.withdrawal.vi, url: exampleNotice.withdrawalUrl },
      };
    };
    const baseline = async () => {
      turn += 1;
      const subject = `citizen-${turn}`;
      const recordId = randomUUID();
      const eventId = randomUUID();
      const now = new Date();
      const expires = new Date(now.getTime() + 365 * 24 * 3600 * 1000);
      const record = recordOf(subject, eventId, now, expires);
      const chainPayload = {
        id: eventId,
        kind: 'given',
        notice: { id: exampleNotice.id, version: 1 },
        controller: 'molisa',
        purposes: ['sms-updates'],
        decidedAt: now.toISOString(),
        expiresAt: expires.toISOString(),
        actor: { kind: 'subject' },
        method: 'api',
      };
      const signing = new CompactSign(encoder.encode(JSON.stringify(record)))
        .setProtectedHeader({ alg: 'ES256', kid: 'bench-give', typ: 'consent-receipt+jws' })
        .sign(signingKey);
      const salt = randomBytes(32);
      const payloadDigest = auditPayloadDigest({ salt, payload: chainPayload, subject: recordId });
      const hash = auditEntryHashV2({
        chain: `consent:${recordId}`,
        sequence: 1,
        id: eventId,
        recordedAt: now,
        type: 'consent-given',
        erasable: true,
        payloadDigest,
        previousHash: auditGenesisHash,
      });
      await database.rawQuery(rawInsert, [
        subject,
        recordId,
        now,
        eventId,
        expires,
        await signing,
        payloadDigest,
        salt,
        JSON.stringify(chainPayload),
        auditGenesisHash,
        hash,
      ]);
    };

    // The baseline signs the very record give() signs.
    const given = await consent.give({ subject: 'citizen-0', notice, purposes: ['sms-updates'] });
    const signed = decodeJwt(given.receipt);
    const expected = recordOf(
      'citizen-0',
      given.event.id,
      given.event.decidedAt,
      given.event.expiresAt,
    );
    if (JSON.stringify(signed) !== JSON.stringify(expected)) {
      throw new Error('the baseline does not sign the record give() signs');
    }

    await compare({
      name,
      ours,
      baseline: { name: 'raw INSERT of the same rows + raw jose ES256 signing', fn: baseline },
      rounds: 20,
      batch: 50,
      warmup: 50,
    });
    return await annotateResult(name, {
      database: database.database,
      operation:
        'one give of one purpose for a new subject: subject row, chain entry and payload, event, decision and ES256 receipt',
    });
  } finally {
    await database.close();
  }
}
