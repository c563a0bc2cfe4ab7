import { ConsentError } from '../errors/consent-error.js';
import {
  checkDuration,
  checkId,
  checkIdList,
  checkLocalizedText,
  checkText,
  checkVersion,
} from './check-input.js';
import { type ConsentNotice, type LawfulBasis, lawfulBasisDpv } from './notice.js';

const dpvTerm = /^(?:dpv|pd|dpv-pd|eu-gdpr|dpv-legal):[A-Za-z][A-Za-z0-9]{0,99}$/;
const countryOrPlace = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;

function refuse(field: string, message: string): ConsentError {
  return new ConsentError('CONSENT_INVALID_NOTICE', message, { details: { field } });
}

function within<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (ConsentError.isInstance(error) && error.code === 'CONSENT_INVALID_INPUT') {
      throw refuse(String(error.details?.field ?? field), error.message);
    }
    throw error;
  }
}

function url(value: unknown, field: string): void {
  within(field, () => checkText(value, field, 2000));
  let parsed: URL;
  try {
    parsed = new URL(value as string);
  } catch {
    throw refuse(field, `${field} must be an absolute https URL`);
  }
  if (parsed.protocol !== 'https:') throw refuse(field, `${field} must be an https URL`);
}

/**
 * Checks a notice before it is published and returns a frozen deep copy.
 *
 * @throws {@link ConsentError} `CONSENT_INVALID_NOTICE` with `details.field`.
 * @example
 * ```ts
 * const checked = checkNotice(notice);
 * ```
 */
export function checkNotice(notice: ConsentNotice): ConsentNotice {
  if (typeof notice !== 'object' || notice === null)
    throw refuse('notice', 'notice must be an object');
  within('id', () => checkId(notice.id, 'id'));
  within('version', () => checkVersion(notice.version, 'version'));
  const controller = notice.controller;
  if (typeof controller !== 'object' || controller === null) {
    throw refuse('controller', 'controller must be an object');
  }
  within('controller.id', () => checkId(controller.id, 'controller.id'));
  within('controller.name', () => checkLocalizedText(controller.name, 'controller.name'));
  for (const key of ['email', 'phone', 'address'] as const) {
    if (controller[key] !== undefined) {
      within(`controller.${key}`, () => checkText(controller[key], `controller.${key}`, 500));
    }
  }
  if (controller.url !== undefined) url(controller.url, 'controller.url');
  if (notice.title !== undefined) within('title', () => checkLocalizedText(notice.title, 'title'));
  if (notice.language !== 'vi' && notice.language !== 'en') {
    throw refuse('language', 'language must be "vi" or "en"');
  }
  url(notice.policyUrl, 'policyUrl');
  if (typeof notice.jurisdiction !== 'string' || !countryOrPlace.test(notice.jurisdiction)) {
    throw refuse('jurisdiction', 'jurisdiction must be an ISO 3166 code such as VN');
  }
  within('storageLocation', () => checkText(notice.storageLocation, 'storageLocation', 200));
  if (typeof notice.retention !== 'object' || notice.retention === null) {
    throw refuse('retention', 'retention must be { period, description }');
  }
  within('retention.period', () => checkDuration(notice.retention.period, 'retention.period'));
  within('retention.description', () =>
    checkLocalizedText(notice.retention.description, 'retention.description'),
  );
  if (notice.validity !== undefined)
    within('validity', () => checkDuration(notice.validity, 'validity'));
  within('withdrawal', () => checkLocalizedText(notice.withdrawal, 'withdrawal'));
  if (notice.withdrawalUrl !== undefined) url(notice.withdrawalUrl, 'withdrawalUrl');
  if (notice.existingConsents !== 'carry-over' && notice.existingConsents !== 're-ask') {
    throw refuse('existingConsents', 'existingConsents must be "carry-over" or "re-ask"');
  }

  const categories = new Set<string>();
  if (!Array.isArray(notice.dataCategories) || notice.dataCategories.length > 100) {
    throw refuse('dataCategories', 'dataCategories must be a list of at most 100');
  }
  notice.dataCategories.forEach((category, index) => {
    const field = `dataCategories[${index}]`;
    within(`${field}.id`, () => checkId(category?.id, `${field}.id`));
    if (categories.has(category.id))
      throw refuse(`${field}.id`, 'data category ids must be unique');
    categories.add(category.id);
    if (typeof category.dpv !== 'string' || !dpvTerm.test(category.dpv)) {
      throw refuse(`${field}.dpv`, 'dpv must be a DPV term such as pd:TelephoneNumber');
    }
    if (typeof category.sensitive !== 'boolean')
      throw refuse(`${field}.sensitive`, 'sensitive must be true or false');
    within(`${field}.title`, () => checkLocalizedText(category.title, `${field}.title`));
  });

  const recipients = new Set<string>();
  if (!Array.isArray(notice.recipients) || notice.recipients.length > 100) {
    throw refuse('recipients', 'recipients must be a list of at most 100');
  }
  notice.recipients.forEach((recipient, index) => {
    const field = `recipients[${index}]`;
    within(`${field}.id`, () => checkId(recipient?.id, `${field}.id`));
    if (recipients.has(recipient.id)) throw refuse(`${field}.id`, 'recipient ids must be unique');
    recipients.add(recipient.id);
    within(`${field}.name`, () => checkLocalizedText(recipient.name, `${field}.name`));
    if (typeof recipient.thirdParty !== 'boolean')
      throw refuse(`${field}.thirdParty`, 'thirdParty must be true or false');
  });

  if (
    !Array.isArray(notice.purposes) ||
    notice.purposes.length === 0 ||
    notice.purposes.length > 50
  ) {
    throw refuse('purposes', 'purposes must list 1 to 50 purposes');
  }
  const purposes = new Set<string>();
  notice.purposes.forEach((purpose, index) => {
    const field = `purposes[${index}]`;
    within(`${field}.id`, () => checkId(purpose?.id, `${field}.id`));
    if (purposes.has(purpose.id)) throw refuse(`${field}.id`, 'purpose ids must be unique');
    purposes.add(purpose.id);
    if (!Array.isArray(purpose.dpv) || purpose.dpv.length === 0 || purpose.dpv.length > 20) {
      throw refuse(`${field}.dpv`, 'dpv must list 1 to 20 DPV purpose terms');
    }
    for (const term of purpose.dpv) {
      if (typeof term !== 'string' || !dpvTerm.test(term))
        throw refuse(`${field}.dpv`, 'not a DPV term');
    }
    if (!Object.hasOwn(lawfulBasisDpv, purpose.lawfulBasis as LawfulBasis)) {
      throw refuse(`${field}.lawfulBasis`, 'lawfulBasis is not one of the six lawful bases');
    }
    within(`${field}.title`, () => checkLocalizedText(purpose.title, `${field}.title`));
    within(`${field}.description`, () =>
      checkLocalizedText(purpose.description, `${field}.description`),
    );
    const used = within(`${field}.dataCategories`, () =>
      checkIdList(purpose.dataCategories, `${field}.dataCategories`),
    );
    for (const id of used) {
      if (!categories.has(id))
        throw refuse(
          `${field}.dataCategories`,
          'names a data category the notice does not declare',
        );
    }
    const to = within(`${field}.recipients`, () =>
      checkIdList(purpose.recipients, `${field}.recipients`),
    );
    for (const id of to) {
      if (!recipients.has(id))
        throw refuse(`${field}.recipients`, 'names a recipient the notice does not declare');
    }
    if (purpose.primary !== undefined && typeof purpose.primary !== 'boolean') {
      throw refuse(`${field}.primary`, 'primary must be true or false');
    }
  });
  return deepFreeze(structuredClone(notice));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
