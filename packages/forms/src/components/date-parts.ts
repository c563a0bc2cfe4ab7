import { foldForComparison, normaliseText } from '../text/normalise.js';

const englishMonths: readonly string[] = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

// Vietnamese month names, folded (no diacritics): tháng Giêng, tháng Hai, ...,
// tháng Mười Hai (also tháng Chạp), and the plain numerals (Một, Bốn, ...).
const vietnameseMonthWords: Readonly<Record<string, number>> = {
  gieng: 1,
  mot: 1,
  hai: 2,
  ba: 3,
  tu: 4,
  bon: 4,
  nam: 5,
  sau: 6,
  bay: 7,
  tam: 8,
  chin: 9,
  muoi: 10,
  'muoi mot': 11,
  'muoi hai': 12,
  chap: 12,
};

/**
 * Reads a month typed by a citizen: a number (`3`, `03`), an English name or
 * abbreviation (`March`, `Mar`, `Sept`), or Vietnamese (`tháng 3`, `th3`,
 * `T3`, `tháng Ba`, `Ba`, `tháng Mười Hai`, `tháng Chạp`, with or without
 * diacritics). Returns 1–12, or `undefined` when it is not a month.
 *
 * @example
 * ```ts
 * parseMonth('tháng Ba'); // 3
 * parseMonth('Sept'); // 9
 * parseMonth('13'); // undefined
 * ```
 */
export function parseMonth(input: string): number | undefined {
  const folded = foldForComparison(normaliseText(input).replace(/\.$/, ''));
  if (folded === '') return undefined;
  const stripped = folded.replace(/^(thang|th|t)\s*(?=[0-9])/, '').replace(/^thang\s+/, '');
  if (/^[0-9]{1,2}$/.test(stripped)) {
    const month = Number(stripped);
    return month >= 1 && month <= 12 ? month : undefined;
  }
  const word = vietnameseMonthWords[stripped];
  if (word !== undefined) return word;
  if (stripped.length >= 3) {
    const index = englishMonths.findIndex(
      (name) => name === stripped || (name.startsWith(stripped) && stripped.length <= name.length),
    );
    if (index >= 0) return index + 1;
  }
  return undefined;
}

/**
 * The outcome of reading a day/month/year date: the ISO date, or which
 * part is missing or wrong.
 *
 * @example
 * ```ts
 * const outcome: DatePartsOutcome = { kind: 'date', value: '2007-03-27' };
 * ```
 */
export type DatePartsOutcome =
  | { readonly kind: 'empty' }
  | { readonly kind: 'date'; readonly value: string }
  | {
      readonly kind: 'missing';
      readonly parts: readonly ('day' | 'month' | 'year')[];
    }
  | { readonly kind: 'invalid'; readonly parts: readonly ('day' | 'month' | 'year')[] }
  | { readonly kind: 'yearNotFourDigits' };

/**
 * Reads a date from its three inputs, as the GOV.UK date pattern asks it.
 * The month may be a name in Vietnamese or English (see {@link parseMonth}).
 *
 * @example
 * ```ts
 * parseDateParts({ day: '5', month: 'tháng 3', year: '2000' }); // { kind: 'date', value: '2000-03-05' }
 * parseDateParts({ day: '30', month: '2', year: '2000' }); // { kind: 'invalid', parts: ['day', 'month', 'year'] }
 * ```
 */
export function parseDateParts(parts: {
  readonly day: string;
  readonly month: string;
  readonly year: string;
}): DatePartsOutcome {
  const day = normaliseText(parts.day)
    .replace(/^ngay\s*/i, '')
    .replace(/^ngày\s*/i, '');
  const month = normaliseText(parts.month);
  const year = normaliseText(parts.year)
    .replace(/^năm\s*/i, '')
    .replace(/^nam\s*/i, '');
  const missing: ('day' | 'month' | 'year')[] = [];
  if (day === '') missing.push('day');
  if (month === '') missing.push('month');
  if (year === '') missing.push('year');
  if (missing.length === 3) return { kind: 'empty' };
  if (missing.length > 0) return { kind: 'missing', parts: missing };
  const invalid: ('day' | 'month' | 'year')[] = [];
  const dayNumber = /^[0-9]{1,2}$/.test(day) ? Number(day) : Number.NaN;
  const monthNumber = parseMonth(month);
  if (!(dayNumber >= 1 && dayNumber <= 31)) invalid.push('day');
  if (monthNumber === undefined) invalid.push('month');
  if (!/^[0-9]+$/.test(year)) invalid.push('year');
  if (invalid.length > 0) return { kind: 'invalid', parts: invalid };
  if (year.length !== 4) return { kind: 'yearNotFourDigits' };
  const yearNumber = Number(year);
  const candidate = new Date(Date.UTC(yearNumber, (monthNumber ?? 1) - 1, dayNumber));
  if (
    candidate.getUTCFullYear() !== yearNumber ||
    candidate.getUTCMonth() !== (monthNumber ?? 1) - 1 ||
    candidate.getUTCDate() !== dayNumber ||
    yearNumber < 1000
  ) {
    return { kind: 'invalid', parts: ['day', 'month', 'year'] };
  }
  return { kind: 'date', value: candidate.toISOString().slice(0, 10) };
}

/**
 * Adds years, months and days to an ISO date (clamping the day to the
 * month's end, so 29 February minus one year is 28 February).
 *
 * @example
 * ```ts
 * shiftIsoDate('2026-11-23', { years: -18 }); // '2008-11-23'
 * ```
 */
export function shiftIsoDate(
  isoDate: string,
  offset: { readonly years?: number; readonly months?: number; readonly days?: number },
): string {
  const [year = 1970, month = 1, day = 1] = isoDate.split('-').map(Number);
  const totalMonths = year * 12 + (month - 1) + (offset.years ?? 0) * 12 + (offset.months ?? 0);
  const targetYear = Math.floor(totalMonths / 12);
  const targetMonth = totalMonths - targetYear * 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const base = new Date(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay)));
  base.setUTCFullYear(targetYear);
  base.setUTCDate(base.getUTCDate() + (offset.days ?? 0));
  return base.toISOString().slice(0, 10);
}

const englishMonthNames = englishMonths.map((name) => name.charAt(0).toUpperCase() + name.slice(1));

/**
 * Writes an ISO date the way a citizen reads it: "5 March 2000" or
 * "ngày 5 tháng 3 năm 2000".
 *
 * @example
 * ```ts
 * formatIsoDate('2000-03-05', 'vi'); // 'ngày 5 tháng 3 năm 2000'
 * ```
 */
export function formatIsoDate(isoDate: string, locale: 'vi' | 'en'): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) return isoDate;
  if (locale === 'vi') return `ngày ${day} tháng ${month} năm ${year}`;
  return `${day} ${englishMonthNames[month - 1] ?? month} ${year}`;
}
