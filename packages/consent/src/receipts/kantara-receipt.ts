import type { ConsentRecord } from './consent-record.js';

/**
 * A Kantara Initiative Consent Receipt, specification v1.1 (the JSON the
 * v1.1 schema describes).
 *
 * @example
 * ```ts
 * const kantara: KantaraConsentReceipt = toKantaraReceipt(record);
 * console.log(kantara.consentReceiptID, kantara.services[0]?.purposes.length);
 * ```
 */
export interface KantaraConsentReceipt {
  readonly version: 'KI-CR-v1.1.0';
  readonly jurisdiction: string;
  readonly consentTimestamp: number;
  readonly collectionMethod: string;
  readonly consentReceiptID: string;
  readonly language: string;
  readonly piiPrincipalId: string;
  readonly piiControllers: readonly {
    readonly piiController: string;
    readonly onBehalf: boolean;
    readonly contact: string;
    readonly address: Readonly<Record<string, string>>;
    readonly email: string;
    readonly phone: string;
    readonly piiControllerUrl?: string;
  }[];
  readonly policyUrl: string;
  readonly services: readonly {
    readonly service: string;
    readonly purposes: readonly {
      readonly purpose: string;
      readonly consentType: string;
      readonly purposeCategory: readonly string[];
      readonly piiCategory: readonly string[];
      readonly primaryPurpose: boolean;
      readonly termination: string;
      readonly thirdPartyDisclosure: boolean;
      readonly thirdPartyName?: string;
    }[];
  }[];
  readonly sensitive: boolean;
  readonly spiCat: readonly string[];
}

/**
 * Exports a consent record (a verified receipt's payload) as a Kantara
 * Consent Receipt v1.1 document. Kantara's fields that our record does not
 * hold are filled as the specification allows: `contact` is the controller's
 * name, an unknown e-mail or phone is an empty string, `address` is
 * `{ streetAddress }` or empty. A withdrawal receipt's purposes say so in
 * `termination`.
 *
 * @example
 * ```ts
 * const { record } = await verifyReceipt(jws, jwks);
 * const kantara = toKantaraReceipt(record);
 * response.body = JSON.stringify(kantara);
 * ```
 */
export function toKantaraReceipt(record: ConsentRecord): KantaraConsentReceipt {
  const controller = record.pii_controller;
  const withdrawn = record.event.event_type === 'dpv:ConsentWithdrawn';
  const sensitive = record.processing.flatMap((processing) =>
    processing.pii_categories
      .filter((category) => category.sensitive)
      .map((category) => category.name),
  );
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: record.jurisdiction,
    consentTimestamp: Math.floor(Date.parse(record.event.event_time) / 1000),
    collectionMethod: record.event.collection_method,
    consentReceiptID: record.record_id,
    language: record.notice.language,
    piiPrincipalId: record.pii_principal_id,
    piiControllers: [
      {
        piiController: controller.name,
        onBehalf: false,
        contact: controller.name,
        address: controller.address === undefined ? {} : { streetAddress: controller.address },
        email: controller.email ?? '',
        phone: controller.phone ?? '',
        ...(controller.url === undefined ? {} : { piiControllerUrl: controller.url }),
      },
    ],
    policyUrl: record.notice.notice_url,
    services: [
      {
        service: `${record.notice.notice_id} v${record.notice.notice_version}`,
        purposes: record.processing.map((processing) => {
          const thirdParties = processing.recipients.filter((recipient) => recipient.third_party);
          const termination = withdrawn
            ? `Withdrawn at ${record.event.event_time}. ${record.withdrawal.method}`
            : `${record.event.expiry_time === undefined ? '' : `Expires at ${record.event.expiry_time}. `}${record.withdrawal.method}`;
          return {
            purpose: processing.purpose,
            consentType: 'EXPLICIT',
            purposeCategory: [...processing.purpose_category],
            piiCategory: processing.pii_categories.map((category) => category.name),
            primaryPurpose: processing.primary_purpose,
            termination,
            ...(thirdParties.length === 0
              ? { thirdPartyDisclosure: false }
              : {
                  thirdPartyDisclosure: true,
                  thirdPartyName: thirdParties.map((recipient) => recipient.name).join(', '),
                }),
          };
        }),
      },
    ],
    sensitive: sensitive.length > 0,
    spiCat: [...new Set(sensitive)],
  };
}
