import type { LocalizedText } from '@civicblocks/core';

/**
 * A lawful basis for processing (GDPR Art. 6, Vietnam's Law 91/2025/QH15),
 * named as the W3C Data Privacy Vocabulary does (`dpv:Consent`, ...).
 *
 * @example
 * ```ts
 * const basis: LawfulBasis = 'consent';
 * ```
 */
export type LawfulBasis =
  | 'consent'
  | 'contract'
  | 'legal-obligation'
  | 'vital-interest'
  | 'public-task'
  | 'legitimate-interest';

/**
 * A category of personal data the purpose uses. `dpv` is a W3C DPV personal
 * data term (`pd:EmailAddress`, `pd:HealthRecord`, ...); `sensitive` marks
 * special categories (health, biometrics, ethnicity, ... — "sensitive personal
 * data" in Vietnam's law), which GOV.UK-style pages call out separately.
 *
 * @example
 * ```ts
 * const phone: DataCategory = { id: 'phone', dpv: 'pd:TelephoneNumber', sensitive: false, title: { vi: 'Số điện thoại', en: 'Phone number' } };
 * ```
 */
export interface DataCategory {
  /** Lower-case id, unique in the notice: `[a-z][a-z0-9-]{0,63}`. */
  readonly id: string;
  /** A W3C DPV personal-data term, e.g. `pd:TelephoneNumber`. */
  readonly dpv: string;
  readonly sensitive: boolean;
  readonly title: LocalizedText;
}

/**
 * Someone the data is disclosed to. `thirdParty: false` for the controller's
 * own processors; true for another agency or company.
 *
 * @example
 * ```ts
 * const tax: Recipient = { id: 'tax-office', name: { vi: 'Cục Thuế', en: 'Tax Department' }, thirdParty: true };
 * ```
 */
export interface Recipient {
  readonly id: string;
  readonly name: LocalizedText;
  readonly thirdParty: boolean;
}

/**
 * One purpose of a notice: what the data is used for, in plain words, with
 * the W3C DPV purpose categories it falls under, its lawful basis, the data
 * categories it uses and who receives them. Consent is decided per purpose.
 *
 * @example
 * ```ts
 * const purpose: NoticePurpose = {
 *   id: 'sms-updates',
 *   dpv: ['dpv:CommunicationForCustomerCare'],
 *   lawfulBasis: 'consent',
 *   title: { vi: 'Tin nhắn cập nhật', en: 'Text message updates' },
 *   description: { vi: 'Chúng tôi nhắn tin khi hồ sơ của bạn thay đổi.', en: 'We text you when your application changes.' },
 *   dataCategories: ['phone'],
 *   recipients: [],
 * };
 * ```
 */
export interface NoticePurpose {
  readonly id: string;
  /** W3C DPV purpose terms, e.g. `dpv:ServiceProvision`. At least one. */
  readonly dpv: readonly string[];
  readonly lawfulBasis: LawfulBasis;
  readonly title: LocalizedText;
  readonly description: LocalizedText;
  /** Ids of the notice's {@link DataCategory | data categories} this purpose uses. */
  readonly dataCategories: readonly string[];
  /** Ids of the notice's {@link Recipient | recipients} who receive the data for this purpose. */
  readonly recipients: readonly string[];
  /** The main purpose of the service (Kantara `primaryPurpose`). */
  readonly primary?: boolean;
}

/**
 * The organisation responsible for the processing (the PII controller).
 *
 * @example
 * ```ts
 * const controller: NoticeController = { id: 'hcmc-dpi', name: { vi: 'Sở KH&ĐT TP.HCM', en: 'HCMC Department of Planning and Investment' }, email: 'privacy@dpi.example.gov.vn' };
 * ```
 */
export interface NoticeController {
  readonly id: string;
  readonly name: LocalizedText;
  readonly email?: string;
  readonly phone?: string;
  readonly address?: string;
  readonly url?: string;
}

/**
 * What happens to consents given under earlier versions when this version is
 * published: `'carry-over'` keeps them in force, `'re-ask'` makes them
 * invalid, so `check` refuses until the subject decides again.
 *
 * @example
 * ```ts
 * const policy: ExistingConsents = 're-ask';
 * ```
 */
export type ExistingConsents = 'carry-over' | 're-ask';

/**
 * A notice (an agreement) as published: one immutable version of what the
 * subject is asked to agree to. Publishing the same id with the next version
 * changes it; a published version never changes.
 *
 * @example
 * ```ts
 * const notice: ConsentNotice = {
 *   id: 'benefit-sharing',
 *   version: 1,
 *   controller: { id: 'molisa', name: { vi: 'Bộ LĐ-TB&XH', en: 'Ministry of Labour' }, email: 'privacy@molisa.example.gov.vn' },
 *   language: 'vi',
 *   policyUrl: 'https://molisa.example.gov.vn/privacy',
 *   jurisdiction: 'VN',
 *   storageLocation: 'VN',
 *   retention: { period: 'P2Y', description: { vi: '2 năm', en: '2 years' } },
 *   validity: 'P1Y',
 *   withdrawal: { vi: 'Vào trang Quyền riêng tư và chọn Rút lại.', en: 'Go to Privacy and choose Withdraw.' },
 *   existingConsents: 'carry-over',
 *   dataCategories: [{ id: 'phone', dpv: 'pd:TelephoneNumber', sensitive: false, title: { vi: 'Số điện thoại', en: 'Phone number' } }],
 *   recipients: [],
 *   purposes: [purpose],
 * };
 * ```
 */
export interface ConsentNotice {
  /** Lower-case id: `[a-z][a-z0-9-]{0,63}`. */
  readonly id: string;
  /** 1, 2, 3, ... */
  readonly version: number;
  readonly controller: NoticeController;
  readonly title?: LocalizedText;
  /** The language the notice was written in (BCP 47, `vi` or `en`). */
  readonly language: 'vi' | 'en';
  /** The full privacy notice. */
  readonly policyUrl: string;
  /** ISO 3166 code of the jurisdiction whose law applies, e.g. `VN`. */
  readonly jurisdiction: string;
  /** Where the data is stored (ISO 3166 code, or a described location). */
  readonly storageLocation: string;
  /** How long the data is kept: an ISO 8601 duration and plain words. */
  readonly retention: { readonly period: string; readonly description: LocalizedText };
  /** How long a consent lasts before it expires (ISO 8601 duration, e.g. `P1Y`); none when absent. */
  readonly validity?: string;
  /** How to withdraw, in plain words; shown before the subject decides. */
  readonly withdrawal: LocalizedText;
  /** Where the subject can withdraw online, if anywhere. */
  readonly withdrawalUrl?: string;
  /** For version 2 and later: keep consents given under earlier versions, or ask again. */
  readonly existingConsents: ExistingConsents;
  readonly dataCategories: readonly DataCategory[];
  readonly recipients: readonly Recipient[];
  readonly purposes: readonly NoticePurpose[];
}

/**
 * Which notice a decision is about: its id and version.
 *
 * @example
 * ```ts
 * const reference: NoticeReference = { id: 'benefit-sharing', version: 2 };
 * ```
 */
export interface NoticeReference {
  readonly id: string;
  readonly version: number;
}

/**
 * The W3C DPV term for a lawful basis.
 *
 * @example
 * ```ts
 * lawfulBasisDpv['public-task']; // 'dpv:PublicTask'
 * ```
 */
export const lawfulBasisDpv: Readonly<Record<LawfulBasis, string>> = Object.freeze({
  consent: 'dpv:Consent',
  contract: 'dpv:Contract',
  'legal-obligation': 'dpv:LegalObligation',
  'vital-interest': 'dpv:VitalInterest',
  'public-task': 'dpv:PublicTask',
  'legitimate-interest': 'dpv:LegitimateInterest',
});
