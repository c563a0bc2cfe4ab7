import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../src/definition/form-definition.js';
import { createFormHandler } from '../src/handler/form-handler.js';
import { createMemoryFileStorage } from '../src/testing/form-test-client.js';
import { compileForm } from '../src/validation/compiled-form.js';

const secret = 'test-secret-test-secret-test-secret-0123456789';
const clock = { now: () => new Date('2026-11-23T03:00:00Z') };

const definition: FormDefinition = {
  id: 'documents',
  version: '1',
  languages: ['vi', 'en'],
  title: { vi: 'Nộp giấy tờ', en: 'Send documents' },
  pages: [
    {
      id: 'reference',
      components: [
        {
          type: 'text',
          id: 'reference',
          label: { vi: 'Mã hồ sơ', en: 'Application reference' },
          maxLength: 20,
        },
      ],
    },
    {
      id: 'evidence',
      components: [
        {
          type: 'file',
          id: 'evidence',
          label: { vi: 'Tải lên giấy khai sinh', en: 'Upload the birth certificate' },
          name: { vi: 'giấy khai sinh', en: 'the birth certificate' },
          accept: ['application/pdf', 'image/jpeg'],
          maxBytes: 2_000,
          maxFiles: 2,
        },
      ],
    },
  ],
};

const pdf = (size: number) => {
  const bytes = new Uint8Array(size).fill(0x20);
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'), 0);
  return bytes;
};

function setup(maxBodyBytes?: number, failOnPut?: number) {
  const errors: unknown[] = [];
  const memory = createMemoryFileStorage();
  let puts = 0;
  const storage = {
    ...memory,
    put: (file: Parameters<typeof memory.put>[0]) => {
      puts += 1;
      if (puts === failOnPut) return Promise.reject(new Error('storage unavailable'));
      return memory.put(file);
    },
  };
  const submitted: Record<string, unknown>[] = [];
  const handle = createFormHandler({
    form: compileForm(definition, { clock }),
    basePath: '/send',
    secret,
    stylesheetHref: '/govuk.css',
    clock,
    fileStorage: storage,
    onError: (error) => errors.push(error),
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
    onSubmit: ({ answers }) => {
      submitted.push(answers);
      return { reference: 'HS-1' };
    },
  });
  let cookies = '';
  const keep = (response: Response) => {
    const jar = new Map<string, string>();
    for (const pair of cookies === '' ? [] : cookies.split('; ')) {
      const [name = '', ...rest] = pair.split('=');
      jar.set(name, rest.join('='));
    }
    for (const value of response.headers.getSetCookie()) {
      const [pair = ''] = value.split(';');
      const [name = '', ...rest] = pair.split('=');
      jar.set(name, rest.join('='));
    }
    cookies = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    return response;
  };
  const send = async (path: string, init: RequestInit = {}) =>
    keep(
      await handle(
        new Request(`https://forms.test${path}`, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), cookie: cookies },
        }),
      ),
    );
  /** A real multipart/form-data body: the platform's FormData, encoded by Request. */
  const upload = (files: readonly File[], locale: 'vi' | 'en') => {
    const body = new FormData();
    for (const file of files) body.append('evidence', file);
    return send(`/send/evidence?lang=${locale}`, { method: 'POST', body });
  };
  const start = async () => {
    await send('/send?lang=vi');
    const body = new FormData();
    body.append('reference', 'HS-2026-77');
    const response = await send('/send/reference', { method: 'POST', body });
    expect(response.headers.get('location')).toBe('/send/evidence');
  };
  const answersCookie = () => /forms-documents=([^;]*)/.exec(cookies)?.[1];
  return { storage, submitted, send, upload, start, answersCookie, errors };
}

const errorSummaryLink = (html: string) =>
  /<div class="govuk-error-summary__body">[\s\S]*?<a href="#evidence">([^<]+)<\/a>/.exec(html)?.[1];

describe('file upload through the handler (multipart/form-data)', () => {
  it('stores an accepted file through the file storage and keeps its id in the answers', async () => {
    const { storage, submitted, send, upload, start } = setup();
    await start();
    const bytes = pdf(1_500);
    const response = await upload(
      [new File([bytes], 'giấy khai sinh.pdf', { type: 'application/pdf' })],
      'vi',
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/send/check-answers');
    expect(storage.files.size).toBe(1);
    const stored = storage.files.get('file-1');
    expect(stored?.name).toBe('giấy khai sinh.pdf');
    expect(stored?.type).toBe('application/pdf');
    expect(stored?.bytes).toEqual(bytes);
    const check = await send('/send/check-answers');
    expect(await check.text()).toContain('giấy khai sinh.pdf');
    await send('/send/check-answers', { method: 'POST', body: new FormData() });
    expect(submitted[0]).toEqual({
      reference: 'HS-2026-77',
      evidence: [
        { name: 'giấy khai sinh.pdf', type: 'application/pdf', size: 1_500, id: 'file-1' },
      ],
    });
  });

  it('keeps only the last part of a posted file name, without control characters', async () => {
    const { storage, submitted, send, start } = setup();
    await start();
    const boundary = 'civicblocks-boundary-7';
    const part = (filename: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n\r\n`;
    const body = `${part('../../etc/pass\u0001wd.pdf')}${part('C:\\Users\\lan\\..\\giấy tờ.pdf')}--${boundary}--\r\n`;
    const response = await send('/send/evidence?lang=en', {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: new TextEncoder().encode(body),
    });
    expect(response.status).toBe(303);
    expect([...storage.files.values()].map((file) => file.name)).toEqual([
      'passwd.pdf',
      'giấy tờ.pdf',
    ]);
    await send('/send/check-answers', { method: 'POST', body: new FormData() });
    expect(((submitted[0]?.evidence ?? []) as { name: string }[]).map((file) => file.name)).toEqual(
      ['passwd.pdf', 'giấy tờ.pdf'],
    );
  });

  it.each([
    {
      case: 'a disallowed MIME type',
      files: () => [new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' })],
      vi: 'Tệp phải có định dạng PDF hoặc JPG',
      en: 'The selected file must be a PDF or JPG',
    },
    {
      case: 'an over-size file',
      files: () => [new File([pdf(2_001)], 'scan.pdf', { type: 'application/pdf' })],
      vi: 'Tệp phải nhỏ hơn 2 kB',
      en: 'The selected file must be smaller than 2 kB',
    },
    {
      case: 'too many files',
      files: () =>
        ['1', '2', '3'].map(
          (page) => new File([pdf(100)], `page-${page}.pdf`, { type: 'application/pdf' }),
        ),
      vi: 'Chọn tối đa 2 tệp',
      en: 'Select 2 files or fewer',
    },
    {
      case: 'a good file next to a bad one',
      files: () => [
        new File([pdf(100)], 'good.pdf', { type: 'application/pdf' }),
        new File(['<svg/>'], 'bad.svg', { type: 'image/svg+xml' }),
      ],
      vi: 'Tệp phải có định dạng PDF hoặc JPG',
      en: 'The selected file must be a PDF or JPG',
    },
  ])('refuses $case with a GOV.UK-style message in vi and en, storing nothing', async (example) => {
    const { storage, upload, start, answersCookie } = setup();
    await start();
    const before = answersCookie();
    for (const locale of ['vi', 'en'] as const) {
      const response = await upload(example.files(), locale);
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(errorSummaryLink(html)).toBe(example[locale]);
      expect(html).toContain(
        `<p id="evidence-error" class="govuk-error-message"><span class="govuk-visually-hidden">${locale === 'vi' ? 'Lỗi:' : 'Error:'}</span> ${example[locale]}</p>`,
      );
      expect(html).toContain('enctype="multipart/form-data"');
    }
    expect(storage.files.size).toBe(0);
    expect(answersCookie()).toBe(before);
  });

  it('refuses a body over maxBodyBytes with 413 before parsing it', async () => {
    const { storage, upload, start, answersCookie } = setup(10_000);
    await start();
    const before = answersCookie();
    const response = await upload(
      [new File([pdf(20_000)], 'huge.pdf', { type: 'application/pdf' })],
      'en',
    );
    expect(response.status).toBe(413);
    expect(storage.files.size).toBe(0);
    expect(answersCookie()).toBe(before);
  });

  it('removes the files a page stored when storing a later one fails', async () => {
    const { storage, upload, start, answersCookie, errors } = setup(undefined, 2);
    await start();
    const before = answersCookie();
    const response = await upload(
      [
        new File([pdf(500)], 'one.pdf', { type: 'application/pdf' }),
        new File([pdf(600)], 'two.pdf', { type: 'application/pdf' }),
      ],
      'vi',
    );
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('Đã xảy ra lỗi');
    expect(errors).toEqual([new Error('storage unavailable')]);
    expect(storage.files.size).toBe(0);
    expect(answersCookie()).toBe(before);
  });
});
