// Random sequences of request / give / refuse / withdraw / renew / time passing / new
// notice versions, run against the real service (PGlite) and against a small
// reference model written from the rules alone. After every step both must
// agree on every check outcome and on every derived purpose status.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentError } from '../src/errors/consent-error.js';
import type { ConsentNotice } from '../src/model/notice.js';
import { exampleNotice } from '../src/testing/example-notice.js';
import { type ConsentFixture, consentFixture } from './consent-setup.js';

const purposes = ['sms-updates', 'income-sharing'] as const;
const categoriesOf: Record<string, string[]> = {
  'sms-updates': ['phone'],
  'income-sharing': ['income', 'health'],
};
const recipientsOf: Record<string, string[]> = {
  'sms-updates': ['sms-provider'],
  'income-sharing': ['tax-office'],
};
const validityMs = 30 * 24 * 3600 * 1000;
const dayMs = 24 * 3600 * 1000;

type Operation =
  | { op: 'give' | 'refuse' | 'request'; purposes: string[] }
  | { op: 'withdraw' | 'renew'; purposes: string[] | undefined }
  | { op: 'advance'; days: number }
  | { op: 'publish'; reask: boolean };

const purposeSet = fc.subarray([...purposes], { minLength: 1 });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('give' as const), purposes: purposeSet }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('refuse' as const), purposes: purposeSet }), weight: 2 },
  {
    arbitrary: fc.record({ op: fc.constant('request' as const), purposes: purposeSet }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('withdraw' as const),
      purposes: fc.option(purposeSet, { nil: undefined }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('renew' as const),
      purposes: fc.option(purposeSet, { nil: undefined }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('advance' as const),
      days: fc.integer({ min: 0, max: 45 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant('publish' as const), reask: fc.boolean() }), weight: 1 },
);

// ---- the reference model -------------------------------------------------
interface Latest {
  kind: string;
  version: number;
  expiresAt?: number;
  event: number;
}
interface Model {
  latest: Map<string, Latest>;
  versions: { version: number; reask: boolean }[];
  events: number;
}

function floorOf(model: Model): number {
  return Math.max(0, ...model.versions.filter((v) => v.reask).map((v) => v.version));
}
function statusOf(model: Model, purpose: string, now: number): string {
  const latest = model.latest.get(purpose);
  if (latest === undefined) return 'none';
  if (latest.kind === 'given' || latest.kind === 'renewed') {
    if (latest.expiresAt !== undefined && latest.expiresAt <= now) return 'expired';
    if (floorOf(model) > latest.version) return 'invalidated';
    return 'given';
  }
  return latest.kind;
}
/** Applies one transition; returns the new model, or an error code and the model unchanged. */
function apply(model: Model, operation: Operation, now: number): { model: Model; error?: string } {
  if (operation.op === 'advance' || operation.op === 'publish') return { model };
  const next: Model = { ...model, latest: new Map(model.latest) };
  // Expiry (then invalidation) is recorded before any other transition.
  const lapsed = new Map<string, string>();
  for (const purpose of purposes) {
    const status = statusOf(model, purpose, now);
    if (status === 'expired' || status === 'invalidated') lapsed.set(purpose, status);
  }
  for (const [purpose, status] of lapsed) {
    const previous = next.latest.get(purpose) as Latest;
    next.events += 1;
    next.latest.set(purpose, { kind: status, version: previous.version, event: next.events });
  }
  const current = Math.max(...model.versions.map((v) => v.version));
  if (operation.op === 'request') {
    // Asking (again) never hides a decision: it stands only while nothing was decided.
    next.events += 1;
    for (const purpose of operation.purposes) {
      const previous = next.latest.get(purpose);
      if (previous === undefined || previous.kind === 'requested')
        next.latest.set(purpose, { kind: 'requested', version: current, event: next.events });
    }
    return { model: next };
  }
  if (operation.op === 'give' || operation.op === 'refuse') {
    next.events += 1;
    for (const purpose of operation.purposes) {
      next.latest.set(purpose, {
        kind: operation.op === 'give' ? 'given' : 'refused',
        version: current,
        event: next.events,
        ...(operation.op === 'give' ? { expiresAt: now + validityMs } : {}),
      });
    }
    return { model: next };
  }
  const selected = operation.purposes ?? [...purposes];
  const inForce = selected.filter(
    (purpose) => next.latest.has(purpose) && statusOf(next, purpose, now) === 'given',
  );
  if (inForce.length === 0) {
    const rows = selected
      .map((purpose) => next.latest.get(purpose))
      .filter((row) => row !== undefined);
    const all =
      (operation.purposes === undefined ? rows.length > 0 : rows.length === selected.length) &&
      rows.length > 0;
    if (operation.op === 'withdraw' && all && rows.every((row) => row.kind === 'withdrawn')) {
      return { model }; // the latest withdrawal, replayed
    }
    return { model, error: 'CONSENT_NOT_GIVEN' };
  }
  // one event per notice version among the purposes in force
  for (const version of new Set(
    inForce.map((purpose) => (next.latest.get(purpose) as Latest).version),
  )) {
    next.events += 1;
    for (const purpose of inForce.filter(
      (p) => (next.latest.get(p) as Latest).version === version,
    )) {
      next.latest.set(purpose, {
        kind: operation.op === 'withdraw' ? 'withdrawn' : 'renewed',
        version,
        event: next.events,
        ...(operation.op === 'renew' ? { expiresAt: now + validityMs } : {}),
      });
    }
  }
  return { model: next };
}
function expectedCheck(
  model: Model,
  purpose: string,
  categories: string[],
  recipient: string | undefined,
  now: number,
): string {
  const status = statusOf(model, purpose, now);
  const reasons: Record<string, string> = {
    none: 'NO_CONSENT',
    requested: 'CONSENT_REQUESTED',
    refused: 'CONSENT_REFUSED',
    withdrawn: 'CONSENT_WITHDRAWN',
    expired: 'CONSENT_EXPIRED',
    invalidated: 'CONSENT_INVALIDATED',
  };
  if (status !== 'given') return reasons[status] as string;
  if (!categories.every((category) => categoriesOf[purpose]?.includes(category)))
    return 'DATA_CATEGORY_NOT_COVERED';
  if (recipient !== undefined && !recipientsOf[purpose]?.includes(recipient))
    return 'RECIPIENT_NOT_COVERED';
  return 'CONSENT_IN_FORCE';
}

// ---- the property ---------------------------------------------------------
describe('the service against the reference model', () => {
  let fixture: ConsentFixture;
  beforeAll(async () => {
    fixture = await consentFixture({ kind: 'pglite', name: 'pglite' });
  }, 120_000);
  afterAll(async () => {
    await fixture.database.drop();
  });

  it('agrees on every check outcome and every derived status', { timeout: 600_000 }, async () => {
    const { consent, clock } = fixture;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 14 }), async (operations) => {
        run += 1;
        const noticeId = `model-run-${run}`;
        const subject = `subject-of-run-${run}`;
        const base: ConsentNotice = {
          ...exampleNotice,
          id: noticeId,
          version: 1,
          validity: 'P30D',
          existingConsents: 'carry-over',
        };
        await consent.publishNotice(base);
        let model: Model = {
          latest: new Map(),
          versions: [{ version: 1, reask: false }],
          events: 0,
        };
        for (const step of operations) {
          const now = clock.now().getTime();
          if (step.op === 'advance') {
            clock.advance(step.days * dayMs);
          } else if (step.op === 'publish') {
            if (model.versions.length < 4) {
              const version = model.versions.length + 1;
              await consent.publishNotice({
                ...base,
                version,
                existingConsents: step.reask ? 're-ask' : 'carry-over',
              });
              model = { ...model, versions: [...model.versions, { version, reask: step.reask }] };
            }
          } else {
            const version = Math.max(...model.versions.map((v) => v.version));
            const expected = apply(model, step, now);
            let error: string | undefined;
            try {
              if (step.op === 'give' || step.op === 'refuse' || step.op === 'request') {
                await consent[step.op]({
                  subject,
                  notice: { id: noticeId, version },
                  purposes: step.purposes,
                });
              } else {
                await consent[step.op]({
                  subject,
                  notice: { id: noticeId },
                  ...(step.purposes === undefined ? {} : { purposes: step.purposes }),
                });
              }
            } catch (failure) {
              if (!ConsentError.isInstance(failure)) throw failure;
              error = failure.code;
            }
            expect(error, `${JSON.stringify(step)}`).toBe(expected.error);
            model = expected.model;
          }
          clock.advance(1000);
          const at = clock.now().getTime();
          const history = await consent.history(subject);
          for (const purpose of purposes) {
            const derived =
              history.statuses.find((state) => state.purpose === purpose)?.status ?? 'none';
            expect(derived, `status of ${purpose} after ${JSON.stringify(operations)}`).toBe(
              statusOf(model, purpose, at),
            );
            for (const categories of [[], ['phone'], ['income'], ['income', 'health']]) {
              for (const recipient of [undefined, 'tax-office', 'sms-provider']) {
                const decision = await consent.check({
                  subject,
                  controller: 'molisa',
                  purpose,
                  dataCategories: categories,
                  ...(recipient === undefined ? {} : { recipient }),
                });
                const reason = expectedCheck(model, purpose, categories, recipient, at);
                expect(
                  decision.reason,
                  `${purpose} ${categories} ${recipient} after ${JSON.stringify(operations)}`,
                ).toBe(reason);
                expect(decision.allowed).toBe(reason === 'CONSENT_IN_FORCE');
              }
            }
          }
        }
        const verified = await consent.verifyHistory(subject);
        expect(verified.ok).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
