/**
 * Reads a web-standard request's whole body, refusing more than
 * `maximumBytes` whatever `Content-Length` claims (or when it is absent):
 * a declared length over the limit is refused before reading, and reading
 * stops at the first byte past it. `tooLarge` builds the caller's own
 * error; a failure while reading is passed on as it came.
 *
 * @example
 * ```ts
 * import { readLimitedBody } from '@civicblocks/core';
 *
 * const bytes = await readLimitedBody(request, 1_048_576, () => new PayloadTooLarge());
 * ```
 */
export async function readLimitedBody(
  request: Request,
  maximumBytes: number,
  tooLarge: () => Error,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^[0-9]+$/.test(declared) && Number(declared) > maximumBytes) {
    throw tooLarge();
  }
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maximumBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
