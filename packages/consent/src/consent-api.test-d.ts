import type { SqlExecutor } from '@civicblocks/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { ConsentErrorCode } from './errors/consent-error.js';
import type { ConsentCheckReason } from './model/check-decision.js';
import type { ConsentEventKind } from './model/consent-event.js';
import type { ConsentService } from './service/consent-service-types.js';

describe('consent public types', () => {
  it('closes the error-code union', () => {
    const code: ConsentErrorCode = 'CONSENT_NOT_GIVEN';
    expectTypeOf(code).toExtend<ConsentErrorCode>();
    // @ts-expect-error not a consent error code
    const unknown: ConsentErrorCode = 'CONSENT_SOMETHING_ELSE';
    void unknown;
  });

  it('takes the caller’s transaction on every operation that reads or writes', () => {
    type Options<Method extends keyof ConsentService> = Parameters<ConsentService[Method]>[1];
    expectTypeOf<{ transaction: SqlExecutor }>().toExtend<NonNullable<Options<'give'>>>();
    expectTypeOf<{ transaction: SqlExecutor; idempotencyKey: string }>().toExtend<
      NonNullable<Options<'withdraw'>>
    >();
    expectTypeOf<{ transaction: SqlExecutor }>().toExtend<NonNullable<Options<'check'>>>();
    expectTypeOf<{ transaction: SqlExecutor }>().toExtend<NonNullable<Options<'erase'>>>();
    expectTypeOf<{ transaction: SqlExecutor }>().toExtend<NonNullable<Options<'publishNotice'>>>();
  });

  it('names every event kind and check reason', () => {
    expectTypeOf<ConsentEventKind>().toEqualTypeOf<
      'requested' | 'given' | 'refused' | 'withdrawn' | 'expired' | 'renewed' | 'invalidated'
    >();
    expectTypeOf<'CONSENT_IN_FORCE'>().toExtend<ConsentCheckReason>();
  });
});
