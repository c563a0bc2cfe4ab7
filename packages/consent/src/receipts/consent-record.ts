import type { ConsentEvent } from '../model/consent-event.js';
import { type ConsentNotice, lawfulBasisDpv } from '../model/notice.js';

/**
 * One processing operation of an ISO/IEC TS 27560 consent record: a purpose
 * with its DPV categories, lawful basis, data, recipients, storage and
 * retention.
 *
 * @example
 * ```ts
 * const processing: ConsentRecordProcessing = record.processing[0]!;
 * console.log(processing.purpose_category, processing.lawful_basis);
 * ```
 */
export interface ConsentRecordProcessing {
  readonly purpose_id: string;
  readonly purpose: string;
  readonly purpose_category: readonly string[];
  readonly lawful_basis: string;
  readonly pii_categories: readonly {
    readonly id: string;
    readonly dpv: string;
    readonly sensitive: boolean;
    readonly name: string;
  }[];
  readonly recipients: readonly {
    readonly id: string;
    readonly name: string;
    readonly third_party: boolean;
  }[];
  readonly storage_location: string;
  readonly retention_period: string;
  readonly jurisdiction: string;
  readonly primary_purpose: boolean;
}

/**
 * A consent record shaped after ISO/IEC TS 27560:2023 ("consent record
 * information structure"), with W3C DPV terms for purposes, lawful bases,
 * personal data and event types. It is the payload of every receipt; the
 * mapping to each 27560 field is in the package's documentation.
 *
 * @example
 * ```ts
 * const { record } = await verifyReceipt(jws, jwks);
 * console.log(record.event.event_type, record.notice.notice_id, record.processing.length);
 * ```
 */
export interface ConsentRecord {
  readonly schema_version: 'ISO/IEC TS 27560:2023';
  readonly record_id: string;
  readonly pii_principal_id: string;
  readonly record_time: string;
  readonly event: {
    readonly event_type: 'dpv:ConsentGiven' | 'dpv:ConsentWithdrawn';
    readonly event_time: string;
    readonly event_by: 'pii-principal' | 'proxy';
    readonly proxy?: { readonly id: string; readonly relationship: string };
    readonly expiry_time?: string;
    readonly collection_method: string;
  };
  readonly notice: {
    readonly notice_id: string;
    readonly notice_version: number;
    readonly notice_url: string;
    readonly language: string;
  };
  readonly pii_controller: {
    readonly id: string;
    readonly name: string;
    readonly email?: string;
    readonly phone?: string;
    readonly address?: string;
    readonly url?: string;
  };
  readonly jurisdiction: string;
  readonly processing: readonly ConsentRecordProcessing[];
  readonly withdrawal: { readonly method: string; readonly url?: string };
}

/**
 * Builds the 27560-shaped record of a `given` or `withdrawn` event. Text is
 * in the notice's language. @internal
 */
export function consentRecordOf(
  subject: string,
  event: Omit<ConsentEvent, 'sequence'>,
  notice: ConsentNotice,
): ConsentRecord {
  const language = notice.language;
  const categories = new Map(notice.dataCategories.map((category) => [category.id, category]));
  const recipients = new Map(notice.recipients.map((recipient) => [recipient.id, recipient]));
  const processing = notice.purposes
    .filter((purpose) => event.purposes.includes(purpose.id))
    .map((purpose) => ({
      purpose_id: purpose.id,
      purpose: purpose.description[language],
      purpose_category: [...purpose.dpv],
      lawful_basis: lawfulBasisDpv[purpose.lawfulBasis],
      pii_categories: purpose.dataCategories.map((id) => {
        const category = categories.get(id);
        return {
          id,
          dpv: category?.dpv ?? '',
          sensitive: category?.sensitive ?? false,
          name: category?.title[language] ?? id,
        };
      }),
      recipients: purpose.recipients.map((id) => {
        const recipient = recipients.get(id);
        return {
          id,
          name: recipient?.name[language] ?? id,
          third_party: recipient?.thirdParty ?? true,
        };
      }),
      storage_location: notice.storageLocation,
      retention_period: notice.retention.period,
      jurisdiction: notice.jurisdiction,
      primary_purpose: purpose.primary ?? false,
    }));
  const controller = notice.controller;
  return {
    schema_version: 'ISO/IEC TS 27560:2023',
    record_id: event.id,
    pii_principal_id: subject,
    record_time: event.decidedAt.toISOString(),
    event: {
      event_type: event.kind === 'withdrawn' ? 'dpv:ConsentWithdrawn' : 'dpv:ConsentGiven',
      event_time: event.decidedAt.toISOString(),
      event_by: event.actor.kind === 'proxy' ? 'proxy' : 'pii-principal',
      ...(event.actor.kind === 'proxy'
        ? { proxy: { id: event.actor.id, relationship: event.actor.relationship } }
        : {}),
      ...(event.expiresAt === undefined ? {} : { expiry_time: event.expiresAt.toISOString() }),
      collection_method: event.method,
    },
    notice: {
      notice_id: notice.id,
      notice_version: notice.version,
      notice_url: notice.policyUrl,
      language,
    },
    pii_controller: {
      id: controller.id,
      name: controller.name[language],
      ...(controller.email === undefined ? {} : { email: controller.email }),
      ...(controller.phone === undefined ? {} : { phone: controller.phone }),
      ...(controller.address === undefined ? {} : { address: controller.address }),
      ...(controller.url === undefined ? {} : { url: controller.url }),
    },
    jurisdiction: notice.jurisdiction,
    processing,
    withdrawal: {
      method: notice.withdrawal[language],
      ...(notice.withdrawalUrl === undefined ? {} : { url: notice.withdrawalUrl }),
    },
  };
}
