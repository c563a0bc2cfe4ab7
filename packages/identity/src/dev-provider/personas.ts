import type { AssuranceLevel } from '../assurance/level-of-assurance.js';

/**
 * A test person the dev identity provider can sign in. Names are stored in
 * Unicode NFC. Choose one with the `login_hint` authorization parameter
 * (its `id`).
 *
 * @example
 * ```ts
 * const persona: DevPersona = {
 *   id: 'test-person',
 *   givenName: 'Test',
 *   familyName: 'Person',
 *   name: 'Test Person',
 *   birthDate: '1990-01-01',
 *   email: 'test.person@example.gov',
 *   locale: 'en',
 *   assurance: { authentication: 'substantial', identity: 'none' },
 *   authenticationMethods: ['pwd', 'otp'],
 * };
 * ```
 */
export interface DevPersona {
  /** Stable id: the `login_hint` that selects the persona and its subject (`sub`). */
  readonly id: string;
  readonly givenName: string;
  readonly familyName: string;
  /** Full name as the citizen writes it. */
  readonly name: string;
  /** ISO 8601 date (YYYY-MM-DD). */
  readonly birthDate?: string;
  readonly email?: string;
  /** E.164 phone number. */
  readonly phoneNumber?: string;
  readonly address?: DevPersonaAddress;
  /** National identifier (for example a Vietnamese citizen identity card number). */
  readonly nationalIdentifier?: string;
  readonly locale: 'vi' | 'en';
  /** The highest assurance this persona can reach. */
  readonly assurance: AssuranceLevel;
  /** Authentication methods (`amr` values) the persona signs in with. */
  readonly authenticationMethods: readonly string[];
}

/**
 * A postal address of a {@link DevPersona}, shaped like the OpenID Connect
 * `address` claim.
 *
 * @example
 * ```ts
 * const address: DevPersonaAddress = { formatted: '10 Downing Street, London', country: 'GB' };
 * ```
 */
export interface DevPersonaAddress {
  readonly formatted: string;
  readonly streetAddress?: string;
  readonly locality?: string;
  readonly region?: string;
  readonly postalCode?: string;
  readonly country: string;
}

const nfc = (value: string): string => value.normalize('NFC');

/**
 * The built-in test personas: Vietnamese and English names, from an
 * account with no proven identity up to a high-assurance one.
 *
 * | id | name | authentication | identity |
 * |---|---|---|---|
 * | `nguyen-van-an` | Nguyễn Văn An | high | high |
 * | `tran-thi-mai` | Trần Thị Mai | substantial | medium |
 * | `le-hoang-duc` | Lê Hoàng Đức | low | none |
 * | `alice-smith` | Alice Smith | substantial | medium |
 * | `oliver-jones` | Oliver Jones | substantial | none |
 *
 * @example
 * ```ts
 * const an = devPersonas.find((persona) => persona.id === 'nguyen-van-an');
 * ```
 */
export const devPersonas: readonly DevPersona[] = deepFreeze([
  {
    id: 'nguyen-van-an',
    givenName: nfc('Văn An'),
    familyName: nfc('Nguyễn'),
    name: nfc('Nguyễn Văn An'),
    birthDate: '1985-04-12',
    email: 'an.nguyen@example.vn',
    phoneNumber: '+84912345678',
    address: {
      formatted: nfc('12 Phố Hàng Bạc, Phường Hoàn Kiếm, Hà Nội'),
      streetAddress: nfc('12 Phố Hàng Bạc'),
      locality: nfc('Hà Nội'),
      country: 'VN',
    },
    nationalIdentifier: '001085012345',
    locale: 'vi',
    assurance: { authentication: 'high', identity: 'high' },
    authenticationMethods: ['hwk', 'face'],
  },
  {
    id: 'tran-thi-mai',
    givenName: nfc('Thị Mai'),
    familyName: nfc('Trần'),
    name: nfc('Trần Thị Mai'),
    birthDate: '1992-11-03',
    email: 'mai.tran@example.vn',
    phoneNumber: '+84987654321',
    address: {
      formatted: nfc('45 Đường Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh'),
      locality: nfc('Thành phố Hồ Chí Minh'),
      country: 'VN',
    },
    nationalIdentifier: '079192003456',
    locale: 'vi',
    assurance: { authentication: 'substantial', identity: 'medium' },
    authenticationMethods: ['pwd', 'otp'],
  },
  {
    id: 'le-hoang-duc',
    givenName: nfc('Hoàng Đức'),
    familyName: nfc('Lê'),
    name: nfc('Lê Hoàng Đức'),
    email: 'duc.le@example.vn',
    locale: 'vi',
    assurance: { authentication: 'low', identity: 'none' },
    authenticationMethods: ['pwd'],
  },
  {
    id: 'alice-smith',
    givenName: 'Alice',
    familyName: 'Smith',
    name: 'Alice Smith',
    birthDate: '1978-02-28',
    email: 'alice.smith@example.org',
    phoneNumber: '+447700900123',
    address: {
      formatted: '221B Baker Street, London NW1 6XE',
      streetAddress: '221B Baker Street',
      locality: 'London',
      postalCode: 'NW1 6XE',
      country: 'GB',
    },
    locale: 'en',
    assurance: { authentication: 'substantial', identity: 'medium' },
    authenticationMethods: ['pwd', 'sms'],
  },
  {
    id: 'oliver-jones',
    givenName: 'Oliver',
    familyName: 'Jones',
    name: 'Oliver Jones',
    email: 'oliver.jones@example.org',
    locale: 'en',
    assurance: { authentication: 'substantial', identity: 'none' },
    authenticationMethods: ['pwd', 'otp'],
  },
] satisfies DevPersona[]);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
