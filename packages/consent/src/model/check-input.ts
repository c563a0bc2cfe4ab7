import type { LocalizedText } from '@civicblocks/core';
import { ConsentError } from '../errors/consent-error.js';

/** Ids of notices, purposes, data categories, recipients and controllers. */
export const idPattern: RegExp = /^[a-z][a-z0-9-]{0,63}$/;
function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const durationPattern =
  /^P(?!$)(?:(\d{1,4})Y)?(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,5})D)?(?:T(?=\d)(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,8})S)?)?$/;

/** The longest subject or proxy identifier accepted. */
export const maximumIdentifierLength = 200;
/** The longest plain-language text accepted (per locale). */
export const maximumTextLength = 2000;

export function invalid(field: string, message: string): ConsentError {
  return new ConsentError('CONSENT_INVALID_INPUT', message, { details: { field } });
}

export function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !idPattern.test(value)) {
    throw invalid(field, `${field} must match ${idPattern.source}`);
  }
  return value;
}

/** A subject or proxy identifier: 1 to 200 characters, no control characters, well-formed. */
export function checkIdentifier(value: unknown, field: string): string {
  if (
    typeof value !== 'string' ||
    value.trim().length === 0 ||
    value.length > maximumIdentifierLength ||
    hasControlCharacter(value) ||
    loneSurrogate.test(value)
  ) {
    throw invalid(
      field,
      `${field} must be 1 to ${maximumIdentifierLength} characters, without control characters`,
    );
  }
  return value;
}

export function checkText(
  value: unknown,
  field: string,
  maximum: number = maximumTextLength,
): string {
  if (
    typeof value !== 'string' ||
    value.trim().length === 0 ||
    value.length > maximum ||
    value.includes('\u0000') ||
    loneSurrogate.test(value)
  ) {
    throw invalid(field, `${field} must be text of 1 to ${maximum} characters`);
  }
  return value;
}

export function checkLocalizedText(value: unknown, field: string): LocalizedText {
  if (typeof value !== 'object' || value === null) {
    throw invalid(field, `${field} must be { vi, en }`);
  }
  const text = value as Record<string, unknown>;
  checkText(text.vi, `${field}.vi`);
  checkText(text.en, `${field}.en`);
  return { vi: text.vi as string, en: text.en as string };
}

export function checkVersion(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 1e6) {
    throw invalid(field, `${field} must be a whole number from 1`);
  }
  return value;
}

export function checkDate(value: unknown, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw invalid(field, `${field} must be a valid Date`);
  }
  return value;
}

export function checkDuration(value: unknown, field: string): string {
  if (typeof value !== 'string' || !durationPattern.test(value)) {
    throw invalid(field, `${field} must be an ISO 8601 duration such as P1Y or P6M`);
  }
  return value;
}

export function checkIdList(value: unknown, field: string, maximum: number = 100): string[] {
  if (!Array.isArray(value) || value.length > maximum) {
    throw invalid(field, `${field} must be a list of at most ${maximum} ids`);
  }
  const ids = value.map((item, index) => checkId(item, `${field}[${index}]`));
  if (new Set(ids).size !== ids.length) throw invalid(field, `${field} lists an id twice`);
  return ids;
}

/**
 * `start` plus an ISO 8601 duration, in UTC calendar arithmetic (a month
 * added to 31 January lands on the last day of February).
 */
export function addDuration(start: Date, duration: string): Date {
  const match = durationPattern.exec(duration);
  if (match === null) throw invalid('duration', 'not an ISO 8601 duration');
  const [, years, months, weeks, days, hours, minutes, seconds] = match.map((part) =>
    part === undefined ? 0 : Number(part),
  ) as number[];
  const result = new Date(start.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + (years ?? 0) * 12 + (months ?? 0));
  const lastDay = new Date(
    Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0),
  ).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  result.setUTCDate(result.getUTCDate() + (weeks ?? 0) * 7 + (days ?? 0));
  return new Date(
    result.getTime() + ((hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0)) * 1000,
  );
}
