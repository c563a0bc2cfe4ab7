import type { LocalizedText, SqlExecutor } from '@civicblocks/core';
import type { FormLocale } from '../definition/form-definition.js';
import type { InterfaceTextOverrides } from '../i18n/form-messages.js';
import type { AnswerStore } from '../store/answer-store.js';
import type { CompiledForm } from '../validation/compiled-form.js';

/**
 * Where uploaded files go. The handler calls `put` only for files that
 * passed the form's type, size and count checks; the returned id is stored
 * in the answer.
 *
 * @example
 * ```ts
 * const storage: FileStorage = { put: async (file) => { await bucket.write(file.name, file.bytes); return file.name; } };
 * ```
 */
export interface FileStorage {
  put(file: {
    readonly name: string;
    readonly type: string;
    readonly size: number;
    readonly bytes: Uint8Array;
  }): Promise<string>;
  /**
   * Removes a stored file. When given, the files a page stored are removed
   * again if storing a later one fails, so a failed page leaves nothing behind.
   */
  delete?(id: string): Promise<void>;
}

/**
 * What `onSubmit` receives: the complete, valid answers (typed by the
 * form), the request that sent them (to find the signed-in citizen), the
 * page's locale, the submission key and, when the handler has an
 * `executor`, the transaction to write the service's own rows with.
 *
 * @example
 * ```ts
 * const onSubmit = async ({ answers, request, transaction }: FormSubmission<PermitAnswers>) =>
 *   ({ reference: await applications.insert(answers, citizenOf(request), { transaction }) });
 * ```
 */
export interface FormSubmission<Answers> {
  readonly answers: Answers;
  readonly request: Request;
  readonly locale: FormLocale;
  /**
   * The same for every submit of one citizen's answers (double clicks,
   * retries, a submit after a crash). With `executor` the handler already
   * makes the submission happen once; without it, store this under a unique
   * constraint.
   */
  readonly submissionKey: string;
  /**
   * With the handler's `executor`: the open transaction that also records the
   * submission key. Write with it (core's `{ transaction }` write option), so
   * the application and the key commit together or not at all.
   */
  readonly transaction?: SqlExecutor;
}

/**
 * What `onSubmit` returns: the reference shown to the citizen.
 *
 * @example
 * ```ts
 * const outcome: SubmitOutcome = { reference: 'BHR-7KQ2-M9XD' };
 * ```
 */
export interface SubmitOutcome {
  readonly reference?: string;
}

/**
 * Options of {@link createFormHandler}.
 *
 * @example
 * ```ts
 * const options: FormHandlerOptions<Answers> = {
 *   form, basePath: '/register-birth', secret: configuration.formsSecret, executor,
 *   stylesheetHref: '/assets/govuk-frontend.min.css',
 *   onSubmit: async ({ answers, transaction }) => ({ reference: await save(answers, { transaction }) }),
 * };
 * ```
 */
export interface FormHandlerOptions<Answers = Record<string, unknown>> {
  readonly form: CompiledForm<Answers>;
  /** Where the form is mounted, without a trailing slash (`/apply`). */
  readonly basePath: string;
  /** At least 32 bytes; seals the answers cookie, receipts and save-and-resume links. */
  readonly secret: string | Uint8Array;
  /** `govuk-frontend.min.css`, served by you (its fonts and images are looked up under `/assets/`). */
  readonly stylesheetHref: string;
  /** `govuk-frontend.min.js`; omit to serve pages without JavaScript. */
  readonly scriptHref?: string;
  /** The service name in the service navigation, per language; default the form's title. */
  readonly serviceName?: string | LocalizedText;
  /** The language when neither `?lang=`, the `forms-lang` cookie nor `Accept-Language` chooses one. */
  readonly defaultLocale?: FormLocale;
  /** Replacements for interface texts (the submit button, headings, refusal pages). */
  readonly texts?: InterfaceTextOverrides;
  /**
   * Receives the valid, complete answers and returns the reference shown to
   * the citizen. Runs once per submission key: with `executor`, inside the
   * transaction that records the key (pass `transaction` to your writes).
   */
  readonly onSubmit: (
    submission: FormSubmission<Answers>,
  ) => Promise<SubmitOutcome> | SubmitOutcome;
  /**
   * Makes submitting exactly-once and crash-safe: the submission key and
   * reference are recorded (core's idempotency store; run `coreMigrations`)
   * in the same transaction as `onSubmit`'s writes, so a double click, a retry or a
   * submit after a crash gets the first reference and never a second
   * application. Without it, concurrent submits in one process are merged,
   * and the service must store `submissionKey` under a unique constraint.
   */
  readonly executor?: SqlExecutor;
  /** Needed when the form has file questions. */
  readonly fileStorage?: FileStorage;
  /**
   * Told of an unexpected failure (storage, `onSubmit`, answer store) after
   * the citizen got a page in their language. Default: one line on stderr
   * with the error's name and code, never its message (it may hold what the
   * citizen typed).
   */
  readonly onError?: (error: unknown, request: Request) => void;
  /** Default `forms-<form id>`; long answers also use `<name>.1`, `<name>.2`, …; receipts `<name>-receipt`. */
  readonly cookieName?: string;
  /** Drop the `Secure` cookie attribute (only for plain-HTTP local testing). */
  readonly unsafeAllowHttpCookies?: boolean;
  /** Largest request body accepted; default 1 MB, or 20 MB with file questions. */
  readonly maxBodyBytes?: number;
  /** How long saved answers (a save-and-resume link) stay valid; default 30 days. */
  readonly maxAgeSeconds?: number;
  /**
   * How long an unfinished session's cookies (and stored answers) last;
   * default 1 day. The receipt that lets the confirmation page show the
   * reference lasts at most 15 minutes of it, so the next person at a shared
   * computer does not see it.
   */
  readonly sessionMaxAgeSeconds?: number;
  /**
   * Keep answers on the server: the cookie then holds only a random session
   * id, and save-and-resume links carry another one. Default: answers are
   * sealed (deflated, encrypted) into cookies, split across up to
   * `maxAnswerCookies` of them; `createFormHandler` refuses a form whose
   * longest valid answers would not fit.
   */
  readonly answerStore?: AnswerStore;
  /** Most cookies sealed answers may take (3,800 characters each); default 20. */
  readonly maxAnswerCookies?: number;
  /**
   * Most bytes the sealed answers cookies may add to a request's `Cookie`
   * header; default 12,000, so requests stay under Node's default 16 KB
   * header limit (a server refuses a larger header with an empty 431 before
   * the handler sees it). Answers that would need more get their page
   * again with what was typed and a message asking to shorten them. Raise it
   * together with the server's and proxy's header limits.
   */
  readonly maxAnswerCookieBytes?: number;
  readonly clock?: { now(): Date };
}
