import type { FileStorage } from '../handler/handler-options.js';

/**
 * A response seen by {@link FormTestClient}: status, final URL path and body.
 *
 * @example
 * ```ts
 * const page: TestPage = { status: 200, path: '/apply/name', html: '<!DOCTYPE html>…' };
 * ```
 */
export interface TestPage {
  readonly status: number;
  readonly path: string;
  readonly html: string;
}

/**
 * Drives a form handler like a browser without JavaScript: keeps cookies,
 * follows redirects, posts forms as `application/x-www-form-urlencoded`.
 *
 * @example
 * ```ts
 * const client = createFormTestClient(handle);
 * await client.get('/apply');
 * const page = await client.post('/apply/name', { fullName: 'Nguyễn Văn A' });
 * ```
 */
export interface FormTestClient {
  get(path: string): Promise<TestPage>;
  post(
    path: string,
    fields: Readonly<Record<string, string | readonly string[]>>,
  ): Promise<TestPage>;
  /** The cookies the client holds. */
  readonly cookies: ReadonlyMap<string, string>;
}

/**
 * Creates a {@link FormTestClient} for a `(Request) => Promise<Response>` handler.
 *
 * @example
 * ```ts
 * const client = createFormTestClient(createFormHandler({ form, basePath: '/apply', secret, stylesheetHref: '/govuk.css', onSubmit }));
 * ```
 */
export function createFormTestClient(
  handler: (request: Request) => Promise<Response>,
  origin = 'https://forms.test',
): FormTestClient {
  const cookies = new Map<string, string>();
  const send = async (method: string, path: string, body?: string): Promise<TestPage> => {
    let currentMethod = method;
    let currentPath = path;
    let currentBody = body;
    for (let hop = 0; hop < 10; hop += 1) {
      const headers = new Headers();
      if (cookies.size > 0)
        headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
      if (currentBody !== undefined)
        headers.set('content-type', 'application/x-www-form-urlencoded');
      const response = await handler(
        new Request(new URL(currentPath, origin), {
          method: currentMethod,
          headers,
          ...(currentBody === undefined ? {} : { body: currentBody }),
        }),
      );
      for (const value of response.headers.getSetCookie()) {
        const [pair = ''] = value.split(';');
        const index = pair.indexOf('=');
        const name = pair.slice(0, index);
        const cookieValue = pair.slice(index + 1);
        if (/Max-Age=0/i.test(value) || cookieValue === '') cookies.delete(name);
        else cookies.set(name, cookieValue);
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        const next = new URL(location, origin);
        currentPath = `${next.pathname}${next.search}`;
        currentMethod = 'GET';
        currentBody = undefined;
        await response.arrayBuffer();
        continue;
      }
      return { status: response.status, path: currentPath, html: await response.text() };
    }
    throw new Error('too many redirects');
  };
  return {
    get: (path) => send('GET', path),
    post: (path, fields) => {
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) {
        for (const item of typeof value === 'string' ? [value] : value) body.append(name, item);
      }
      return send('POST', path, body.toString());
    },
    cookies,
  };
}

/**
 * A file storage that keeps files in memory, for tests.
 *
 * @example
 * ```ts
 * const storage = createMemoryFileStorage();
 * const handle = createFormHandler({ ...options, fileStorage: storage });
 * storage.files.size; // files stored so far
 * ```
 */
export function createMemoryFileStorage(): FileStorage & {
  readonly files: Map<
    string,
    { readonly name: string; readonly type: string; readonly bytes: Uint8Array }
  >;
} {
  const files = new Map<
    string,
    { readonly name: string; readonly type: string; readonly bytes: Uint8Array }
  >();
  let stored = 0;
  return {
    files,
    put: async (file) => {
      stored += 1;
      const id = `file-${stored}`;
      files.set(id, { name: file.name, type: file.type, bytes: file.bytes });
      return id;
    },
    delete: async (id) => {
      files.delete(id);
    },
  };
}
