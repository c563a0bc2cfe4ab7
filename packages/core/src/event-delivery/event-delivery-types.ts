import type { CloudEvent } from '../events/cloud-event.js';
import type { HttpClient } from '../http/http-client.js';
import type { HttpEvent } from '../http/http-events.js';
import type { Outbox, OutboxHandler } from '../outbox/outbox-types.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import type { SqlWriteOptions } from '../sql/unit-of-work.js';
import type { Clock } from '../time/clock.js';
import type { WebhookSecret } from '../webhooks/webhook-secret.js';

/**
 * A receiver of events: where to POST them, the secret to sign them with,
 * and which event types it wants.
 *
 * @example
 * ```ts
 * const subscription: EventSubscription = await delivery.subscribe({
 *   subscriber: 'tax-agency',
 *   url: 'https://tax.example.gov/hooks/consent',
 *   secret: createWebhookSecret(),
 *   types: ['gov.example.consent.consent-withdrawn'],
 * });
 * ```
 */
export interface EventSubscription {
  /** A UUIDv7. */
  readonly id: string;
  /** Who the receiver is (an agency code, a client id): for listing and unsubscribing. */
  readonly subscriber: string;
  /** The https URL events are POSTed to. */
  readonly url: string;
  /** Exact CloudEvents `type` values delivered to it. */
  readonly types: readonly string[];
  readonly createdAt: Date;
}

/**
 * What {@link EventDelivery.subscribe} needs.
 *
 * @example
 * ```ts
 * const input: EventSubscriptionInput = {
 *   subscriber: 'tax-agency',
 *   url: 'https://tax.example.gov/hooks/consent',
 *   secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
 *   types: ['gov.example.consent.consent-withdrawn'],
 * };
 * ```
 */
export interface EventSubscriptionInput {
  /** 1 to 200 characters. */
  readonly subscriber: string;
  /** An absolute http(s) URL; the egress policy decides at delivery time whether it may be called. */
  readonly url: string;
  /** The Standard Webhooks secret shared with the receiver. Stored in the database. */
  readonly secret: WebhookSecret;
  /** At least one CloudEvents `type`. */
  readonly types: readonly string[];
}

/**
 * What {@link EventDelivery.publish} did.
 *
 * @example
 * ```ts
 * const { jobs }: EventPublishResult = await delivery.publish(event, { transaction });
 * ```
 */
export interface EventPublishResult {
  /** Outbox jobs enqueued: one per matching subscription (duplicates of an earlier publish not counted). */
  readonly jobs: number;
}

/**
 * Event delivery on the outbox: subscriptions in the database, one outbox
 * job per matching subscription, each delivered as a structured-mode
 * CloudEvent signed with Standard Webhooks (the job id is the `webhook-id`,
 * so receivers drop the duplicates at-least-once delivery may bring).
 *
 * @example
 * ```ts
 * const delivery = createEventDelivery({ executor, outbox });
 * const worker = createOutboxWorker({ executor, handlers: { [delivery.topic]: delivery.handler } });
 * worker.start();
 * await executor.transaction(async (transaction) => {
 *   await recordWithdrawal(transaction, consentId);
 *   await delivery.publish(createCloudEvent({ source: '/consent', type: 'gov.example.consent.consent-withdrawn', data: { consentId } }), { transaction });
 * });
 * ```
 */
export interface EventDelivery {
  /**
   * Registers a receiver.
   * @throws {@link InvalidInputError} `INVALID_ARGUMENT` naming the bad field (never the secret).
   */
  subscribe(input: EventSubscriptionInput, options?: SqlWriteOptions): Promise<EventSubscription>;
  /**
   * Removes a subscription; jobs already queued for it are completed without being sent.
   * @throws {@link OutboxError} `OUTBOX_SUBSCRIPTION_NOT_FOUND`.
   */
  unsubscribe(id: string, options?: SqlWriteOptions): Promise<void>;
  /** Subscriptions, oldest first, optionally of one subscriber. */
  listSubscriptions(filter?: { readonly subscriber?: string }): Promise<EventSubscription[]>;
  /**
   * Enqueues one delivery per subscription whose `types` include
   * `event.type`, in `options.transaction` when given. Publishing the same
   * event (`source` + `id`) again enqueues nothing new.
   * @throws {@link InvalidInputError} `INVALID_EVENT` for an invalid event.
   */
  publish(event: CloudEvent<unknown>, options?: SqlWriteOptions): Promise<EventPublishResult>;
  /** The outbox topic of deliveries. */
  readonly topic: string;
  /** Delivers one job; register it in a worker under {@link EventDelivery.topic}. */
  readonly handler: OutboxHandler;
  /** Closes the HTTP client it created (not one passed in). */
  close(): Promise<void>;
}

/**
 * Options of {@link createEventDelivery}.
 *
 * @example
 * ```ts
 * const options: EventDeliveryOptions = {
 *   executor,
 *   outbox,
 *   allow: ['hooks.internal.example.gov'],
 *   timeoutMs: 10_000,
 * };
 * ```
 */
export interface EventDeliveryOptions {
  readonly executor: SqlExecutor;
  readonly outbox: Outbox;
  /**
   * Hosts, IPs or CIDRs let through the egress policy (internal receivers,
   * loopback test servers). Default none: public https receivers only.
   */
  readonly allow?: readonly string[];
  /**
   * A client to deliver with instead of the one created here (which has the
   * egress policy on, paths redacted in events and no retries of its own:
   * the outbox retries). You are responsible for its egress policy.
   */
  readonly httpClient?: HttpClient;
  /** Time allowed for a receiver to answer (headers and body each). Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Outbox topic of deliveries. Default `'civicblocks.event-delivery'`. */
  readonly topic?: string;
  /** Attempts per delivery. Default 12. */
  readonly maxAttempts?: number;
  /** Rate-limit bucket of a delivery. Default the URL's origin. */
  readonly destinationOf?: (subscription: EventSubscription) => string;
  /** HTTP events of the created client (paths redacted). */
  readonly onHttpEvent?: (event: HttpEvent) => void;
  /** Default the system clock. */
  readonly clock?: Clock;
}
