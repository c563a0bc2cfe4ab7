/**
 * Text a citizen may read, in every first-class locale. Welsh is optional and
 * only present where a GOV.UK contract needs it.
 *
 * @example
 * ```ts
 * const text: LocalizedText = { vi: 'Vui lòng thử lại sau.', en: 'Try again later.' };
 * ```
 */
export interface LocalizedText {
  readonly vi: string;
  readonly en: string;
  readonly cy?: string;
}

/**
 * Options accepted by every {@link CivicError}.
 *
 * @example
 * ```ts
 * const options: CivicErrorOptions = { cause: new Error('socket hang up'), isRetryable: true };
 * ```
 */
export interface CivicErrorOptions {
  /** The underlying error or value. Always pass it on when wrapping. */
  readonly cause?: unknown;
  /** Text safe to show to a citizen, in vi and en. */
  readonly userMessage?: LocalizedText;
  /** HTTP status of a failed remote call. */
  readonly status?: number;
  /** Whether repeating the same operation later may succeed. */
  readonly isRetryable?: boolean;
  /** The remote service's request id, for support tickets. */
  readonly requestId?: string;
  /**
   * Structured, non-personal facts about the failure (a field path, a limit,
   * a migration version). Never put personal data, tokens or secrets here.
   */
  readonly details?: Readonly<Record<string, unknown>>;
}

const marker: unique symbol = Symbol.for('civicblocks.error') as never;

/**
 * A {@link CivicError} class: what {@link CivicError.isInstance} is called on.
 *
 * @example
 * ```ts
 * const classes: CivicErrorClass[] = [CivicError, HttpError];
 * ```
 */
export type CivicErrorClass = (abstract new (
  ...args: never[]
) => CivicError) & { readonly errorName: string };

/**
 * The one error base of civicblocks. Every error a block throws is a
 * `CivicError` with a stable string `code` from a closed union, a literal
 * `name`, and the original `cause`. Check with {@link CivicError.isInstance}
 * rather than `instanceof`, so the check survives two installed copies of core.
 *
 * @typeParam Code - the closed union of codes this error class can carry.
 * @example
 * ```ts
 * import { CivicError } from '@civicblocks/core';
 *
 * try {
 *   await client.request({ url: 'https://api.example.gov/items' });
 * } catch (error) {
 *   if (CivicError.isInstance(error) && error.isRetryable) scheduleRetry();
 *   else throw error;
 * }
 * ```
 */
export class CivicError<Code extends string = string> extends Error {
  /** The literal `name` given to instances of this class. */
  static readonly errorName: string = 'CivicError';

  override readonly name: string;
  /** Stable, machine-readable code. Safe to switch on and to log. */
  readonly code: Code;
  /** Text safe to show to a citizen, if the failure reaches one. */
  readonly userMessage: LocalizedText | undefined;
  /** HTTP status of a failed remote call. */
  readonly status: number | undefined;
  /** Whether repeating the same operation later may succeed. */
  readonly isRetryable: boolean;
  /** The remote service's request id. */
  readonly requestId: string | undefined;
  /** Structured, non-personal facts about the failure. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: Code, message: string, options: CivicErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    const lineage: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
      const name = (c as { errorName?: unknown }).errorName;
      if (typeof name === 'string' && !lineage.includes(name)) lineage.push(name);
    }
    this.name = lineage[0] ?? 'CivicError';
    this.code = code;
    this.userMessage = options.userMessage;
    this.status = options.status;
    this.isRetryable = options.isRetryable ?? false;
    this.requestId = options.requestId;
    this.details = options.details;
    Object.defineProperty(this, marker, { value: Object.freeze(lineage), enumerable: false });
  }

  /**
   * True when `value` is an error of this class (or a subclass), even when it
   * was created by another installed copy of `@civicblocks/core`.
   *
   * @example
   * ```ts
   * if (HttpError.isInstance(error) && error.code === 'HTTP_TIMEOUT') retryLater();
   * ```
   */
  static isInstance<T extends CivicErrorClass>(this: T, value: unknown): value is InstanceType<T> {
    if (typeof value !== 'object' || value === null) return false;
    const lineage = (value as { [marker]?: unknown })[marker];
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass isInstance was called on.
    return Array.isArray(lineage) && lineage.includes(this.errorName);
  }

  /**
   * A plain object safe to log or serialise: name, code, message, status,
   * retryability, request id and details. Never the cause's body.
   *
   * @example
   * ```ts
   * logger.warn(error.toJSON());
   * ```
   */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.status === undefined ? {} : { status: this.status }),
      isRetryable: this.isRetryable,
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/**
 * The localised text of an error for a citizen, falling back to a generic
 * apology when the error carries none (and for anything that is not a
 * {@link CivicError}, whose message may hold internals).
 *
 * @example
 * ```ts
 * response.body = userMessageOf(error, 'vi');
 * ```
 */
export function userMessageOf(error: unknown, locale: 'vi' | 'en' | 'cy'): string {
  const text = CivicError.isInstance(error) ? error.userMessage : undefined;
  const chosen = text ?? genericUserMessage;
  return chosen[locale] ?? chosen.en;
}

const genericUserMessage: LocalizedText = {
  vi: 'Đã xảy ra lỗi. Vui lòng thử lại sau.',
  en: 'Sorry, there is a problem with the service. Try again later.',
};
