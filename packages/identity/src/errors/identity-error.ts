import { CivicError, type CivicErrorOptions, type LocalizedText } from '@civicblocks/core';
import { sanitisedCause } from './sanitised-cause.js';

/**
 * Codes of {@link IdentityError}: one per way a sign-in can fail.
 *
 * @example
 * ```ts
 * const code: IdentityErrorCode = 'IDENTITY_ID_TOKEN_NONCE_MISMATCH';
 * ```
 */
export type IdentityErrorCode =
  // configuration and set-up
  | 'IDENTITY_CONFIGURATION_INVALID'
  | 'IDENTITY_DEV_PROVIDER_NON_LOOPBACK'
  | 'IDENTITY_INSECURE_TRANSPORT'
  | 'IDENTITY_CLIENT_KEY_INVALID'
  | 'IDENTITY_DECRYPTION_KEY_MISSING'
  | 'IDENTITY_CORE_IDENTITY_SOURCE_UNKNOWN'
  | 'IDENTITY_DISCOVERY_FAILED'
  | 'IDENTITY_DISCOVERY_ISSUER_MISMATCH'
  | 'IDENTITY_PROVIDER_ENDPOINT_MISSING'
  | 'IDENTITY_ALGORITHM_NOT_SUPPORTED'
  | 'IDENTITY_PROVIDER_REQUEST_FAILED'
  | 'IDENTITY_PROVIDER_UNAVAILABLE'
  // the provider refused the client (registration or credentials do not match)
  | 'IDENTITY_CLIENT_AUTHENTICATION_FAILED'
  | 'IDENTITY_REDIRECT_URI_NOT_REGISTERED'
  | 'IDENTITY_AUTHORIZATION_REQUEST_REJECTED'
  // the login transaction (cookie, state, return-to)
  | 'IDENTITY_RETURN_TO_INVALID'
  | 'IDENTITY_LOGIN_COOKIE_MISSING'
  | 'IDENTITY_LOGIN_COOKIE_INVALID'
  | 'IDENTITY_LOGIN_COOKIE_EXPIRED'
  | 'IDENTITY_LOGIN_PROVIDER_MISMATCH'
  | 'IDENTITY_LOGIN_REPLAYED'
  | 'IDENTITY_STATE_MISMATCH'
  // the authorization response
  | 'IDENTITY_AUTHORIZATION_DENIED'
  | 'IDENTITY_AUTHORIZATION_RESPONSE_INVALID'
  | 'IDENTITY_ISSUER_MIX_UP'
  | 'IDENTITY_ISSUER_PARAMETER_MISSING'
  // the token response and ID token
  | 'IDENTITY_TOKEN_REQUEST_FAILED'
  | 'IDENTITY_DECRYPTION_FAILED'
  | 'IDENTITY_ID_TOKEN_MALFORMED'
  | 'IDENTITY_ID_TOKEN_UNSIGNED'
  | 'IDENTITY_ID_TOKEN_ALGORITHM_NOT_ALLOWED'
  | 'IDENTITY_ID_TOKEN_KEY_NOT_FOUND'
  | 'IDENTITY_ID_TOKEN_SIGNATURE_INVALID'
  | 'IDENTITY_ID_TOKEN_ISSUER_MISMATCH'
  | 'IDENTITY_ID_TOKEN_AUDIENCE_MISMATCH'
  | 'IDENTITY_ID_TOKEN_AUTHORIZED_PARTY_MISMATCH'
  | 'IDENTITY_ID_TOKEN_EXPIRED'
  | 'IDENTITY_ID_TOKEN_ISSUED_IN_FUTURE'
  | 'IDENTITY_ID_TOKEN_NONCE_MISSING'
  | 'IDENTITY_ID_TOKEN_NONCE_MISMATCH'
  | 'IDENTITY_ID_TOKEN_SUBJECT_MISSING'
  | 'IDENTITY_ID_TOKEN_INVALID'
  // userinfo
  | 'IDENTITY_USERINFO_FAILED'
  | 'IDENTITY_USERINFO_SUBJECT_MISMATCH'
  // assurance
  | 'IDENTITY_ASSURANCE_TOO_LOW'
  | 'IDENTITY_VECTOR_OF_TRUST_MISMATCH'
  | 'IDENTITY_AUTHENTICATION_METHOD_NOT_ALLOWED'
  // GOV.UK One Login core identity
  | 'IDENTITY_CORE_IDENTITY_MISSING'
  | 'IDENTITY_CORE_IDENTITY_DID_DOCUMENT_INVALID'
  | 'IDENTITY_CORE_IDENTITY_KEY_NOT_FOUND'
  | 'IDENTITY_CORE_IDENTITY_SIGNATURE_INVALID'
  | 'IDENTITY_CORE_IDENTITY_ISSUER_MISMATCH'
  | 'IDENTITY_CORE_IDENTITY_AUDIENCE_MISMATCH'
  | 'IDENTITY_CORE_IDENTITY_EXPIRED'
  | 'IDENTITY_CORE_IDENTITY_SUBJECT_MISMATCH'
  | 'IDENTITY_CORE_IDENTITY_VOT_MISMATCH'
  | 'IDENTITY_CORE_IDENTITY_INVALID'
  // logout
  | 'IDENTITY_LOGOUT_TOKEN_INVALID';

/**
 * Options of {@link IdentityError}: those of every CivicError. When no
 * `userMessage` is given, the code's default citizen text is used.
 *
 * @example
 * ```ts
 * const options: IdentityErrorOptions = { cause: new Error('bad signature') };
 * ```
 */
export type IdentityErrorOptions = CivicErrorOptions;

const tryAgain: LocalizedText = {
  vi: 'Không thể hoàn tất đăng nhập. Vui lòng thử đăng nhập lại.',
  en: 'We could not finish signing you in. Please try signing in again.',
};

const sessionExpired: LocalizedText = {
  vi: 'Phiên đăng nhập đã hết hạn hoặc đã được sử dụng. Vui lòng đăng nhập lại.',
  en: 'Your sign-in session has expired or was already used. Please sign in again.',
};

const providerUnavailable: LocalizedText = {
  vi: 'Dịch vụ định danh hiện không phản hồi. Vui lòng thử lại sau ít phút.',
  en: 'The identity service is not responding. Please try again in a few minutes.',
};

const providerBusy: LocalizedText = {
  vi: 'Dịch vụ định danh đang bận hoặc tạm thời gián đoạn. Vui lòng thử đăng nhập lại sau ít phút.',
  en: 'The identity service is busy or briefly unavailable. Please try signing in again in a few minutes.',
};

// A configuration mistake is the service team's to fix: the citizen gets a neutral page.
const serviceProblem: LocalizedText = {
  vi: 'Hiện chưa thể đăng nhập vào dịch vụ này. Đội ngũ dịch vụ đã được thông báo. Vui lòng thử lại sau.',
  en: 'Signing in to this service is not working at the moment. The service team has been told. Please try again later.',
};

const userMessages: Partial<Record<IdentityErrorCode, LocalizedText>> = {
  IDENTITY_PROVIDER_UNAVAILABLE: providerBusy,
  IDENTITY_CLIENT_AUTHENTICATION_FAILED: serviceProblem,
  IDENTITY_REDIRECT_URI_NOT_REGISTERED: serviceProblem,
  IDENTITY_AUTHORIZATION_REQUEST_REJECTED: serviceProblem,
  IDENTITY_DISCOVERY_ISSUER_MISMATCH: serviceProblem,
  IDENTITY_PROVIDER_ENDPOINT_MISSING: serviceProblem,
  IDENTITY_ALGORITHM_NOT_SUPPORTED: serviceProblem,
  IDENTITY_DISCOVERY_FAILED: providerUnavailable,
  IDENTITY_PROVIDER_REQUEST_FAILED: providerUnavailable,
  IDENTITY_TOKEN_REQUEST_FAILED: providerUnavailable,
  IDENTITY_USERINFO_FAILED: providerUnavailable,
  IDENTITY_RETURN_TO_INVALID: {
    vi: 'Địa chỉ quay lại không hợp lệ. Vui lòng bắt đầu lại từ trang của dịch vụ.',
    en: 'The page to return to is not valid. Please start again from the service.',
  },
  IDENTITY_LOGIN_COOKIE_MISSING: {
    vi: 'Không tìm thấy phiên đăng nhập. Hãy bật cookie và đăng nhập lại.',
    en: 'We could not find your sign-in session. Turn on cookies and sign in again.',
  },
  IDENTITY_LOGIN_COOKIE_INVALID: sessionExpired,
  IDENTITY_LOGIN_COOKIE_EXPIRED: sessionExpired,
  IDENTITY_LOGIN_REPLAYED: sessionExpired,
  IDENTITY_LOGIN_PROVIDER_MISMATCH: sessionExpired,
  IDENTITY_STATE_MISMATCH: sessionExpired,
  IDENTITY_AUTHORIZATION_DENIED: {
    vi: 'Bạn đã dừng đăng nhập với dịch vụ định danh. Bạn có thể đăng nhập lại bất cứ lúc nào.',
    en: 'You stopped signing in with the identity service. You can sign in again at any time.',
  },
  IDENTITY_ASSURANCE_TOO_LOW: {
    vi: 'Dịch vụ này cần mức xác thực danh tính cao hơn mức bạn vừa dùng.',
    en: 'This service needs you to prove your identity to a higher level than you just did.',
  },
  IDENTITY_VECTOR_OF_TRUST_MISMATCH: {
    vi: 'Dịch vụ này cần mức xác thực danh tính cao hơn mức bạn vừa dùng.',
    en: 'This service needs you to prove your identity to a higher level than you just did.',
  },
  IDENTITY_AUTHENTICATION_METHOD_NOT_ALLOWED: {
    vi: 'Dịch vụ này không chấp nhận phương thức đăng nhập bạn vừa dùng. Vui lòng chọn phương thức khác.',
    en: 'This service does not accept the sign-in method you used. Please choose another method.',
  },
  IDENTITY_CORE_IDENTITY_MISSING: {
    vi: 'Chúng tôi không nhận được thông tin danh tính đã xác minh của bạn. Bạn cần chứng minh danh tính để dùng dịch vụ này.',
    en: 'We did not receive a proven identity for you. You need to prove your identity to use this service.',
  },
  IDENTITY_CORE_IDENTITY_VOT_MISMATCH: {
    vi: 'Dịch vụ này cần mức xác thực danh tính cao hơn mức bạn vừa dùng.',
    en: 'This service needs you to prove your identity to a higher level than you just did.',
  },
};

/**
 * Codes that mean the service is set up wrongly (options, keys, registration
 * with the provider): the team must fix them; retrying cannot help. The
 * handlers report them loudly and show the citizen a neutral page.
 */
const configurationCodes: ReadonlySet<IdentityErrorCode> = new Set<IdentityErrorCode>([
  'IDENTITY_CONFIGURATION_INVALID',
  'IDENTITY_DEV_PROVIDER_NON_LOOPBACK',
  'IDENTITY_INSECURE_TRANSPORT',
  'IDENTITY_CLIENT_KEY_INVALID',
  'IDENTITY_DECRYPTION_KEY_MISSING',
  'IDENTITY_CORE_IDENTITY_SOURCE_UNKNOWN',
]);

// Configuration codes found only when the provider answers: a citizen may meet them.
const remoteConfigurationCodes: ReadonlySet<IdentityErrorCode> = new Set<IdentityErrorCode>([
  'IDENTITY_DISCOVERY_ISSUER_MISMATCH',
  'IDENTITY_PROVIDER_ENDPOINT_MISSING',
  'IDENTITY_ALGORITHM_NOT_SUPPORTED',
  'IDENTITY_CLIENT_AUTHENTICATION_FAILED',
  'IDENTITY_REDIRECT_URI_NOT_REGISTERED',
  'IDENTITY_AUTHORIZATION_REQUEST_REJECTED',
]);

/**
 * True when the error is a configuration mistake of the service (its options,
 * keys, or its registration with the provider): logged loudly for the team,
 * never retried, and shown to the citizen as a neutral page.
 *
 * @example
 * ```ts
 * if (isConfigurationError(error)) alertTheTeam(error.toJSON());
 * ```
 */
export function isConfigurationError(error: IdentityError): boolean {
  return configurationCodes.has(error.code) || remoteConfigurationCodes.has(error.code);
}

/**
 * A sign-in that failed, or an identity that could not be trusted. Every
 * check of the relying party fails with its own `code`; failures a citizen
 * meets carry a `userMessage` in Vietnamese and English. Messages never hold
 * tokens, claims or personal data, and neither does the cause chain: a cause
 * from openid-client, jose or the network is replaced by a copy that keeps
 * only its name, library code, claim name, OAuth error code and status.
 *
 * @example
 * ```ts
 * import { IdentityError } from '@civicblocks/identity';
 *
 * try {
 *   await relyingParty.finishLogin(request);
 * } catch (error) {
 *   if (IdentityError.isInstance(error) && error.code === 'IDENTITY_ASSURANCE_TOO_LOW') {
 *     return askForStrongerSignIn();
 *   }
 *   throw error;
 * }
 * ```
 */
export class IdentityError extends CivicError<IdentityErrorCode> {
  static override readonly errorName: string = 'IdentityError';
  declare readonly name: 'IdentityError';

  constructor(code: IdentityErrorCode, message: string, options: IdentityErrorOptions = {}) {
    const userMessage =
      options.userMessage ??
      (configurationCodes.has(code) ? undefined : (userMessages[code] ?? tryAgain));
    const safe =
      'cause' in options ? { ...options, cause: sanitisedCause(options.cause) } : options;
    super(code, message, userMessage === undefined ? safe : { ...safe, userMessage });
  }
}
