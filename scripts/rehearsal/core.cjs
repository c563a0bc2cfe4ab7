// Smoke exercise for @civicblocks/core, run by the release rehearsal in a
// scratch consumer outside the workspace, once after `import` (ESM) and once
// after `require()` (CommonJS). It uses every public subpath for real work.
const assert = require('node:assert/strict');
const { createServer } = require('node:http');

module.exports = async function exercise(modules, mode) {
  const core = modules['@civicblocks/core'];
  const { createPgliteExecutor } = modules['@civicblocks/core/pglite'];
  const { createPgExecutor } = modules['@civicblocks/core/pg'];
  const { databaseTargets, createTestDatabase } = modules['@civicblocks/core/testing'];

  // Errors survive the module boundary.
  const error = new core.HttpError('HTTP_TIMEOUT', 'timed out');
  assert.equal(core.CivicError.isInstance(error), true);
  assert.equal(error.name, 'HttpError');

  // HTTP: a real request to a loopback server, retried once after a 503.
  let hits = 0;
  const server = createServer((request, response) => {
    hits += 1;
    if (hits === 1) {
      response.writeHead(503, { 'retry-after': '0' }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ userAgent: request.headers['user-agent'] }));
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  const http = core.createHttpClient({ userAgent: `rehearsal-${mode}` });
  try {
    const response = await http.request({
      method: 'GET',
      url: `http://127.0.0.1:${server.address().port}/`,
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { userAgent: `rehearsal-${mode}` });
    assert.equal(hits, 2);
  } finally {
    await http.close();
    server.close();
  }

  // PGlite, migrations and the audit chain.
  const database = createPgliteExecutor();
  try {
    await core.migrate(database, core.coreMigrations);
    const audit = core.createAuditChain(database, { chain: `rehearsal-${mode}` });
    await audit.append({
      type: 'permit-submitted',
      payload: { permit: 'P-1', tên: 'Nguyễn Văn An' },
    });
    await audit.append({ type: 'permit-approved', payload: { permit: 'P-1' } });
    const verification = await audit.verify();
    assert.equal(verification.ok, true);
    assert.equal(verification.length, 2);
  } finally {
    await database.close();
  }

  // The unit of work on PGlite: a block's write joins the caller's transaction,
  // the root executor inside it is refused at once, a stream reads a cursor,
  // and an idempotency key runs its work once.
  const unitOfWork = createPgliteExecutor();
  try {
    await core.migrate(unitOfWork, core.coreMigrations);
    await unitOfWork.query('CREATE TABLE uow_notes (body text)');
    const addNote = (body, options) =>
      core.executorFor(unitOfWork, options).query('INSERT INTO uow_notes VALUES ($1)', [body]);
    await assert.rejects(
      unitOfWork.transaction(async (transaction) => {
        await addNote('rolled back', { transaction });
        throw new Error('undo');
      }),
      /undo/,
    );
    await assert.rejects(
      unitOfWork.transaction(async () => addNote('forgot the transaction')),
      (failure) =>
        core.SqlError.isInstance(failure) && failure.code === 'SQL_ROOT_EXECUTOR_IN_TRANSACTION',
    );
    await core.withTransactionRetry(unitOfWork, (transaction) =>
      addNote('committed', { transaction }),
    );
    const streamed = [];
    for await (const row of unitOfWork.stream('SELECT body FROM uow_notes', [], { batchSize: 1 })) {
      streamed.push(row.body);
    }
    assert.deepEqual(streamed, ['committed']);
    const idempotency = core.createIdempotencyStore(unitOfWork);
    let runs = 0;
    const outcomes = await Promise.all(
      [1, 2, 3].map(() =>
        idempotency.run({ scope: 'rehearsal', key: mode, request: { mode } }, async () => {
          runs += 1;
          return { mode };
        }),
      ),
    );
    assert.equal(runs, 1);
    assert.deepEqual(outcomes.map((outcome) => outcome.replayed).sort(), [false, true, true]);
  } finally {
    await unitOfWork.close();
  }

  // node-postgres: a real server when DATABASE_URL is set, otherwise a refused
  // connection that must come back as a typed, retryable SqlError.
  const url = process.env.DATABASE_URL;
  const pg = createPgExecutor({ connectionString: url ?? 'postgres://nobody@127.0.0.1:1/none' });
  try {
    if (url) {
      const { rows } = await pg.query('SELECT $1::text AS greeting', ['xin chào']);
      assert.equal(rows[0].greeting, 'xin chào');
    } else {
      await assert.rejects(
        pg.query('SELECT 1'),
        (failure) => core.SqlError.isInstance(failure) && failure.isRetryable,
      );
    }
  } finally {
    await pg.close();
  }

  // The testing helper: an isolated database, dropped afterwards.
  const [pglite] = databaseTargets({});
  const isolated = await createTestDatabase(pglite);
  try {
    await isolated.executor.query('CREATE TABLE notes (body text)');
    await isolated.executor.query('INSERT INTO notes (body) VALUES ($1)', ['hello']);
    const { rows } = await isolated.executor.query('SELECT count(*)::int AS count FROM notes');
    assert.equal(rows[0].count, 1);
  } finally {
    await isolated.drop();
  }

  // Standard Webhooks: sign, verify, refuse a tampered body.
  const secret = core.createWebhookSecret();
  const body = JSON.stringify({ type: 'permit-approved' });
  const headers = core.signWebhook({ id: 'msg_rehearsal', body, secret });
  assert.equal(core.verifyWebhook({ headers, body, secret }).id, 'msg_rehearsal');
  assert.throws(
    () => core.verifyWebhook({ headers, body: `${body} `, secret }),
    (failure) =>
      core.WebhookError.isInstance(failure) && failure.code === 'WEBHOOK_SIGNATURE_MISMATCH',
  );

  // CloudEvents round trip, with a UUIDv7 id.
  const event = core.createCloudEvent({
    source: '/permits',
    type: 'gov.example.permit.approved',
    data: { permit: 'P-1' },
  });
  assert.equal(core.isUuidv7(event.id), true);
  const structured = core.serializeCloudEvent(event);
  assert.deepEqual(core.parseCloudEvent(structured.body).data, { permit: 'P-1' });

  // Clock and ids.
  const clock = core.createManualClock('2026-01-01T00:00:00Z');
  const ids = core.createUuidv7Generator(clock);
  const first = ids.next();
  clock.advance(1000);
  const second = ids.next();
  assert.ok(first < second);
  assert.equal(core.uuidv7Timestamp(second).toISOString(), '2026-01-01T00:00:01.000Z');

  console.log(`@civicblocks/core (${mode}): every subpath loaded and used`);
};
