import { legacyProvinces } from './vietnam-provinces.js';

const provinceCodes: ReadonlySet<string> = new Set(
  legacyProvinces.map((province) => province.code),
);

/**
 * What a Vietnamese 12-digit citizen ID number says about its holder, or
 * why it is not one.
 *
 * @example
 * ```ts
 * const reading: VietnamCitizenIdReading = { valid: true, provinceCode: '001', birthYear: 1990, gender: 'male' };
 * ```
 */
export type VietnamCitizenIdReading =
  | {
      readonly valid: true;
      readonly provinceCode: string;
      readonly birthYear: number;
      readonly gender: 'male' | 'female';
    }
  | { readonly valid: false; readonly reason: 'length' | 'province' | 'birthYearFuture' };

/**
 * Reads a Vietnamese 12-digit citizen ID number (số định danh cá nhân /
 * CCCD): digits 1–3 are the birth-registration province code (one of the 63
 * pre-2025 provinces), digit 4 gives century and gender (0/1: 1900s
 * male/female, 2/3: 2000s, 4/5: 2100s, 6/7: 2200s, 8/9: 2300s), digits 5–6
 * the last two digits of the birth year, and the last six are random. A
 * birth year after `currentYear` is refused.
 *
 * @example
 * ```ts
 * readVietnamCitizenId('001090123456', 2026); // { valid: true, provinceCode: '001', birthYear: 1990, gender: 'male' }
 * readVietnamCitizenId('003090123456', 2026); // { valid: false, reason: 'province' }
 * ```
 */
export function readVietnamCitizenId(number: string, currentYear: number): VietnamCitizenIdReading {
  if (!/^[0-9]{12}$/.test(number)) return { valid: false, reason: 'length' };
  const provinceCode = number.slice(0, 3);
  if (!provinceCodes.has(provinceCode)) return { valid: false, reason: 'province' };
  const centuryDigit = Number(number.charAt(3));
  const birthYear = 1900 + Math.floor(centuryDigit / 2) * 100 + Number(number.slice(4, 6));
  if (birthYear > currentYear) return { valid: false, reason: 'birthYearFuture' };
  return {
    valid: true,
    provinceCode,
    birthYear,
    gender: centuryDigit % 2 === 0 ? 'male' : 'female',
  };
}

/**
 * The JSON Schema pattern of a 12-digit citizen ID number (province code
 * checked; the birth year is checked at validation time against the clock).
 *
 * @example
 * ```ts
 * new RegExp(vietnamCitizenIdPattern, 'u').test('001090123456'); // true
 * ```
 */
export const vietnamCitizenIdPattern: string = `^(?:${[...provinceCodes].join('|')})[0-9]{9}$`;

/**
 * The JSON Schema pattern of a legacy 9-digit identity card number
 * (chứng minh nhân dân).
 *
 * @example
 * ```ts
 * new RegExp(vietnamLegacyIdPattern, 'u').test('012345678'); // true
 * ```
 */
export const vietnamLegacyIdPattern = '^[0-9]{9}$';

/**
 * The JSON Schema pattern of a UK National Insurance number without spaces:
 * two prefix letters (not D, F, I, Q, U or V; the second not O; not BG, GB,
 * KN, NK, NT, TN or ZZ), six digits and a suffix A–D.
 *
 * @example
 * ```ts
 * new RegExp(ukNationalInsurancePattern, 'u').test('QQ123456C'); // true
 * ```
 */
export const ukNationalInsurancePattern =
  '^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$';

/**
 * Strips the spaces, dots and dashes people type inside ID numbers and
 * upper-cases letters.
 *
 * @example
 * ```ts
 * compactIdentifier('qq 12 34 56 c'); // 'QQ123456C'
 * ```
 */
export function compactIdentifier(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/[\s.\-_/]/g, '')
    .toUpperCase();
}
