import { CivicError } from '@civicblocks/core';

// Causes from openid-client, oauth4webapi, jose and the network carry the
// token's claims (`error.cause.claims`, `error.payload`), response bodies and
// headers. A logger that follows `cause` would record them. Every cause an
// IdentityError keeps is therefore a copy holding only non-personal facts:
// the error's name, its library code, the claim or attribute name, the OAuth
// error code, the HTTP status and the library's fixed message text.

const word = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[\w.:#/-]{1,80}$/.test(value) ? value : undefined;

// Library messages are fixed templates ("unexpected JWT \"nonce\" claim value"); keep
// them short and drop anything that looks like a token, an e-mail address or a long number.
const safeMessage = (value: unknown): string => {
  if (typeof value !== 'string') return '';
  const text = value.slice(0, 200);
  return /eyJ|@|\d{6,}|[A-Z]\d{7}[A-Z]/.test(text) ? '(message withheld)' : text;
};

/**
 * The facts kept from a third-party error. `name` and `code` come from the
 * original; nothing else of it is reachable.
 */
class SanitisedCause extends Error {
  readonly code: string | undefined;
  readonly claim: string | undefined;
  readonly status: number | undefined;
  constructor(
    name: string,
    message: string,
    facts: { code?: string; claim?: string; status?: number },
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.code = facts.code;
    this.claim = facts.claim;
    this.status = facts.status;
  }
}

/**
 * Replaces an error from openid-client, jose or the network with a
 * {@link SanitisedCause}: a copy with only non-personal facts, nested causes
 * sanitised the same way. civicblocks errors (`CivicError`) are kept: they
 * follow the same rule already.
 */
export function sanitisedCause(error: unknown, depth = 0): unknown {
  if (error === undefined || error === null) return undefined;
  if (CivicError.isInstance(error)) return error;
  if (depth > 4) return undefined;
  if (typeof error !== 'object') return new SanitisedCause('Error', typeof error, {});
  const record = error as Record<string, unknown>;
  const inner = record.cause;
  const innerRecord =
    typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : {};
  const code = word(record.code);
  const claim = word(record.claim) ?? word(innerRecord.claim) ?? word(innerRecord.attribute);
  const oauthError = word(record.error);
  const status = typeof record.status === 'number' ? record.status : undefined;
  const name = word(record.name) ?? 'Error';
  const message = [safeMessage(record.message), oauthError === undefined ? '' : `(${oauthError})`]
    .filter(Boolean)
    .join(' ');
  return new SanitisedCause(
    name,
    message,
    {
      ...(code === undefined ? {} : { code }),
      ...(claim === undefined ? {} : { claim }),
      ...(status === undefined ? {} : { status }),
    },
    inner instanceof Error ? sanitisedCause(inner, depth + 1) : undefined,
  );
}
