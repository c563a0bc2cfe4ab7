import { describe, expect, it } from 'vitest';
import { readLimitedBody } from './read-limited-body.js';

const tooLarge = () => new RangeError('too large');

function streamed(chunks: readonly string[]): { request: Request; pulled: () => number } {
  let pulled = 0;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled];
      pulled += 1;
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
  });
  return {
    request: new Request('http://127.0.0.1/', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit),
    pulled: () => pulled,
  };
}

describe('readLimitedBody', () => {
  it('reads a body up to and including the limit, in one piece', async () => {
    const { request } = streamed(['xin ', 'chào']);
    const bytes = await readLimitedBody(request, 9, tooLarge);
    expect(new TextDecoder().decode(bytes)).toBe('xin chào');
    expect(await readLimitedBody(new Request('http://127.0.0.1/'), 0, tooLarge)).toEqual(
      new Uint8Array(0),
    );
  });

  it('refuses a declared length over the limit before reading anything', async () => {
    const request = new Request('http://127.0.0.1/', {
      method: 'POST',
      body: 'x'.repeat(20),
      headers: { 'content-length': '20' },
    });
    await expect(readLimitedBody(request, 10, tooLarge)).rejects.toThrow(RangeError);
    expect(request.bodyUsed).toBe(false);
  });

  it('stops at the first chunk past the limit when no length is declared', async () => {
    const { request, pulled } = streamed(['12345', '67890', 'abcde', 'fghij']);
    await expect(readLimitedBody(request, 8, tooLarge)).rejects.toThrow(RangeError);
    expect(pulled()).toBeLessThanOrEqual(3);
  });
});
