import { describe, expect, it } from 'vitest';
import { exampleNotice } from '../testing/example-notice.js';
import { renderConsentRequestPage } from './consent-page.js';
import { plainDuration } from './plain-duration.js';

const textOf = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('consent request page details', () => {
  it.each([
    ['vi', 'Sự đồng ý có hiệu lực trong 1 năm', 'Nơi lưu trữ Việt Nam'],
    ['en', 'Your consent lasts 1 year', 'Where it is stored Vietnam'],
  ] as const)(
    'says in plain %s words how long consent lasts and where data is kept',
    (locale, validity, storage) => {
      const page = renderConsentRequestPage({
        notice: exampleNotice,
        locale,
        action: '/consent',
        stylesheetHref: '/govuk.css',
      });
      const text = textOf(page.main);
      expect(text).toContain(validity);
      expect(text).toContain(storage);
      expect(text).not.toMatch(/\bP1Y\b/);
    },
  );

  it('writes durations of several parts in words', () => {
    expect(plainDuration('P1Y6M', 'en')).toBe('1 year and 6 months');
    expect(plainDuration('P2Y3M10D', 'en')).toBe('2 years, 3 months and 10 days');
    expect(plainDuration('P1Y6M', 'vi')).toBe('1 năm 6 tháng');
    expect(plainDuration('PT12H', 'vi')).toBe('12 giờ');
  });
});
