import { createHmac } from 'node:crypto';
import { FormsError } from '../errors/forms-error.js';
import { type AnswerSealer, resumeAnswers, type SavedAnswers } from '../journey/answer-seal.js';
import { type AnswerStore, createSessionId, isSessionId } from '../store/answer-store.js';
import type { CompiledForm, FormAnswers } from '../validation/compiled-form.js';
import {
  cookieChunkCharacters,
  worstCaseAnswersBytes,
  worstCaseSealedCharacters,
} from './cookie-capacity.js';
import type { parseCookies } from './cookies.js';

/** A citizen's answers as loaded for one request. */
export interface LoadedState {
  readonly answers: Record<string, unknown>;
  /** The key that makes the submission of these answers happen once. */
  readonly submissionKey: string;
  /** The store's session id, once the store has vouched for it. */
  readonly sessionId?: string;
  /** How many cookies the sealed answers came in (to expire the ones no longer needed). */
  readonly chunks: number;
  /**
   * Sealed answers were sent but could not be read: a part of split
   * cookies missing, parts of two different saves, a part changed, too many
   * parts, an expired or foreign token. (A store's unknown session id starts
   * afresh instead, without saying why.)
   * The citizen is told so, never shown an empty form as if they had not started.
   */
  readonly unreadable?: true;
}

/** Where the handler keeps answers between requests: sealed cookies, or a store under a session id. */
export interface AnswerStateKeeper {
  load(cookies: ReturnType<typeof parseCookies>): Promise<LoadedState>;
  /** `Set-Cookie` values that keep these answers; `undefined` when they are too long to keep in cookies. */
  save(state: LoadedState, answers: FormAnswers): Promise<readonly string[] | undefined>;
  /** `Set-Cookie` values (and store deletions) that forget the answers. */
  clear(state: LoadedState): Promise<readonly string[]>;
  /**
   * A token for a save-and-resume link. A sealed token carries the
   * submission key, so answers resumed after they were submitted show the
   * first confirmation instead of making a second application.
   */
  saveForLater(answers: FormAnswers, submissionKey: string): Promise<string>;
  /** The answers (and sealed submission key) of a resume token; `undefined` when forged, unknown, expired or foreign. */
  open(
    value: string,
  ): Promise<
    { readonly answers: Record<string, unknown>; readonly submissionKey?: string } | undefined
  >;
}

/** What {@link createAnswerStateKeeper} needs. */
export interface AnswerStateOptions {
  readonly form: CompiledForm<unknown>;
  readonly sealer: AnswerSealer;
  readonly secret: Uint8Array<ArrayBuffer>;
  readonly store: AnswerStore | undefined;
  readonly cookieName: string;
  readonly cookie: (name: string, value: string, maxAgeSeconds: number) => string;
  readonly sessionMaxAgeSeconds: number;
  readonly savedMaxAgeSeconds: number;
  readonly maximumCookies: number;
  /** Most bytes the answers cookies may add to a request's `Cookie` header. */
  readonly maximumCookieBytes: number;
  readonly now: () => Date;
}

/**
 * Refuses, at start-up, sealed-cookie storage for a form whose largest valid
 * answers could not fit in `maximumCookies` cookies: a citizen's answer is
 * then never dropped by the browser.
 *
 * @throws {@link FormsError} `FORMS_INVALID_OPTION` naming the largest answers.
 */
export function checkCookieCapacity(form: CompiledForm<unknown>, maximumCookies: number): void {
  const worst = worstCaseAnswersBytes(form);
  if (worst.unbounded !== undefined) {
    throw new FormsError(
      'FORMS_INVALID_OPTION',
      `createFormHandler: the repeater "${worst.unbounded}" has no maxItems, so its answers have no size limit and cannot be kept in cookies; give it maxItems or pass answerStore`,
      { details: { page: worst.unbounded } },
    );
  }
  const characters = worstCaseSealedCharacters(worst.bytes);
  const needed = Math.ceil(characters / cookieChunkCharacters);
  if (needed > maximumCookies) {
    throw new FormsError(
      'FORMS_INVALID_OPTION',
      `createFormHandler: the longest valid answers to this form need ${needed} cookies of ${cookieChunkCharacters} characters (more than maxAnswerCookies, ${maximumCookies}); largest answers: ${worst.largest.map((entry) => `${entry.id} (${entry.bytes} bytes)`).join(', ')}. Lower their maxLength or maxItems, or pass answerStore`,
      { details: { cookiesNeeded: needed, maxAnswerCookies: maximumCookies } },
    );
  }
}

/** The submission key of a store session: derived, so every request of the session agrees on it. */
function sessionSubmissionKey(secret: Uint8Array<ArrayBuffer>, sessionId: string): string {
  return createHmac('sha256', secret).update(`forms-submission:${sessionId}`).digest('base64url');
}

/** A chunk count prefix: `3.` before the first chunk when there are three; none for one. */
const countPrefix = /^([2-9]|[1-9][0-9])\.(.*)$/s;

/**
 * Keeps answers in sealed cookies (compressed, split across `name`,
 * `name.1`, … when longer than one cookie can hold) or, with a store, on the
 * server under a random session id held in one cookie.
 */
export function createAnswerStateKeeper(options: AnswerStateOptions): AnswerStateKeeper {
  const { form, sealer, store, cookieName, cookie } = options;
  const stamp = (answers: FormAnswers, submissionKey?: string) => ({
    formId: form.definition.id,
    version: form.definition.version,
    answers,
    ...(submissionKey === undefined ? {} : { submissionKey }),
  });
  const secondsFromNow = (seconds: number): Date =>
    new Date(options.now().getTime() + seconds * 1000);
  const fresh = (): LoadedState => ({
    answers: {},
    submissionKey: createSessionId(),
    chunks: 0,
  });
  const unreadable = (chunks: number): LoadedState => ({
    ...fresh(),
    chunks: Math.min(chunks, options.maximumCookies),
    unreadable: true,
  });

  const openSaved = async (value: string): Promise<SavedAnswers | undefined> => {
    try {
      const saved =
        store === undefined
          ? await sealer.open(value)
          : isSessionId(value)
            ? await store.get(value)
            : undefined;
      if (saved === undefined || saved.formId !== form.definition.id) return undefined;
      return saved;
    } catch (error) {
      if (FormsError.isInstance(error)) return undefined;
      throw error;
    }
  };

  return {
    async load(cookies) {
      const first = cookies.get(cookieName);
      if (first === undefined || first === '') return fresh();
      if (store !== undefined) {
        const saved = await openSaved(first);
        // An unknown, expired or forged session id starts afresh, saying nothing of which it was.
        if (saved === undefined) return fresh();
        // A session id is kept only once the store has vouched for it, so a planted id is never adopted.
        return {
          answers: resumeAnswers(form, saved).answers,
          sessionId: first,
          submissionKey: sessionSubmissionKey(options.secret, first),
          chunks: 1,
        };
      }
      const counted = countPrefix.exec(first);
      const count = counted === null ? 1 : Number(counted[1]);
      if (count > options.maximumCookies) return unreadable(count);
      let token = counted === null ? first : (counted[2] ?? '');
      for (let index = 1; index < count; index += 1) {
        const part = cookies.get(`${cookieName}.${index}`);
        if (part === undefined || part === '') return unreadable(count);
        token += part;
      }
      // Parts of two saves never open: each save has its own IV and the GCM tag covers the whole token.
      const saved = await openSaved(token);
      if (saved === undefined) return unreadable(count);
      return {
        answers: resumeAnswers(form, saved).answers,
        // Tokens from before submission keys: derive one from the token, the same for every copy of it.
        submissionKey: saved.submissionKey ?? sessionSubmissionKey(options.secret, token),
        chunks: count,
      };
    },
    async save(state, answers) {
      if (store !== undefined) {
        const id = state.sessionId ?? createSessionId();
        await store.put(id, {
          ...stamp(answers),
          expiresAt: secondsFromNow(options.sessionMaxAgeSeconds),
        });
        return [cookie(cookieName, id, options.sessionMaxAgeSeconds)];
      }
      const token = await sealer.seal(stamp(answers, state.submissionKey));
      const count = Math.ceil(token.length / cookieChunkCharacters);
      if (count > options.maximumCookies) return undefined;
      // What the browser will send back: `name=value` pairs joined by `; `.
      const headerBytes =
        token.length + (count > 1 ? String(count).length + 1 : 0) + count * (cookieName.length + 6);
      if (headerBytes > options.maximumCookieBytes) return undefined;
      const values: string[] = [];
      for (let index = 0; index < count; index += 1) {
        const part = token.slice(
          index * cookieChunkCharacters,
          (index + 1) * cookieChunkCharacters,
        );
        values.push(
          cookie(
            index === 0 ? cookieName : `${cookieName}.${index}`,
            index === 0 && count > 1 ? `${count}.${part}` : part,
            options.sessionMaxAgeSeconds,
          ),
        );
      }
      for (let index = Math.max(count, 1); index < state.chunks; index += 1)
        values.push(cookie(`${cookieName}.${index}`, '', 0));
      return values;
    },
    async clear(state) {
      if (store !== undefined && state.sessionId !== undefined) await store.delete(state.sessionId);
      const values = [cookie(cookieName, '', 0)];
      for (let index = 1; index < state.chunks; index += 1)
        values.push(cookie(`${cookieName}.${index}`, '', 0));
      return values;
    },
    async saveForLater(answers, submissionKey) {
      if (store === undefined) return sealer.seal(stamp(answers, submissionKey));
      const id = createSessionId();
      await store.put(id, {
        ...stamp(answers),
        expiresAt: secondsFromNow(options.savedMaxAgeSeconds),
      });
      return id;
    },
    async open(value) {
      const saved = await openSaved(value);
      if (saved === undefined) return undefined;
      return {
        answers: resumeAnswers(form, saved).answers,
        ...(store === undefined && saved.submissionKey !== undefined
          ? { submissionKey: saved.submissionKey }
          : {}),
      };
    },
  };
}
