import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { FormsError } from '../errors/forms-error.js';

/**
 * Authenticated encryption of small JSON values for cookies and links:
 * AES-256-GCM under a key derived (HKDF-SHA-256) from the secret and a
 * purpose, so a value sealed for one purpose never opens as another. The
 * JSON is deflated first. Tokens are base64url.
 */
export interface SealedBox {
  seal(value: unknown): Promise<string>;
  /** @throws {@link FormsError} `FORMS_INVALID_TOKEN` when forged, corrupted or sealed with another key. */
  open(token: string): Promise<unknown>;
}

/** Version byte of compressed tokens; tokens without it are the first, uncompressed format. */
const compressedFormat = 1;
const maximumTokenLength = 1_000_000;
const maximumPlainBytes = 4_000_000;

/** The secret as bytes, refused when shorter than 32 bytes. */
export function secretBytes(secret: string | Uint8Array, where: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(
    typeof secret === 'string' ? new TextEncoder().encode(secret) : secret,
  );
  if (bytes.byteLength < 32) {
    throw new FormsError('FORMS_INVALID_OPTION', `${where}: secret must be at least 32 bytes`);
  }
  return bytes;
}

function malformed(cause?: unknown): FormsError {
  return new FormsError(
    'FORMS_INVALID_TOKEN',
    'sealed token is malformed',
    cause === undefined ? {} : { cause },
  );
}

/** A sealed box for `purpose` (the HKDF info; the first format used `civicblocks-forms-answers-v1`). */
export function createSealedBox(secret: Uint8Array<ArrayBuffer>, purpose: string): SealedBox {
  const keyPromise: Promise<CryptoKey> = (async () => {
    const material = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
    return crypto.subtle.deriveKey(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: new Uint8Array(0),
        info: new TextEncoder().encode(purpose),
      },
      material,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
  })();
  const decrypt = async (bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array | undefined> => {
    if (bytes.byteLength < 12 + 16) return undefined;
    try {
      const key = await keyPromise;
      return new Uint8Array(
        await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.subarray(0, 12) },
          key,
          bytes.subarray(12),
        ),
      );
    } catch {
      return undefined;
    }
  };
  return {
    async seal(value) {
      const key = await keyPromise;
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const plain = new Uint8Array(
        deflateRawSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 9 }),
      );
      const cipher = new Uint8Array(
        await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain),
      );
      const token = new Uint8Array(1 + iv.byteLength + cipher.byteLength);
      token[0] = compressedFormat;
      token.set(iv, 1);
      token.set(cipher, 1 + iv.byteLength);
      return Buffer.from(token).toString('base64url');
    },
    async open(token) {
      if (
        typeof token !== 'string' ||
        token.length > maximumTokenLength ||
        !/^[A-Za-z0-9_-]+$/.test(token)
      ) {
        throw malformed();
      }
      const bytes = new Uint8Array(Buffer.from(token, 'base64url'));
      let text: string;
      const compressed =
        bytes[0] === compressedFormat ? await decrypt(bytes.subarray(1)) : undefined;
      if (compressed !== undefined) {
        try {
          text = inflateRawSync(compressed, { maxOutputLength: maximumPlainBytes }).toString(
            'utf8',
          );
        } catch (error) {
          throw malformed(error);
        }
      } else {
        const plain = await decrypt(bytes);
        if (plain === undefined)
          throw new FormsError('FORMS_INVALID_TOKEN', 'sealed token could not be opened');
        text = new TextDecoder().decode(plain);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw malformed(error);
      }
    },
  };
}
