import type { SavedAnswers } from '../journey/answer-seal.js';
import type { FormAnswers } from '../validation/compiled-form.js';

/**
 * Answers kept on the server under a session id, with the time they stop
 * being valid.
 *
 * @example
 * ```ts
 * const stored: StoredAnswers = {
 *   formId: 'register-birth', version: '3', answers: { fullName: 'Nguyễn Thị Lan' },
 *   savedAt: new Date('2026-11-23T03:00:00Z'), expiresAt: new Date('2026-11-24T03:00:00Z'),
 * };
 * ```
 */
export interface StoredAnswers extends SavedAnswers {
  readonly expiresAt: Date;
}

/**
 * Where {@link createFormHandler} keeps answers when they should not travel
 * in a cookie (large forms, or a policy of no personal data on the
 * citizen's device). Keys are opaque, unguessable session ids the handler
 * makes with {@link createSessionId}; an expired entry must read as absent.
 *
 * @example
 * ```ts
 * const store: AnswerStore = createSqlAnswerStore(executor);
 * const handle = createFormHandler({ form, basePath: '/apply', secret, stylesheetHref, onSubmit, answerStore: store });
 * ```
 */
export interface AnswerStore {
  /** The answers saved under `sessionId`, or `undefined` when none are (or they expired). */
  get(sessionId: string): Promise<StoredAnswers | undefined>;
  /** Saves (or replaces) the answers under `sessionId` until `entry.expiresAt`. */
  put(
    sessionId: string,
    entry: {
      readonly formId: string;
      readonly version: string;
      readonly answers: FormAnswers;
      readonly expiresAt: Date;
    },
  ): Promise<void>;
  /** Forgets the answers under `sessionId`; nothing happens when there are none. */
  delete(sessionId: string): Promise<void>;
}

const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * A new session id: 32 random bytes (256 bits) from the platform's CSPRNG,
 * base64url-encoded (43 characters).
 *
 * @example
 * ```ts
 * const sessionId = createSessionId(); // 'q9V0…' (43 characters)
 * ```
 */
export function createSessionId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

/**
 * Whether `value` has the shape of a session id from {@link createSessionId}
 * (so a store is never queried with arbitrary cookie text).
 *
 * @example
 * ```ts
 * isSessionId(createSessionId()); // true
 * isSessionId("' OR 1=1 --"); // false
 * ```
 */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && sessionIdPattern.test(value);
}
