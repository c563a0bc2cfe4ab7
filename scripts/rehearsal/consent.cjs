// Smoke exercise for @civicblocks/consent, run by the release rehearsal in a
// scratch consumer outside the workspace, once after `import` (ESM) and once
// after `require()` (CommonJS). It uses every public subpath for real work:
// a notice published on PGlite, consent given, checked, withdrawn and checked
// again; the receipt verified with the JWKS and exported as Kantara; the
// history verified, erased and verified again; the HTTP handler asked by a
// read-only agency; the consent page rendered and read back; the shipped
// OpenAPI document compared with the generated one.
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

module.exports = async function exercise(modules, mode) {
  const consentPackage = modules['@civicblocks/consent'];
  const { exampleNotice } = modules['@civicblocks/consent/testing'];
  const core = require('@civicblocks/core');
  const { createPgliteExecutor } = require('@civicblocks/core/pglite');

  const executor = createPgliteExecutor();
  try {
    await core.migrate(executor, core.coreMigrations);
    await core.migrate(executor, consentPackage.consentMigrations);
    const key = await consentPackage.generateConsentSigningKey(`rehearsal-${mode}`);
    const consent = await consentPackage.createConsentService({ executor, keys: { current: key } });
    await consent.publishNotice(exampleNotice);
    const notice = { id: exampleNotice.id, version: 1 };
    const subject = '079088001234';

    // Give, check, withdraw, check: no stale answer.
    const given = await consent.give(
      { subject, notice, purposes: ['income-sharing'], method: 'web-form' },
      { idempotencyKey: 'rehearsal-1' },
    );
    const replay = await consent.give(
      { subject, notice, purposes: ['income-sharing'], method: 'web-form' },
      { idempotencyKey: 'rehearsal-1' },
    );
    assert.equal(replay.replayed, true);
    assert.equal(replay.event.id, given.event.id);
    const query = {
      subject,
      controller: 'molisa',
      purpose: 'income-sharing',
      dataCategories: ['income'],
      recipient: 'tax-office',
    };
    assert.equal((await consent.check(query)).allowed, true);
    await consent.withdraw({ subject, notice: { id: notice.id } });
    const afterWithdrawal = await consent.check(query);
    assert.equal(afterWithdrawal.allowed, false);
    assert.equal(afterWithdrawal.reason, 'CONSENT_WITHDRAWN');

    // Typed errors with citizen text in both languages.
    await assert.rejects(
      consent.give({ subject, notice, purposes: ['marketing'] }),
      (error) =>
        consentPackage.ConsentError.isInstance(error) &&
        error.code === 'CONSENT_UNKNOWN_PURPOSE' &&
        error.userMessage.vi.length > 0,
    );

    // The receipt verifies with the published JWKS and exports as Kantara v1.1.
    const { record } = await consentPackage.verifyReceipt(given.receipt, consent.jwks());
    assert.equal(record.schema_version, 'ISO/IEC TS 27560:2023');
    assert.equal(record.pii_principal_id, subject);
    const kantara = consentPackage.toKantaraReceipt(record);
    assert.equal(kantara.version, 'KI-CR-v1.1.0');
    assert.equal(kantara.services[0].purposes[0].thirdPartyDisclosure, true);

    // History: verified, erased, still verified.
    assert.equal((await consent.verifyHistory(subject)).ok, true);
    const tombstone = await consent.erase(subject);
    assert.equal(tombstone.events, 2);
    const erased = await consent.verifyHistory({ recordId: tombstone.recordId });
    assert.equal(erased.ok, true);
    assert.equal(erased.erased, 2);
    assert.deepEqual((await consent.history(subject)).events, []);

    // The HTTP service: another agency checks with a read-only key.
    const handle = consentPackage.createConsentHandler({
      service: consent,
      apiKeys: [
        { caller: 'tax-office', key: 'rehearsal-read-key-0123456789abcdef', scopes: ['read'] },
      ],
    });
    const checked = await handle(
      new Request('https://consent.example/consents/check', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': 'rehearsal-read-key-0123456789abcdef',
        },
        body: JSON.stringify(query),
      }),
    );
    assert.equal(checked.status, 200);
    assert.equal((await checked.json()).reason, 'NO_CONSENT');
    const refused = await handle(
      new Request('https://consent.example/consents/withdraw', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': 'rehearsal-read-key-0123456789abcdef',
        },
        body: JSON.stringify({ subject, notice: { id: notice.id } }),
      }),
    );
    assert.equal(refused.status, 403);
    const jwks = await (
      await handle(new Request('https://consent.example/.well-known/jwks.json'))
    ).json();
    assert.equal(jwks.keys[0].kid, `rehearsal-${mode}`);

    // The consent page, and the choices read back.
    const page = consentPackage.renderConsentRequestPage({
      notice: exampleNotice,
      locale: 'vi',
      action: '/consent',
      stylesheetHref: '/govuk.css',
    });
    assert.match(page.html, /<html lang="vi"/);
    assert.match(page.html, /Có, tôi đồng ý/);
    assert.match(page.html, /class="govuk-inset-text"/);
    const choices = consentPackage.readConsentChoices(
      exampleNotice,
      new URLSearchParams('purpose-sms-updates=agree&purpose-income-sharing=disagree'),
    );
    assert.deepEqual(choices.agreed, ['sms-updates']);
    assert.deepEqual(choices.refused, ['income-sharing']);

    // The OpenAPI 3.1 document shipped beside package.json is the generated one.
    const shipped = JSON.parse(
      readFileSync(
        join(dirname(require.resolve('@civicblocks/consent/package.json')), 'openapi.json'),
        'utf8',
      ),
    );
    assert.equal(shipped.openapi, '3.1.0');
    assert.deepEqual(shipped, consentPackage.consentOpenApiDocument());
  } finally {
    await executor.close();
  }
  console.log(`@civicblocks/consent (${mode}): every subpath loaded and used`);
};
