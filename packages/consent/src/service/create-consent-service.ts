import {
  createIdempotencyStore,
  createUuidv7Generator,
  executorFor,
  IdempotencyError,
  type IdempotencyStore,
  type JsonValue,
  type SqlExecutor,
  type SqlWriteOptions,
  systemClock,
  withTransactionRetry,
} from '@civicblocks/core';
import { ConsentError } from '../errors/consent-error.js';
import { checkIdentifier, invalid } from '../model/check-input.js';
import { createReceiptSigner } from '../receipts/signing-keys.js';
import { checkConsent } from './check-consent.js';
import type {
  ConsentDecisionResult,
  ConsentService,
  ConsentServiceOptions,
  ConsentWriteOptions,
  DecisionInput,
} from './consent-service-types.js';
import {
  type CheckedDecision,
  type CheckedWithdrawal,
  checkDecisionInput,
  checkWithdrawInput,
} from './decision-input.js';
import { eraseSubject } from './erase-subject.js';
import { readEvent, readReceipt } from './event-reads.js';
import { exportSubject } from './export-subject.js';
import { createNoticeStore } from './notice-store.js';
import {
  type DecisionAction,
  type DecisionContext,
  prepareDecision,
  recordDecision,
} from './record-decision.js';
import { historyOf, verifyRecordHistory } from './subject-history.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Creates the consent service on a database that has run `coreMigrations`
 * and {@link consentMigrations}.
 *
 * @throws {@link ConsentError} `CONSENT_INVALID_KEY` for a key ring that cannot sign ES256.
 * @example
 * ```ts
 * import { coreMigrations, migrate } from '@civicblocks/core';
 * import { consentMigrations, createConsentService, generateConsentSigningKey } from '@civicblocks/consent';
 *
 * await migrate(executor, coreMigrations);
 * await migrate(executor, consentMigrations);
 * const consent = await createConsentService({ executor, keys: { current: await generateConsentSigningKey('consent-1') } });
 * await consent.publishNotice(smsNotice);
 * const { receipt } = await consent.give({ subject: '079088001234', notice: { id: 'sms-updates', version: 1 }, purposes: ['sms-updates'] });
 * ```
 */
export async function createConsentService(
  options: ConsentServiceOptions,
): Promise<ConsentService> {
  const root = options.executor;
  const clock = options.clock ?? systemClock;
  const signer = await createReceiptSigner(options.keys);
  const notices = createNoticeStore(root);
  const context: DecisionContext = {
    root,
    clock,
    ids: createUuidv7Generator(clock),
    signer,
    notices,
    events: options.events,
  };
  const attempts = options.attempts ?? 8;
  let idempotency: IdempotencyStore | undefined = options.idempotency;
  const idempotencyStore = (): IdempotencyStore => {
    idempotency ??= createIdempotencyStore(root, { clock });
    return idempotency;
  };

  /** Runs `work` in the caller's transaction, or in a retried one of our own. */
  const inTransaction = async <R>(
    writeOptions: SqlWriteOptions | undefined,
    work: (transaction: SqlExecutor) => Promise<R>,
  ): Promise<R> => {
    const executor = executorFor(root, writeOptions);
    if (executor !== root) return work(executor);
    return withTransactionRetry(root, work, { attempts });
  };

  const decide = async (
    scope: string,
    action: (transaction: SqlExecutor) => Promise<DecisionAction>,
    request: JsonValue,
    writeOptions: ConsentWriteOptions | undefined,
  ): Promise<ConsentDecisionResult> => {
    const key = writeOptions?.idempotencyKey;
    if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 200)) {
      throw invalid('idempotencyKey', 'idempotencyKey must be 1 to 200 characters');
    }
    const run = async (transaction: SqlExecutor): Promise<ConsentDecisionResult> => {
      const result = await recordDecision(context, transaction, await action(transaction));
      if (result === undefined)
        throw new ConsentError('CONSENT_NOT_GIVEN', 'there is no consent in force to act on');
      return result;
    };
    if (key === undefined) return inTransaction(writeOptions, run);
    return inTransaction(writeOptions, async (transaction) => {
      let outcome: { value: JsonValue; replayed: boolean };
      try {
        outcome = await idempotencyStore().run(
          { scope, key, request },
          async (inner: SqlExecutor) => {
            const result = await run(inner);
            return {
              recordId: result.recordId,
              eventId: result.event.id,
              replayed: result.replayed,
            };
          },
          { transaction },
        );
      } catch (error) {
        if (IdempotencyError.isInstance(error) && error.code === 'IDEMPOTENCY_KEY_CONFLICT') {
          throw new ConsentError(
            'CONSENT_IDEMPOTENCY_CONFLICT',
            'this idempotency key was used for a different request',
            { cause: error },
          );
        }
        throw error;
      }
      const stored = outcome.value as { recordId: string; eventId: string; replayed: boolean };
      const event = await readEvent(transaction, stored.eventId);
      const receipt = await readReceipt(transaction, stored.eventId);
      return {
        recordId: stored.recordId,
        event,
        ...(receipt === undefined ? {} : { receipt }),
        replayed: outcome.replayed || stored.replayed,
      };
    });
  };

  // The idempotency fingerprint covers the checked request only: what was decided, for whom, by whom.
  // Fields the service ignores neither change it nor reach the fingerprint (however deep they nest).
  const decisionRequest = (checked: CheckedDecision): JsonValue => ({
    subject: checked.subject,
    notice: { id: checked.notice.id, version: checked.notice.version },
    purposes: [...checked.purposes],
    actor: { ...checked.actor },
    method: checked.method,
  });
  const withdrawalRequest = (checked: CheckedWithdrawal): JsonValue => ({
    subject: checked.subject,
    notice: { id: checked.noticeId },
    purposes: checked.purposes === undefined ? null : [...checked.purposes],
    actor: { ...checked.actor },
    method: checked.method,
  });

  const decideNew = async (
    kind: 'requested' | 'given' | 'refused',
    input: DecisionInput,
    writeOptions: ConsentWriteOptions | undefined,
  ): Promise<ConsentDecisionResult> => {
    const checked = await checkDecisionInput(notices, input, executorFor(root, writeOptions));
    const prepared = prepareDecision(context, kind, checked);
    return decide(
      `consent.${kind === 'given' ? 'give' : kind === 'refused' ? 'refuse' : 'request'}`,
      async () => ({ kind, input: checked, prepared }),
      decisionRequest(checked),
      writeOptions,
    );
  };

  const service: ConsentService = {
    publishNotice: (notice, writeOptions) => notices.publish(notice, clock.now(), writeOptions),
    notice: (reference) =>
      reference?.version === undefined
        ? notices.latest(reference?.id)
        : notices.get({ id: reference.id, version: reference.version }),
    request: (input, writeOptions) => decideNew('requested', input, writeOptions),
    give: (input, writeOptions) => decideNew('given', input, writeOptions),
    refuse: (input, writeOptions) => decideNew('refused', input, writeOptions),
    withdraw: async (input, writeOptions) => {
      const checked = checkWithdrawInput(input);
      return decide(
        'consent.withdraw',
        async () => ({ kind: 'withdrawn', input: checked }),
        withdrawalRequest(checked),
        writeOptions,
      );
    },
    renew: async (input, writeOptions) => {
      const checked = checkWithdrawInput(input);
      return decide(
        'consent.renew',
        async () => ({ kind: 'renewed', input: checked }),
        withdrawalRequest(checked),
        writeOptions,
      );
    },
    check: (query, readOptions) => checkConsent(executorFor(root, readOptions), query, clock.now()),
    history: (subject, readOptions) =>
      historyOf(executorFor(root, readOptions), subject, clock.now()),
    export: (subject, readOptions) =>
      exportSubject(executorFor(root, readOptions), notices, subject, clock.now()),
    erase: (subject, writeOptions) => {
      checkIdentifier(subject, 'subject');
      return inTransaction(writeOptions, (transaction) =>
        eraseSubject(root, transaction, subject, { id: context.ids.next(), at: clock.now() }),
      );
    },
    verifyHistory: (target, readOptions) =>
      verifyRecordHistory(executorFor(root, readOptions), notices, target),
    receipt: async (eventId, readOptions) => {
      if (typeof eventId !== 'string' || !uuidPattern.test(eventId))
        throw invalid('eventId', 'eventId must be a UUID');
      const jws = await readReceipt(executorFor(root, readOptions), eventId);
      if (jws === undefined)
        throw new ConsentError('CONSENT_UNKNOWN_RECEIPT', 'no receipt with that id');
      return jws;
    },
    recordExpiries: async (sweepOptions) => {
      const limit = sweepOptions?.limit ?? 1000;
      if (!Number.isSafeInteger(limit) || limit < 1)
        throw invalid('limit', 'limit must be a whole number from 1');
      const { rows } = await root.query<{ record_id: string }>(
        `SELECT DISTINCT d.record_id FROM consent_decisions d
          WHERE d.kind IN ('given', 'renewed') AND d.expires_at IS NOT NULL AND d.expires_at <= $1
            AND NOT EXISTS (SELECT 1 FROM consent_decisions later
                             WHERE later.record_id = d.record_id AND later.controller_id = d.controller_id
                               AND later.purpose = d.purpose AND later.sequence > d.sequence
                               AND later.kind <> 'requested')
          LIMIT $2`,
        [clock.now(), limit],
      );
      let recorded = 0;
      for (const row of rows) {
        const result = await withTransactionRetry(
          root,
          (transaction) =>
            recordDecision(context, transaction, { kind: 'due', recordId: row.record_id }),
          { attempts },
        );
        if (result !== undefined) recorded += 1;
      }
      return recorded;
    },
    jwks: () => signer.jwks,
  };
  return service;
}
