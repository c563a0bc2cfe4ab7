import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/core-errors.js';
import {
  createMessageCatalogue,
  escapeHtml,
  negotiateLocale,
  unsafeHtml,
} from './message-catalogue.js';

const catalogue = createMessageCatalogue({
  messages: {
    en: {
      welcome: 'Welcome, {name}',
      files: { one: '{count} file uploaded', other: '{count} files uploaded' },
      fee: 'The fee is {amount}',
      deadline: 'Apply by {date}',
      help: 'Read the {link}',
      onlyEnglish: 'Only in English',
    },
    vi: {
      welcome: 'Chào mừng, {name}',
      files: '{count} tệp đã tải lên',
      fee: 'Lệ phí là {amount}',
      deadline: 'Nộp hồ sơ trước {date}',
      help: 'Đọc {link}',
    },
  },
  timeZone: 'Asia/Ho_Chi_Minh',
});

describe('createMessageCatalogue', () => {
  it('translates into Vietnamese and English', () => {
    expect(catalogue.translate('vi', 'welcome', { name: 'Trần Thị Bình' })).toBe(
      'Chào mừng, Trần Thị Bình',
    );
    expect(catalogue.translate('en', 'welcome', { name: 'Ada' })).toBe('Welcome, Ada');
  });

  it('falls back from a region to its language, then to the default locale', () => {
    expect(catalogue.fallbackChain('vi-VN')).toEqual(['vi', 'en']);
    expect(catalogue.translate('vi-VN', 'welcome', { name: 'An' })).toBe('Chào mừng, An');
    expect(catalogue.translate('vi', 'onlyEnglish')).toBe('Only in English');
    expect(catalogue.translate('fr-FR', 'welcome', { name: 'Zoé' })).toBe('Welcome, Zoé');
    expect(catalogue.translate('not a locale!', 'welcome', { name: 'An' })).toBe('Welcome, An');
  });

  it('escapes every interpolated value for HTML by default', () => {
    const hostile = `<script>alert("x")</script>' onmouseover='x' \``;
    const html = catalogue.translate('en', 'welcome', { name: hostile });
    expect(html).toBe(
      'Welcome, &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x&#39; &#96;',
    );
    expect(html).not.toContain('<');
  });

  it('inserts only markup marked unsafeHtml unescaped, and plain text on request', () => {
    expect(
      catalogue.translate('en', 'help', { link: unsafeHtml('<a href="/help">guidance</a>') }),
    ).toBe('Read the <a href="/help">guidance</a>');
    const forged = JSON.parse('{"unsafeHtml": "<img src=x onerror=alert(1)>"}');
    expect(() => catalogue.translate('en', 'help', { link: forged })).toThrow(InvalidInputError);
    expect(catalogue.translatePlainText('en', 'welcome', { name: 'Tom & Jerry' })).toBe(
      'Welcome, Tom & Jerry',
    );
    expect(catalogue.translate('en', 'welcome', { name: 'Tom & Jerry' })).toBe(
      'Welcome, Tom &amp; Jerry',
    );
  });

  it('chooses plural forms with the locale rules', () => {
    expect(catalogue.translate('en', 'files', { count: 1 })).toBe('1 file uploaded');
    expect(catalogue.translate('en', 'files', { count: 3 })).toBe('3 files uploaded');
    expect(catalogue.translate('vi', 'files', { count: 1 })).toBe('1 tệp đã tải lên');
  });

  it('formats numbers and dates for the locale', () => {
    expect(catalogue.translate('vi', 'fee', { amount: 1250000 })).toBe('Lệ phí là 1.250.000');
    expect(catalogue.translate('en', 'fee', { amount: 1250000 })).toBe('The fee is 1,250,000');
    const date = new Date('2026-03-05T20:00:00Z'); // already 6 March in Hà Nội
    // ICU's exact patterns differ between Node versions; the day, month and zone must not.
    const vietnamese = catalogue.translate('vi', 'deadline', { date });
    expect(vietnamese).toMatch(/^Nộp hồ sơ trước .*\b6\b.*tháng 3.*2026/);
    expect(catalogue.translate('en', 'deadline', { date })).toMatch(
      /^Apply by .*(March 6|6 March).*2026$/,
    );
  });

  it('normalises messages and values to NFC', () => {
    const decomposed = 'Nguye\u0302\u0303n'; // Nguyễn typed with combining marks
    const nfcCatalogue = createMessageCatalogue({
      messages: { en: { name: `Họ: ${decomposed}` } },
    });
    expect(nfcCatalogue.translate('en', 'name')).toBe('Họ: Nguyễn');
    expect(catalogue.translatePlainText('vi', 'welcome', { name: decomposed })).toBe(
      'Chào mừng, Nguyễn',
    );
  });

  it('refuses a key no locale has, and a placeholder without a value, with typed errors', () => {
    const missing = () => catalogue.translate('vi', 'nope' as 'welcome');
    expect(missing).toThrow(InvalidInputError);
    try {
      missing();
    } catch (error) {
      expect(InvalidInputError.isInstance(error) && error.code).toBe('I18N_MISSING_MESSAGE');
    }
    try {
      catalogue.translate('en', 'welcome');
      expect.unreachable();
    } catch (error) {
      expect(InvalidInputError.isInstance(error) && error.code).toBe('INVALID_ARGUMENT');
    }
    expect(catalogue.has('vi', 'welcome')).toBe(true);
    expect(catalogue.has('vi', 'nope')).toBe(false);
  });

  it('refuses a catalogue without messages in its default locale', () => {
    expect(() => createMessageCatalogue({ messages: { vi: { a: 'b' } } })).toThrow(
      /default locale/,
    );
    expect(() =>
      createMessageCatalogue({ messages: { vi: { a: 'b' } }, defaultLocale: 'vi' }),
    ).not.toThrow();
  });

  it('refuses a default locale that lacks a key another locale has', () => {
    let caught: unknown;
    try {
      createMessageCatalogue({ messages: { en: { a: 'A' }, vi: { a: 'Á', b: 'B' } } });
    } catch (error) {
      caught = error;
    }
    expect(InvalidInputError.isInstance(caught) && caught.code).toBe('INVALID_ARGUMENT');
    expect(InvalidInputError.isInstance(caught) && caught.details?.missingKeys).toEqual(['b']);
  });

  it('matches locale tags case-insensitively and lists its locales, the default first', () => {
    const regional = createMessageCatalogue({
      messages: { 'vi-vn': { hello: 'Chào' }, en: { hello: 'Hello' } },
    });
    expect(regional.locales).toEqual(['en', 'vi-VN']);
    expect(regional.translate('VI-vn', 'hello')).toBe('Chào');
    expect(regional.translate('vi', 'hello')).toBe('Hello');
  });

  it('never lets an interpolated string open a tag (property)', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const html = catalogue.translate('en', 'welcome', { name });
        expect(html.slice('Welcome, '.length)).toBe(escapeHtml(name.normalize('NFC')));
        expect(html).not.toMatch(/[<>"'`]/);
      }),
    );
  });
});

describe('negotiateLocale', () => {
  const supported = ['en', 'vi'];

  it('picks the highest quality supported language, matching regions to languages', () => {
    expect(negotiateLocale('vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7', supported, 'en')).toBe('vi');
    expect(negotiateLocale('fr-FR, en-GB;q=0.8, vi;q=0.5', supported, 'vi')).toBe('en');
    expect(negotiateLocale('en;q=0.2, vi;q=0.9', supported, 'en')).toBe('vi');
  });

  it('drops subtags one by one before matching on the language alone', () => {
    const chinese = ['zh-Hans', 'zh-Hant', 'en'] as const;
    expect(negotiateLocale('zh-Hant-TW', chinese)).toBe('zh-Hant');
    expect(negotiateLocale('zh-HK', chinese)).toBe('zh-Hans');
    expect(negotiateLocale('EN-gb', ['vi', 'en-GB', 'en'])).toBe('en-GB');
    expect(negotiateLocale('en-AU', ['vi', 'en-GB', 'en'])).toBe('en');
    expect(negotiateLocale('vi', ['en', 'vi-VN'])).toBe('vi-VN');
  });

  it('defaults to the first supported locale and needs at least one', () => {
    expect(negotiateLocale('fr', ['vi', 'en'])).toBe('vi');
    expect(negotiateLocale(null, ['en', 'vi'])).toBe('en');
    expect(() => negotiateLocale('vi', [])).toThrow(InvalidInputError);
  });

  it('falls back when nothing fits or the header is absent or hostile', () => {
    expect(negotiateLocale('fr, de', supported, 'vi')).toBe('vi');
    expect(negotiateLocale(undefined, supported, 'vi')).toBe('vi');
    expect(negotiateLocale('', supported, 'en')).toBe('en');
    expect(negotiateLocale('vi;q=0', supported, 'en')).toBe('en');
    expect(negotiateLocale('*', supported, 'vi')).toBe('en');
    expect(negotiateLocale('vi;q=abc, en;q=0.5', supported, 'en')).toBe('vi');
    expect(negotiateLocale('<script>, vi;q=0.1', supported, 'en')).toBe('vi');
    fc.assert(
      fc.property(fc.string(), (header) => {
        expect(supported.concat('en')).toContain(negotiateLocale(header, supported, 'en'));
      }),
    );
  });
});
