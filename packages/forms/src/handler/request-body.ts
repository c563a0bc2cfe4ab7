import { readLimitedBody } from '@civicblocks/core';
import { createPostedForm } from '../components/posted-form.js';

/**
 * Why a posted body was refused; each has its own citizen page.
 * `tooLarge` (413), `malformed` (400: broken multipart or urlencoded),
 * `unsupportedType` (415: not a form post, or a charset the platform cannot
 * decode), `badEncoding` (400: bytes that are not valid in the declared
 * charset).
 */
export type BodyRefusal = 'tooLarge' | 'malformed' | 'unsupportedType' | 'badEncoding';

/** A posted form read from a request body. */
export type PostedBody =
  | {
      readonly kind: 'read';
      readonly posted: Record<string, string | string[]>;
      readonly files: ReadonlyMap<string, File[]>;
    }
  | { readonly kind: 'refused'; readonly reason: BodyRefusal };

/** A media type and its parameters, names lower-cased (RFC 9110: case-insensitive). */
export function parseContentType(
  header: string | null,
): { readonly type: string; readonly parameters: ReadonlyMap<string, string> } | undefined {
  if (header === null) return undefined;
  const [head = '', ...rest] = header.split(';');
  const type = head.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return undefined;
  const parameters = new Map<string, string>();
  for (const part of rest) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim().toLowerCase();
    let value = part.slice(index + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    if (!parameters.has(name)) parameters.set(name, value);
  }
  return { type, parameters };
}

/** A strict decoder for a charset label, or `undefined` when the platform has none. */
function decoderFor(charset: string | undefined): TextDecoder | undefined {
  try {
    return new TextDecoder(charset ?? 'utf-8', { fatal: true });
  } catch {
    return undefined;
  }
}

const plus = 0x2b;
const percent = 0x25;

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/** Percent-decodes one urlencoded name or value to bytes (`+` is a space). */
function percentDecode(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.byteLength);
  let length = 0;
  for (let index = 0; index < bytes.byteLength; index += 1) {
    const byte = bytes[index] as number;
    if (byte === plus) {
      out[length++] = 0x20;
      continue;
    }
    if (byte === percent) {
      const high = hexValue(bytes[index + 1]);
      const low = hexValue(bytes[index + 2]);
      if (high >= 0 && low >= 0) {
        out[length++] = high * 16 + low;
        index += 2;
        continue;
      }
    }
    out[length++] = byte;
  }
  return out.subarray(0, length);
}

/**
 * Reads `application/x-www-form-urlencoded` bytes with the body's charset
 * (WHATWG URL's parser, but decoding percent-escapes in that charset rather
 * than always UTF-8). `undefined` when a name or value is not valid in it.
 */
export function parseUrlEncoded(
  bytes: Uint8Array,
  decoder: TextDecoder,
): [string, string][] | undefined {
  const entries: [string, string][] = [];
  let start = 0;
  for (let index = 0; index <= bytes.byteLength; index += 1) {
    if (index < bytes.byteLength && bytes[index] !== 0x26) continue;
    const part = bytes.subarray(start, index);
    start = index + 1;
    if (part.byteLength === 0) continue;
    const equals = part.indexOf(0x3d);
    const name = equals < 0 ? part : part.subarray(0, equals);
    const value = equals < 0 ? new Uint8Array(0) : part.subarray(equals + 1);
    try {
      entries.push([decoder.decode(percentDecode(name)), decoder.decode(percentDecode(value))]);
    } catch {
      return undefined;
    }
  }
  return entries;
}

/**
 * Reads a posted form, at most `maxBytes`, into a prototype-free map:
 * urlencoded in its declared charset (UTF-8 when none; refused when the
 * platform has no decoder for it or the bytes are not valid in it), or
 * multipart in UTF-8 (a text field holding U+FFFD, which a browser sends only
 * for bytes it could not encode, is refused as a bad encoding). Media types
 * and parameter names match case-insensitively.
 */
export async function readPostedBody(request: Request, maxBytes: number): Promise<PostedBody> {
  const contentType = parseContentType(request.headers.get('content-type'));
  if (
    contentType === undefined ||
    (contentType.type !== 'application/x-www-form-urlencoded' &&
      contentType.type !== 'multipart/form-data')
  ) {
    return { kind: 'refused', reason: 'unsupportedType' };
  }
  const charset = contentType.parameters.get('charset');
  const decoder = decoderFor(charset);
  if (decoder === undefined) return { kind: 'refused', reason: 'unsupportedType' };
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await readLimitedBody(request, maxBytes, () => new RangeError('body too large'));
  } catch (error) {
    if (error instanceof RangeError) return { kind: 'refused', reason: 'tooLarge' };
    return { kind: 'refused', reason: 'malformed' };
  }
  const files = new Map<string, File[]>();
  if (contentType.type === 'multipart/form-data') {
    if (decoder.encoding !== 'utf-8') return { kind: 'refused', reason: 'unsupportedType' };
    const boundary = contentType.parameters.get('boundary');
    if (boundary === undefined || boundary === '') return { kind: 'refused', reason: 'malformed' };
    let data: FormData;
    try {
      data = await new Response(bytes, {
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      }).formData();
    } catch {
      return { kind: 'refused', reason: 'malformed' };
    }
    const texts: [string, string][] = [];
    for (const [name, value] of data.entries()) {
      if (name.includes('\uFFFD')) return { kind: 'refused', reason: 'badEncoding' };
      if (typeof value === 'string') {
        if (value.includes('\uFFFD')) return { kind: 'refused', reason: 'badEncoding' };
        texts.push([name, value]);
      } else {
        files.set(name, [...(files.get(name) ?? []), value]);
      }
    }
    return { kind: 'read', posted: createPostedForm(texts), files };
  }
  const entries = parseUrlEncoded(bytes, decoder);
  if (entries === undefined) return { kind: 'refused', reason: 'badEncoding' };
  return { kind: 'read', posted: createPostedForm(entries), files };
}
