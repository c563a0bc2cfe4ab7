import { type Clock, createCloudEvent, type SqlExecutor } from '@civicblocks/core';
import type { ConsentEvent, ConsentEventKind } from '../model/consent-event.js';
import type { ConsentEventsOptions } from './consent-service-types.js';

const published: ReadonlySet<ConsentEventKind> = new Set(['given', 'withdrawn', 'expired']);

/**
 * The `data` of a consent CloudEvent. It names the record by its random id,
 * never by the subject's identifier: deliveries leave the controller and
 * wait in the outbox, so they carry no personal data. A relying agency
 * learns the record id from `check` (`record.recordId`) or the receipt.
 *
 * @example
 * ```ts
 * const data = event.data as ConsentCloudEventData;
 * if (data.kind === 'withdrawn') await stopSharing(data.recordId, data.purposes);
 * ```
 */
export interface ConsentCloudEventData {
  readonly recordId: string;
  readonly eventId: string;
  readonly kind: 'given' | 'withdrawn' | 'expired';
  readonly controller: string;
  readonly notice: { readonly id: string; readonly version: number };
  readonly purposes: readonly string[];
  readonly decidedAt: string;
  readonly expiresAt?: string;
}

/** The CloudEvents type of a consent event kind. @internal */
export function consentEventType(options: ConsentEventsOptions, kind: string): string {
  return `${options.typePrefix ?? 'org.civicblocks.consent.'}consent-${kind}`;
}

/** Publishes given / withdrawn / expired through core's event delivery, in `transaction`. @internal */
export async function publishConsentEvent(
  options: ConsentEventsOptions,
  transaction: SqlExecutor,
  recordId: string,
  event: ConsentEvent,
  clock: Clock,
): Promise<void> {
  if (!published.has(event.kind)) return;
  const data: ConsentCloudEventData = {
    recordId,
    eventId: event.id,
    kind: event.kind as ConsentCloudEventData['kind'],
    controller: event.controller,
    notice: event.notice,
    purposes: [...event.purposes],
    decidedAt: event.decidedAt.toISOString(),
    ...(event.expiresAt === undefined ? {} : { expiresAt: event.expiresAt.toISOString() }),
  };
  const cloudEvent = createCloudEvent({
    source: options.source,
    type: consentEventType(options, event.kind),
    id: event.id,
    subject: recordId,
    time: event.decidedAt,
    datacontenttype: 'application/json',
    data,
    clock,
  });
  await options.delivery.publish(cloudEvent, { transaction });
}
