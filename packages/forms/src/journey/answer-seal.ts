import { FormsError } from '../errors/forms-error.js';
import { createSealedBox, secretBytes } from '../seal/sealed-box.js';
import type { CompiledForm, FormAnswers } from '../validation/compiled-form.js';

/**
 * Answers saved for later: which form and version they were given to, and
 * when they were sealed.
 *
 * @example
 * ```ts
 * const saved: SavedAnswers = { formId: 'register-birth', version: '3', answers: {}, savedAt: new Date() };
 * ```
 */
export interface SavedAnswers {
  readonly formId: string;
  readonly version: string;
  readonly answers: FormAnswers;
  readonly savedAt: Date;
  /** The key that makes submitting these answers happen once (absent in older tokens). */
  readonly submissionKey?: string;
}

/**
 * Seals answers into an opaque token (AES-256-GCM: encrypted and
 * tamper-evident) and opens it again.
 *
 * @example
 * ```ts
 * const token = await sealer.seal({ formId: form.definition.id, version: form.definition.version, answers });
 * const saved = await sealer.open(token);
 * ```
 */
export interface AnswerSealer {
  seal(state: {
    readonly formId: string;
    readonly version: string;
    readonly answers: FormAnswers;
    readonly submissionKey?: string;
  }): Promise<string>;
  /**
   * @throws {@link FormsError} `FORMS_INVALID_TOKEN` (forged, corrupted or
   *   sealed with another secret) or `FORMS_TOKEN_EXPIRED`.
   */
  open(token: string): Promise<SavedAnswers>;
}

/**
 * Options of {@link createAnswerSealer}.
 *
 * @example
 * ```ts
 * const options: AnswerSealerOptions = { secret: process.env.FORMS_SECRET ?? '', maxAgeSeconds: 30 * 24 * 3600 };
 * ```
 */
export interface AnswerSealerOptions {
  /** At least 32 characters (or bytes) of secret; rotate by redeploying. */
  readonly secret: string | Uint8Array;
  /** How long a token stays valid; default 30 days. */
  readonly maxAgeSeconds?: number;
  /** The clock (`@civicblocks/core`'s `Clock` fits). */
  readonly clock?: { now(): Date };
}

/**
 * Creates a sealer for save-and-resume tokens and for the handler's
 * stateless session cookie. The token holds the answers deflated and
 * encrypted; it cannot be read or changed without the secret. Tokens made
 * before compression was added still open.
 *
 * @throws {@link FormsError} `FORMS_INVALID_OPTION` when the secret is too short.
 * @example
 * ```ts
 * const sealer = createAnswerSealer({ secret: configuration.formsSecret });
 * ```
 */
export function createAnswerSealer(options: AnswerSealerOptions): AnswerSealer {
  const box = createSealedBox(
    secretBytes(options.secret, 'createAnswerSealer'),
    'civicblocks-forms-answers-v1',
  );
  const maxAgeMilliseconds = (options.maxAgeSeconds ?? 30 * 24 * 3600) * 1000;
  const clock = options.clock ?? { now: () => new Date() };
  return {
    async seal(state) {
      return box.seal({
        f: state.formId,
        v: state.version,
        a: state.answers,
        t: clock.now().getTime(),
        ...(state.submissionKey === undefined ? {} : { k: state.submissionKey }),
      });
    },
    async open(token) {
      const parsed = (await box.open(token)) as {
        f?: unknown;
        v?: unknown;
        a?: unknown;
        t?: unknown;
        k?: unknown;
      } | null;
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        typeof parsed.f !== 'string' ||
        typeof parsed.v !== 'string' ||
        typeof parsed.t !== 'number' ||
        typeof parsed.a !== 'object' ||
        parsed.a === null ||
        Array.isArray(parsed.a)
      ) {
        throw new FormsError('FORMS_INVALID_TOKEN', 'saved answers token is malformed');
      }
      if (clock.now().getTime() - parsed.t > maxAgeMilliseconds) {
        throw new FormsError('FORMS_TOKEN_EXPIRED', 'saved answers token has expired', {
          userMessage: {
            vi: 'Câu trả lời đã lưu của bạn đã hết hạn. Vui lòng bắt đầu lại.',
            en: 'Your saved answers have expired. Start again.',
          },
        });
      }
      return {
        formId: parsed.f,
        version: parsed.v,
        answers: parsed.a as FormAnswers,
        savedAt: new Date(parsed.t),
        ...(typeof parsed.k === 'string' ? { submissionKey: parsed.k } : {}),
      };
    },
  };
}

/**
 * Saved answers made safe to use with the form as it is now: answers the
 * current version does not ask, hides, or no longer accepts are dropped (so
 * the citizen is asked them again), whatever version they were saved with.
 *
 * @example
 * ```ts
 * const resumed = resumeAnswers(form, await sealer.open(token));
 * if (resumed.versionChanged) console.info('resumed answers from an older version');
 * ```
 */
export function resumeAnswers(
  form: CompiledForm<unknown>,
  saved: SavedAnswers,
): {
  readonly answers: Record<string, unknown>;
  readonly versionChanged: boolean;
  readonly droppedAnswers: readonly string[];
} {
  if (saved.formId !== form.definition.id) {
    throw new FormsError('FORMS_INVALID_TOKEN', 'saved answers belong to another form');
  }
  let answers = form.pruneAnswers(saved.answers);
  const dropped = new Set(Object.keys(saved.answers).filter((key) => !Object.hasOwn(answers, key)));
  for (let pass = 0; pass < 5; pass += 1) {
    const result = form.validate(answers);
    if (result.valid) break;
    const next: Record<string, unknown> = { ...answers };
    for (const error of result.errors) {
      const [id = '', index] = error.field.split('.');
      if (index !== undefined && Array.isArray(next[id])) {
        next[id] = (next[id] as unknown[]).filter((_, itemIndex) => String(itemIndex) !== index);
      } else {
        delete next[id];
      }
      dropped.add(id);
    }
    answers = form.pruneAnswers(next);
  }
  return {
    answers,
    versionChanged: saved.version !== form.definition.version,
    droppedAnswers: [...dropped],
  };
}
