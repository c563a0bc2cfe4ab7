import { foldForComparison } from '../text/normalise.js';
import {
  type CurrentProvince,
  currentProvinces,
  type LegacyProvince,
  legacyProvinces,
} from './vietnam-provinces.js';

function provinceKey(value: string): string {
  return foldForComparison(value)
    .replace(/^(tinh|thanh pho|tp|province of|city of)\s+/, '')
    .replace(/\s+(province|city)$/, '')
    .replace(/\s+/g, '');
}

/**
 * What a typed Vietnamese province name matches: a current province (since
 * 1 July 2025), a legacy one (and which current province it is now part
 * of), or nothing.
 *
 * @example
 * ```ts
 * const match: VietnamProvinceMatch = { current: undefined, legacy: undefined };
 * ```
 */
export interface VietnamProvinceMatch {
  readonly current: CurrentProvince | undefined;
  readonly legacy: LegacyProvince | undefined;
}

/**
 * Matches a typed province name forgivingly: case, diacritics, spacing and a
 * "Tỉnh" / "Thành phố" / "TP." prefix do not matter ("tp hcm", "Đà Nẵng",
 * "da nang" all match).
 *
 * @example
 * ```ts
 * matchVietnamProvince('tỉnh Hà Giang').legacy?.mergedInto; // 'Tuyên Quang'
 * matchVietnamProvince('TP. Hồ Chí Minh').current?.code; // '79'
 * ```
 */
export function matchVietnamProvince(input: string): VietnamProvinceMatch {
  const key = provinceKey(input);
  if (key === '') return { current: undefined, legacy: undefined };
  const current = currentProvinces.find(
    (province) =>
      provinceKey(province.name) === key ||
      province.aliases.some((alias) => provinceKey(alias) === key),
  );
  const legacy = legacyProvinces.find((province) => {
    const own = provinceKey(province.name);
    if (own === key) return true;
    return province.code === '079' && current?.code === '79';
  });
  return { current, legacy };
}

const ukPostcodePattern =
  /^(GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2})$/;

/**
 * The JSON Schema pattern of a formatted UK postcode ("SW1A 1AA").
 *
 * @example
 * ```ts
 * new RegExp(ukPostcodeSchemaPattern, 'u').test('SW1A 1AA'); // true
 * ```
 */
export const ukPostcodeSchemaPattern =
  '^(?:GIR 0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2})$';

/**
 * Formats a typed UK postcode ("sw1a1aa" -> "SW1A 1AA"), or returns
 * `undefined` when it is not a full UK postcode.
 *
 * @example
 * ```ts
 * formatUkPostcode(' ec1a 1bb '); // 'EC1A 1BB'
 * formatUkPostcode('12345'); // undefined
 * ```
 */
export function formatUkPostcode(input: string): string | undefined {
  const compact = input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (!ukPostcodePattern.test(compact)) return undefined;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}
