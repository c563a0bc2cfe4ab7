import { FormsError } from '../errors/forms-error.js';
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

function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/**
 * Creates a sealer for save-and-resume tokens and for the handler's
 * stateless session cookie. The token holds the answers encrypted; it
 * cannot be read or changed without the secret.
 *
 * @throws {@link FormsError} `FORMS_INVALID_OPTION` when the secret is too short.
 * @example
 * ```ts
 * const sealer = createAnswerSealer({ secret: configuration.formsSecret });
 * ```
 */
export function createAnswerSealer(options: AnswerSealerOptions): AnswerSealer {
  const secretBytes = new Uint8Array(
    typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret,
  );
  if (secretBytes.byteLength < 32) {
    throw new FormsError(
      'FORMS_INVALID_OPTION',
      'createAnswerSealer: secret must be at least 32 bytes',
    );
  }
  const maxAgeMilliseconds = (options.maxAgeSeconds ?? 30 * 24 * 3600) * 1000;
  const clock = options.clock ?? { now: () => new Date() };
  const keyPromise: Promise<CryptoKey> = (async () => {
    const material = await crypto.subtle.importKey('raw', secretBytes, 'HKDF', false, [
      'deriveKey',
    ]);
    return crypto.subtle.deriveKey(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: new Uint8Array(0),
        info: new TextEncoder().encode('civicblocks-forms-answers-v1'),
      },
      material,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
  })();
  return {
    async seal(state) {
      const key = await keyPromise;
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const payload = JSON.stringify({
        f: state.formId,
        v: state.version,
        a: state.answers,
        t: clock.now().getTime(),
      });
      const cipher = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv },
          key,
          new TextEncoder().encode(payload),
        ),
      );
      const token = new Uint8Array(iv.byteLength + cipher.byteLength);
      token.set(iv, 0);
      token.set(cipher, iv.byteLength);
      return toBase64Url(token);
    },
    async open(token) {
      const key = await keyPromise;
      if (
        typeof token !== 'string' ||
        token.length > 1_000_000 ||
        !/^[A-Za-z0-9_-]+$/.test(token)
      ) {
        throw new FormsError('FORMS_INVALID_TOKEN', 'saved answers token is malformed');
      }
      const bytes = Buffer.from(token, 'base64url');
      if (bytes.byteLength < 12 + 16)
        throw new FormsError('FORMS_INVALID_TOKEN', 'saved answers token is malformed');
      let plain: ArrayBuffer;
      try {
        plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.subarray(0, 12) },
          key,
          bytes.subarray(12),
        );
      } catch (error) {
        throw new FormsError('FORMS_INVALID_TOKEN', 'saved answers token could not be opened', {
          cause: error,
        });
      }
      let parsed: { f?: unknown; v?: unknown; a?: unknown; t?: unknown };
      try {
        parsed = JSON.parse(new TextDecoder().decode(plain)) as typeof parsed;
      } catch (error) {
        throw new FormsError('FORMS_INVALID_TOKEN', 'saved answers token is malformed', {
          cause: error,
        });
      }
      if (
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
  form: CompiledForm,
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
