import type { SqlExecutor } from '@civicblocks/core';
import { ConsentError } from '../errors/consent-error.js';
import { checkId, checkIdentifier, checkIdList, invalid } from '../model/check-input.js';
import type { CollectionMethod, ConsentActor } from '../model/consent-event.js';
import type { ConsentNotice } from '../model/notice.js';
import type { ConsentProxy, DecisionInput, WithdrawInput } from './consent-service-types.js';
import type { NoticeStore } from './notice-store.js';

/** @internal */
export interface CheckedDecision {
  readonly subject: string;
  readonly notice: ConsentNotice;
  readonly purposes: readonly string[];
  readonly actor: ConsentActor;
  readonly method: CollectionMethod;
}

/** @internal */
export interface CheckedWithdrawal {
  readonly subject: string;
  readonly noticeId: string;
  readonly purposes: readonly string[] | undefined;
  readonly actor: ConsentActor;
  readonly method: CollectionMethod;
}

const methods: ReadonlySet<string> = new Set(['web-form', 'api', 'paper', 'in-person', 'phone']);
const relationships: ReadonlySet<string> = new Set([
  'parent',
  'guardian',
  'legal-representative',
  'authorised-person',
]);

function actorOf(proxy: ConsentProxy | undefined): ConsentActor {
  if (proxy === undefined) return { kind: 'subject' };
  if (typeof proxy !== 'object' || proxy === null)
    throw invalid('proxy', 'proxy must be { id, relationship }');
  const id = checkIdentifier(proxy.id, 'proxy.id');
  if (!relationships.has(proxy.relationship)) {
    throw invalid(
      'proxy.relationship',
      `proxy.relationship must be one of ${[...relationships].join(', ')}`,
    );
  }
  return { kind: 'proxy', id, relationship: proxy.relationship };
}

function methodOf(method: unknown): CollectionMethod {
  if (method === undefined) return 'api';
  if (typeof method !== 'string' || !methods.has(method)) {
    throw invalid('method', `method must be one of ${[...methods].join(', ')}`);
  }
  return method as CollectionMethod;
}

/** Checks a give / refuse / request before anything is written. @internal */
export async function checkDecisionInput(
  notices: NoticeStore,
  input: DecisionInput,
  executor: SqlExecutor,
): Promise<CheckedDecision> {
  if (typeof input !== 'object' || input === null)
    throw invalid('input', 'input must be an object');
  const subject = checkIdentifier(input.subject, 'subject');
  const purposes = checkIdList(input.purposes, 'purposes', 50);
  if (purposes.length === 0) throw invalid('purposes', 'purposes must name at least one purpose');
  const actor = actorOf(input.proxy);
  const method = methodOf(input.method);
  const notice = await notices.get(input.notice, executor);
  for (const purpose of purposes) {
    if (!notice.purposes.some((declared) => declared.id === purpose)) {
      throw new ConsentError('CONSENT_UNKNOWN_PURPOSE', 'the notice version has no such purpose', {
        details: { field: 'purposes' },
      });
    }
  }
  return { subject, notice, purposes, actor, method };
}

/** Checks a withdraw / renew before anything is written. @internal */
export function checkWithdrawInput(input: WithdrawInput): CheckedWithdrawal {
  if (typeof input !== 'object' || input === null)
    throw invalid('input', 'input must be an object');
  const subject = checkIdentifier(input.subject, 'subject');
  const noticeId = checkId(input.notice?.id, 'notice.id');
  const purposes =
    input.purposes === undefined ? undefined : checkIdList(input.purposes, 'purposes', 50);
  if (purposes !== undefined && purposes.length === 0)
    throw invalid('purposes', 'purposes must name at least one purpose, or be left out');
  return {
    subject,
    noticeId,
    purposes,
    actor: actorOf(input.proxy),
    method: methodOf(input.method),
  };
}
