import { CivicError, type CivicErrorOptions, type LocalizedText } from '@civicblocks/core';

/**
 * Codes of {@link ConsentError}. Each names one refused request; none of them
 * leaves anything written.
 *
 * - `CONSENT_INVALID_INPUT`: a malformed argument (id, text too long, bad date);
 *   `details.field` says which.
 * - `CONSENT_INVALID_NOTICE`: a notice that cannot be published (`details.field`).
 * - `CONSENT_NOTICE_EXISTS`: that notice version was already published with other content.
 * - `CONSENT_UNKNOWN_NOTICE`: no such notice, or no such version of it.
 * - `CONSENT_UNKNOWN_PURPOSE`: the notice version has no such purpose.
 * - `CONSENT_NOT_GIVEN`: withdraw or renew with no consent in force to act on.
 * - `CONSENT_UNKNOWN_RECEIPT`: no receipt with that id.
 * - `CONSENT_INVALID_RECEIPT`: a receipt that fails signature or shape checks.
 * - `CONSENT_IDEMPOTENCY_CONFLICT`: an idempotency key reused for a different request.
 * - `CONSENT_INVALID_KEY`: a signing key that cannot sign ES256 receipts.
 * - `CONSENT_HISTORY_BROKEN`: a subject's event log and history chain are out of step
 *   (someone changed the tables): nothing is recorded; run `verifyHistory`.
 *
 * @example
 * ```ts
 * const code: ConsentErrorCode = 'CONSENT_UNKNOWN_PURPOSE';
 * ```
 */
export type ConsentErrorCode =
  | 'CONSENT_INVALID_INPUT'
  | 'CONSENT_INVALID_NOTICE'
  | 'CONSENT_NOTICE_EXISTS'
  | 'CONSENT_UNKNOWN_NOTICE'
  | 'CONSENT_UNKNOWN_PURPOSE'
  | 'CONSENT_NOT_GIVEN'
  | 'CONSENT_UNKNOWN_RECEIPT'
  | 'CONSENT_INVALID_RECEIPT'
  | 'CONSENT_IDEMPOTENCY_CONFLICT'
  | 'CONSENT_INVALID_KEY'
  | 'CONSENT_HISTORY_BROKEN';

/**
 * An error thrown by `@civicblocks/consent`. Messages and details never hold
 * a subject's identifier, a proxy's name or any other personal data; the
 * `userMessage` (vi, en) is safe to show to the citizen.
 *
 * @example
 * ```ts
 * try {
 *   await consent.withdraw({ subject, notice: { id: 'sms-updates' } });
 * } catch (error) {
 *   if (ConsentError.isInstance(error) && error.code === 'CONSENT_NOT_GIVEN') showNothingToWithdraw();
 *   else throw error;
 * }
 * ```
 */
export class ConsentError extends CivicError<ConsentErrorCode> {
  static override readonly errorName: string = 'ConsentError';
  declare readonly name: 'ConsentError';

  constructor(code: ConsentErrorCode, message: string, options: CivicErrorOptions = {}) {
    super(code, message, { userMessage: consentUserMessages[code], ...options });
  }
}

/**
 * The citizen-facing text of each {@link ConsentErrorCode}, in Vietnamese and English.
 *
 * @example
 * ```ts
 * console.log(consentUserMessages.CONSENT_NOT_GIVEN.vi);
 * ```
 */
export const consentUserMessages: Readonly<Record<ConsentErrorCode, LocalizedText>> = Object.freeze(
  {
    CONSENT_INVALID_INPUT: {
      vi: 'Thông tin gửi lên không hợp lệ. Vui lòng kiểm tra và thử lại.',
      en: 'Some of the information sent is not valid. Check it and try again.',
    },
    CONSENT_INVALID_NOTICE: {
      vi: 'Thông báo về việc xử lý dữ liệu cá nhân không hợp lệ.',
      en: 'The notice about how your personal data is used is not valid.',
    },
    CONSENT_NOTICE_EXISTS: {
      vi: 'Phiên bản thông báo này đã tồn tại.',
      en: 'This version of the notice already exists.',
    },
    CONSENT_UNKNOWN_NOTICE: {
      vi: 'Không tìm thấy thông báo về việc xử lý dữ liệu cá nhân này.',
      en: 'We could not find this notice about how your personal data is used.',
    },
    CONSENT_UNKNOWN_PURPOSE: {
      vi: 'Mục đích xử lý dữ liệu này không có trong thông báo.',
      en: 'This purpose is not part of the notice.',
    },
    CONSENT_NOT_GIVEN: {
      vi: 'Bạn chưa đồng ý cho mục đích này, nên không có gì để rút lại.',
      en: 'You have not given consent for this, so there is nothing to withdraw.',
    },
    CONSENT_UNKNOWN_RECEIPT: {
      vi: 'Không tìm thấy biên nhận đồng ý này.',
      en: 'We could not find this consent receipt.',
    },
    CONSENT_INVALID_RECEIPT: {
      vi: 'Biên nhận đồng ý này không hợp lệ hoặc đã bị thay đổi.',
      en: 'This consent receipt is not valid or has been changed.',
    },
    CONSENT_IDEMPOTENCY_CONFLICT: {
      vi: 'Yêu cầu này trùng mã với một yêu cầu khác. Vui lòng tải lại trang và thử lại.',
      en: 'This request reuses the reference of a different request. Reload the page and try again.',
    },
    CONSENT_HISTORY_BROKEN: {
      vi: 'Dịch vụ đang gặp sự cố. Vui lòng thử lại sau.',
      en: 'Sorry, there is a problem with the service. Try again later.',
    },
    CONSENT_INVALID_KEY: {
      vi: 'Dịch vụ đang gặp sự cố. Vui lòng thử lại sau.',
      en: 'Sorry, there is a problem with the service. Try again later.',
    },
  },
);
